// @ts-check
// An oppdrag's history: each event with who, what, when and why, its metadata, and a way to see the
// oppdrag as it was right after it.

import { h, uid } from '../dom.js';
import { eventLabel, formatDate, formatInstant, outcomeLabel, roleLabel } from '../format.js';

/** @import { HistoryEntry } from '../types.js' */

/**
 * An event's data, parsed: the fields the timeline reads. They differ by event type, and events written
 * by older versions may lack some, so every one is optional.
 * @typedef {object} EventData
 * @property {string | null} [lead]
 * @property {string[]} [addressees]
 * @property {string} [addressee]
 * @property {string | null} [part]
 * @property {string | null} [deadline]
 * @property {string} [startedOn]
 * @property {string} [reportedOn]
 * @property {string} [documentRef]
 * @property {string | null} [note]
 * @property {string | null} [summary]
 * @property {string} [scope]
 * @property {{ letter?: string }} [source]
 * @property {string} [title]
 * @property {string | null} [description]
 * @property {unknown} [hovedmal]
 * @property {string} [milestoneId]
 * @property {Array<{ id: string, title: string }>} [milestones]
 * @property {{ id: string, title: string, dueDate?: string }} [milestone]
 * @property {string | null} [dueDate]
 * @property {string} [outcome]
 * @property {string} [closedOn]
 * @property {string | null} [supersededBy]
 * @property {string | null} [from]
 * @property {string | null} [to]
 * @property {{ id?: string, name?: string }} [collaborator]
 * @property {string} [collaboratorId]
 * @property {string} [passedOn]
 */

/**
 * An entry's data; nothing when it is not JSON.
 * @param {{ data: string }} entry
 * @returns {EventData}
 */
export function parseData(entry) {
  try {
    return JSON.parse(entry.data);
  } catch {
    return {};
  }
}

/**
 * For each event that names a milestone by id, the milestone's title when the event happened (by
 * revision), so that the timeline shows titles, also of milestones renamed or removed since.
 * @param {HistoryEntry[]} entries
 */
function milestoneTitles(entries) {
  /** @type {Map<string, string>} */
  const titles = new Map();
  /** @type {Map<number, string | undefined>} */
  const at = new Map();
  for (const e of [...entries].sort((a, b) => a.revision - b.revision)) {
    const d = parseData(e);
    if (d.milestoneId) at.set(e.revision, titles.get(d.milestoneId));
    if (e.type === 'OppdragAssigned') for (const m of d.milestones ?? []) titles.set(m.id, m.title);
    else if (e.type === 'MilestoneAdded' && d.milestone) titles.set(d.milestone.id, d.milestone.title);
    else if (e.type === 'MilestoneChanged' && d.milestoneId && d.title) titles.set(d.milestoneId, d.title);
  }
  return at;
}

/**
 * One line on what an event changed, in words.
 * @param {HistoryEntry} entry
 * @param {Map<string, string>} names
 * @param {string | undefined} milestoneTitle
 */
function eventSummary(entry, names, milestoneTitle) {
  const d = parseData(entry);
  const milestone = (/** @type {string | undefined} */ id) => `«${milestoneTitle ?? id}»`;
  const org = (/** @type {string | null | undefined} */ id) =>
    id ? (names.get(id) ?? id) : 'ingen (alle RHF-er)';
  // Events written before parts existed name no part: they were the lead's.
  const part = (/** @type {EventData} */ data) => (data.part ? `Delen til ${org(data.part)}: ` : '');
  switch (entry.type) {
    case 'OppdragAssigned':
      return `Ledende: ${org(d.lead)}.${d.addressees?.length ? ` Rettet til: ${d.addressees.map(org).join(', ')}.` : ''} Frist: ${d.deadline ? formatDate(d.deadline) : 'ingen oppgitt (Årlig melding)'}.`;
    case 'OppdragStarted':
      return `${part(d)}Startet ${formatDate(d.startedOn)}.`;
    case 'MilestoneReported':
      return `${part(d)}Delleveranse ${milestone(d.milestoneId)} levert ${formatDate(d.reportedOn)}. Dokument: ${d.documentRef}.${d.note ? ` Merknad: ${d.note}` : ''}`;
    case 'OppdragReported':
      return `${part(d)}Levert ${formatDate(d.reportedOn)}. Dokument: ${d.documentRef}.${d.summary ? ` Sammendrag: ${d.summary}` : ''}`;
    case 'OppdragReopened':
      return d.scope === 'report'
        ? `${part(d)}Rapporten ble gjenåpnet.`
        : 'Det lukkede oppdraget ble gjenåpnet.';
    case 'AddresseeAdded':
    case 'AddresseeRemoved':
      return `${org(d.addressee)}.`;
    case 'SourceAdded':
      return `${d.source?.letter ?? ''}.${d.addressees?.length ? ` Nå også rettet til ${d.addressees.map(org).join(', ')}.` : ''}`;
    case 'OppdragDetailsCorrected':
      return `Rettet: ${[d.title !== undefined ? 'tittel' : null, d.description !== undefined ? 'beskrivelse' : null, d.hovedmal !== undefined ? 'hovedmål' : null].filter(Boolean).join(', ')}.`;
    case 'MilestoneAdded':
      return `«${d.milestone?.title ?? ''}», frist ${formatDate(d.milestone?.dueDate)}.`;
    case 'MilestoneChanged':
      return `${milestone(d.milestoneId)}${d.title ? `: ny tittel «${d.title}»` : ''}${d.dueDate ? `: ny frist ${formatDate(d.dueDate)}` : ''}.`;
    case 'MilestoneRemoved':
      return `${milestone(d.milestoneId)}.`;
    case 'OppdragClosed':
      return `Utfall: ${outcomeLabel(d.outcome)}, ${formatDate(d.closedOn)}.${d.supersededBy ? ` Erstattet av ${d.supersededBy}.` : ''}`;
    case 'DeadlineChanged':
      return `Fra ${d.from ? formatDate(d.from) : 'ingen'} til ${d.to ? formatDate(d.to) : 'ingen (Årlig melding)'}.`;
    case 'LeadReassigned':
      return `Fra ${org(d.from)} til ${org(d.to)}.`;
    case 'CollaboratorAdded':
      return `${d.collaborator?.name ?? d.collaborator?.id ?? ''}.`;
    case 'CollaboratorRemoved':
      return `${org(d.collaboratorId)}.`;
    case 'DeadlinePassed':
      return `Fristen ${formatDate(d.deadline)} gikk ut uten rapport (registrert ${formatDate(d.passedOn)}).`;
    case 'MilestoneDue':
      return `Delleveranse ${milestone(d.milestoneId)} med frist ${formatDate(d.dueDate)} ble ikke levert i tide.`;
    default:
      return '';
  }
}

/**
 * The history, newest first.
 * @param {HistoryEntry[]} entries
 * @param {Map<string, string>} names
 * @param {(instant: string) => void} onShowAsOf called with an event's instant to show the oppdrag then
 */
export function timelineOf(entries, names, onShowAsOf) {
  const titles = milestoneTitles(entries);
  const newestFirst = [...entries].sort((a, b) => b.revision - a.revision);
  return [
    h(
      'p',
      { class: 'panel__hint' },
      `${entries.length} hendelser, nyeste først. Hver hendelse viser hvem, hva, når og hvorfor.`,
    ),
    h(
      'ol',
      { class: 'timeline', 'data-testid': 'timeline', reversed: true },
      newestFirst.map((e) => {
        const whatId = uid('what');
        return h(
          'li',
          { dataset: { type: e.type, revision: e.revision } },
          h('div', { class: 'what', id: whatId }, eventLabel(e.type)),
          h(
            'div',
            { class: 'when' },
            h('time', { datetime: e.recordedAt }, formatInstant(e.recordedAt, { seconds: true })),
          ),
          h(
            'div',
            { class: 'who' },
            `${e.actor.name} (${roleLabel(e.actor.role)}, ${names.get(e.actor.organisationId) ?? e.actor.organisationId})`,
          ),
          h('p', { class: 'why' }, eventSummary(e, names, titles.get(e.revision))),
          e.reason ? h('p', { class: 'why' }, h('strong', null, 'Begrunnelse: '), e.reason) : null,
          h(
            'button',
            {
              type: 'button',
              class: 'button--link',
              'aria-describedby': whatId,
              onClick: () => onShowAsOf(e.recordedAt),
            },
            `Vis oppdraget slik det var etter denne hendelsen`,
          ),
          metadataOf(e),
        );
      }),
    ),
  ];
}

/**
 * An event's metadata, folded away: its ids, its command and who sent it, and its data as JSON.
 * @param {HistoryEntry} e
 */
function metadataOf(e) {
  return h(
    'details',
    null,
    h('summary', null, 'Metadata'),
    h(
      'dl',
      null,
      h('dt', null, 'Revisjon'),
      h('dd', null, e.revision),
      h('dt', null, 'Posisjon'),
      h('dd', null, e.position),
      h('dt', null, 'Hendelses-id'),
      h('dd', null, e.eventId),
      h('dt', null, 'Kommando'),
      h('dd', null, e.commandType ?? '–'),
      h('dt', null, 'Kommando-id'),
      h('dd', null, e.commandId),
      h('dt', null, 'Korrelasjons-id'),
      h('dd', null, e.correlationId),
      h('dt', null, 'Årsaks-id'),
      h('dd', null, e.causationId),
      h('dt', null, 'Bruker-id'),
      h('dd', null, e.actor.userId),
    ),
    h(
      'pre',
      {
        class: 'json',
        tabindex: '0',
        role: 'region',
        'aria-label': `Data for hendelse ${e.revision} (JSON)`,
      },
      JSON.stringify(parseData(e), null, 2),
    ),
  );
}
