// @ts-check
// The sections of an oppdrag's page, each built from the oppdrag as the API gives it: what it is, its
// deadline, its parts, its milestones, its source, and the oppdrag as of an earlier instant.

import { h, tableWrap } from '../dom.js';
import {
  daysText,
  eventLabel,
  formatDate,
  formatInstant,
  namesList,
  orgName,
  outcomeLabel,
  owesLabel,
  relativeDeadline,
  statusLabel,
} from '../format.js';

/** @import { Milestone, Oppdrag, OppdragAsOf, Part } from '../types.js' */

/** The kinds of letter, as the letter reader names them. */
/** @type {Record<string, string>} */
const LETTER_KINDS = { hoveddokument: 'Oppdragsdokument', tilleggsdokument: 'Tilleggsdokument' };

/**
 * @param {string} kind
 * @param {string} text
 */
export const badge = (kind, text) => h('span', { class: `badge badge--${kind}` }, text);

/**
 * The line under the title: id, status, overdue and late badges, revision and last change.
 * @param {Oppdrag} o
 */
export function metaLineOf(o) {
  return [
    h('span', { class: 'table-id' }, o.id),
    badge(o.status.toLowerCase(), statusLabel(o.status)),
    o.overdue ? badge('overdue', `Forfalt, ${daysText(o.daysOverdue)} over fristen`) : null,
    o.overdueParts.length > 0 && !o.overdue
      ? badge('overdue', `${o.overdueParts.length} av ${o.parts.length} deler forfalt`)
      : null,
    o.reportedLate ? badge('late', 'Rapportert for sent') : null,
    h('span', null, `Revisjon ${o.revision}`),
    o.lastChange
      ? h('span', null, `Sist endret ${formatInstant(o.lastChange.at)} av ${o.lastChange.actorName}`)
      : null,
  ];
}

/**
 * The oppdrag's facts: year, main goal, lead, addressees, collaborators, status and dates.
 * @param {Oppdrag} o
 */
export function factsOf(o) {
  const collaborators =
    o.collaborators.length === 0
      ? 'Ingen'
      : h(
          'ul',
          { class: 'plain' },
          o.collaborators.map((c) => h('li', null, c.name)),
        );
  return h(
    'dl',
    { class: 'facts' },
    h('dt', null, 'År'),
    h('dd', null, o.year),
    h('dt', null, 'Hovedmål'),
    h(
      'dd',
      null,
      o.hovedmal
        ? `${o.hovedmal.number ?? ''}${o.hovedmal.number != null ? '. ' : ''}${o.hovedmal.title}`
        : '–',
    ),
    h('dt', null, 'Ledende RHF'),
    h('dd', { 'data-testid': 'lead' }, o.lead ? o.lead.name : 'Ingen – alle RHF-er, hver for seg'),
    h('dt', null, 'Rettet til'),
    h(
      'dd',
      { 'data-testid': 'addressees' },
      o.addressees.length === 0 ? 'Ingen' : namesList(o.addressees.map((a) => a.name)),
    ),
    h('dt', null, 'Samarbeidspartnere'),
    h('dd', null, collaborators),
    h('dt', null, 'Status'),
    h('dd', { 'data-testid': 'status' }, statusLabel(o.status)),
    h('dt', null, 'Startet'),
    h('dd', null, formatDate(o.startedOn, 'Ikke startet')),
    h('dt', null, 'Rapportert'),
    h(
      'dd',
      null,
      o.reportedOn
        ? `${formatDate(o.reportedOn)}${
            o.parts.length > 1
              ? ' (se hver del under «Deler per RHF»)'
              : o.documentRef
                ? `, dokument: ${o.documentRef}`
                : ''
          }`
        : 'Ikke rapportert',
      o.reportedLate ? [' ', badge('late', 'rapportert for sent')] : null,
    ),
    o.closed
      ? [
          h('dt', null, 'Lukket'),
          h(
            'dd',
            { 'data-testid': 'closed' },
            `${formatDate(o.closed.closedOn)}: ${outcomeLabel(o.closed.outcome)}${o.closed.reason ? ` – ${o.closed.reason}` : ''}`,
          ),
        ]
      : null,
    o.closed?.supersededBy
      ? [
          h('dt', null, 'Erstattet av'),
          h(
            'dd',
            { 'data-testid': 'superseded-by' },
            h('a', { href: `#/oppdrag/${o.closed.supersededBy}` }, o.closed.supersededBy),
          ),
        ]
      : null,
    o.nextDue
      ? [h('dt', null, 'Neste dato'), h('dd', null, `${formatDate(o.nextDue.date)} (${o.nextDue.what})`)]
      : null,
  );
}

/**
 * The stated deadline, the Årlig melding date, and which of them applies.
 * @param {Oppdrag} o
 * @param {string} today
 */
export function deadlineOf(o, today) {
  const stated = o.deadlineSource === 'STATED';
  return [
    h(
      'div',
      { class: 'deadline-box', 'data-testid': 'deadline' },
      h(
        'div',
        { class: stated ? 'applies' : null },
        h('span', { class: 'label' }, 'Fastsatt frist'),
        h('span', { class: 'value' }, o.statedDeadline ? formatDate(o.statedDeadline) : 'Ingen oppgitt'),
        stated ? h('div', null, badge('started applies-tag', 'Gjelder')) : null,
      ),
      h(
        'div',
        { class: stated ? null : 'applies' },
        h('span', { class: 'label' }, 'Årlig melding'),
        h('span', { class: 'value' }, `15. mars ${o.year + 1}`),
        stated ? null : h('div', null, badge('started applies-tag', 'Gjelder')),
      ),
      h(
        'div',
        null,
        h('span', { class: 'label' }, 'Effektiv frist'),
        h('span', { class: 'value' }, formatDate(o.effectiveDeadline)),
        h('div', { class: 'panel__hint' }, relativeDeadline(o.effectiveDeadline, today)),
      ),
    ),
    h(
      'p',
      { class: 'panel__hint' },
      stated
        ? 'Brevet eller en koordinator har satt fristen, og den gjelder.'
        : 'Brevet oppgir ingen frist. Oppdraget skal da rapporteres i Årlig melding, 15. mars året etter.',
      o.deadlinePassedOn ? ` Fristen ble registrert som passert ${formatDate(o.deadlinePassedOn)}.` : '',
    ),
  ];
}

/**
 * Each RHF's part: what it owes, by when, its status and its report.
 * @param {Oppdrag} o
 * @param {Part | null} mine the signed-in user's own part, if any
 */
export function partsOf(o, mine) {
  const reported = o.parts.filter((p) => p.status === 'REPORTED').length;
  const n = o.parts.length;
  const rule = o.lead
    ? `Oppdraget er rapportert når ledende RHF (${o.lead.name}) har rapportert sin del, som skylder den felles leveransen (delleveransene og fristen).${n > 1 ? ' De andre RHF-ene skylder en rapport om sin del i Årlig melding.' : ''}`
    : `Oppdraget har ikke noe ledende RHF: hver del skylder den felles leveransen (delleveransene og fristen), og oppdraget er rapportert når ${n === 1 ? 'delen' : `alle ${n} delene`} er rapportert.`;
  return [
    h(
      'p',
      { class: 'panel__hint', 'data-testid': 'parts-summary' },
      `${reported} av ${n} ${n === 1 ? 'del' : 'deler'} er rapportert. ${rule}`,
    ),
    o.parts.length === 0
      ? h('p', { class: 'empty' }, 'Oppdraget er ikke rettet til noe RHF.')
      : tableWrap(
          'Tabell over delene',
          h(
            'table',
            { 'data-testid': 'parts' },
            h('caption', { class: 'visually-hidden' }, 'Hvert RHF sin del av oppdraget'),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'RHF'),
                h('th', { scope: 'col' }, 'Skylder'),
                h('th', { scope: 'col' }, 'Frist'),
                h('th', { scope: 'col' }, 'Status'),
                h('th', { scope: 'col' }, 'Rapportert'),
              ),
            ),
            h(
              'tbody',
              null,
              o.parts.map((p) => partRowOf(p, mine)),
            ),
          ),
        ),
  ];
}

/**
 * The milestones, with what each part that owes them has delivered.
 * @param {Oppdrag} o
 */
export function milestonesOf(o) {
  const owing = o.parts.filter((p) => p.owes === 'JOINT');
  /** @param {Milestone} m */
  const deliveries = (m) => {
    const missing = owing.filter((p) => !m.reports.some((r) => r.organisation.id === p.organisation.id));
    if (m.reports.length === 0 && missing.length <= 1) return 'Ikke levert';
    return h(
      'ul',
      { class: 'plain' },
      m.reports.map((r) =>
        h(
          'li',
          { dataset: { part: r.organisation.id } },
          `${r.organisation.shortName}: ${formatDate(r.reportedOn)}, dokument: ${r.documentRef}`,
          r.late ? [' ', badge('late', 'rapportert for sent')] : null,
          r.note ? h('div', { class: 'panel__hint' }, r.note) : null,
        ),
      ),
      missing.map((p) =>
        h(
          'li',
          { dataset: { part: p.organisation.id }, class: 'missing' },
          `${p.organisation.shortName}: ikke levert`,
        ),
      ),
    );
  };
  return o.milestones.length === 0
    ? h('p', { class: 'empty' }, 'Ingen delleveranser.')
    : h(
        'table',
        { 'data-testid': 'milestones' },
        h('caption', { class: 'visually-hidden' }, 'Delleveranser'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Delleveranse'),
            h('th', { scope: 'col' }, 'Frist'),
            h('th', { scope: 'col' }, 'Levert'),
          ),
        ),
        h(
          'tbody',
          null,
          o.milestones.map((m) =>
            h(
              'tr',
              { dataset: { milestone: m.id } },
              h('td', null, m.title, h('div', { class: 'panel__hint' }, `${m.kind} · ${m.id}`)),
              h(
                'td',
                { class: 'nowrap' },
                formatDate(m.dueDate),
                m.overdue ? [' ', badge('overdue', 'forfalt')] : null,
              ),
              h('td', null, deliveries(m)),
            ),
          ),
        ),
      );
}

/**
 * The letters the oppdrag was read from.
 * @param {Oppdrag} o
 * @param {Map<string, string>} names
 */
export function sourcesOf(o, names) {
  return o.sources.length === 0
    ? h('p', { class: 'empty' }, 'Ingen kildereferanse.')
    : o.sources.map((s) =>
        h(
          'dl',
          { class: 'facts', 'data-testid': 'source' },
          h('dt', null, 'Brev'),
          h('dd', null, s.letter),
          h('dt', null, 'Type'),
          h('dd', null, LETTER_KINDS[s.letterKind] ?? 'Annet'),
          s.recipient
            ? [h('dt', null, 'Mottaker'), h('dd', null, names.get(s.recipient) ?? s.recipient)]
            : null,
          s.sectionTitle
            ? [
                h('dt', null, 'Hovedmål / del'),
                h('dd', null, `${s.sectionNumber != null ? `${s.sectionNumber}. ` : ''}${s.sectionTitle}`),
              ]
            : null,
          s.heading ? [h('dt', null, 'Overskrift'), h('dd', null, s.heading)] : null,
          s.lineStart
            ? [h('dt', null, 'Linjer'), h('dd', null, `${s.lineStart}–${s.lineEnd ?? s.lineStart}`)]
            : null,
        ),
      );
}

/**
 * The oppdrag as it stood at an instant (the answer to oppdragAsOf, which existed then).
 * @param {OppdragAsOf & { oppdrag: NonNullable<OppdragAsOf['oppdrag']> }} r
 */
export function asOfOf(r) {
  const o = r.oppdrag;
  return [
    h('h3', null, `Slik det var ${formatInstant(r.asOf, { seconds: true })} (revisjon ${r.revision})`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Status'),
      h('dd', { 'data-testid': 'asof-status' }, statusLabel(o.status)),
      h('dt', null, 'Ledende RHF'),
      h('dd', null, orgName(o.lead)),
      h('dt', null, 'Samarbeidspartnere'),
      h('dd', null, o.collaborators.map((c) => c.shortName).join(', ') || 'Ingen'),
      h('dt', null, 'Fastsatt frist'),
      h('dd', null, formatDate(o.statedDeadline, 'Ingen oppgitt')),
      h('dt', null, 'Effektiv frist'),
      h('dd', null, formatDate(o.effectiveDeadline)),
      h('dt', null, 'Startet'),
      h('dd', null, formatDate(o.startedOn, 'Ikke startet')),
      h('dt', null, 'Rapportert'),
      h('dd', null, o.reportedOn ? `${formatDate(o.reportedOn)} (${o.documentRef})` : 'Ikke rapportert'),
      h('dt', null, 'Deler'),
      h(
        'dd',
        { 'data-testid': 'asof-parts' },
        o.parts.length === 0
          ? 'Ingen'
          : o.parts
              .map(
                (p) =>
                  `${p.organisation.shortName}: ${statusLabel(p.status).toLowerCase()}${p.reportedOn ? ` ${formatDate(p.reportedOn)}` : ''}`,
              )
              .join('; '),
      ),
      o.closed
        ? [
            h('dt', null, 'Lukket'),
            h(
              'dd',
              null,
              `${formatDate(o.closed.closedOn)}: ${outcomeLabel(o.closed.outcome)}${o.closed.supersededBy ? `, erstattet av ${o.closed.supersededBy}` : ''}`,
            ),
          ]
        : null,
      h('dt', null, 'Delleveranser'),
      h(
        'dd',
        null,
        o.milestones.length === 0
          ? 'Ingen'
          : o.milestones
              .map(
                (m) =>
                  `${m.title}: ${m.reportedOn ? `levert ${formatDate(m.reportedOn)}` : `ikke levert (frist ${formatDate(m.dueDate)})`}`,
              )
              .join('; '),
      ),
      o.lastChange
        ? [
            h('dt', null, 'Siste hendelse'),
            h('dd', null, `${eventLabel(o.lastChange.type)}, ${o.lastChange.actorName}`),
          ]
        : null,
    ),
  ];
}

/**
 * One RHF's part: what it owes, by when, its status and its report.
 * @param {Part} p
 * @param {Part | null} mine the signed-in user's own part, if any
 */
function partRowOf(p, mine) {
  return h(
    'tr',
    { dataset: { part: p.organisation.id, status: p.status } },
    h(
      'th',
      { scope: 'row' },
      p.organisation.name,
      p.lead ? [' ', badge('started', 'ledende')] : null,
      p === mine ? h('div', { class: 'panel__hint' }, 'Ditt RHF') : null,
    ),
    h('td', { class: 'owes' }, owesLabel(p.owes)),
    h(
      'td',
      { class: 'nowrap' },
      formatDate(p.dueDate),
      p.overdue ? [' ', badge('overdue', 'forfalt')] : null,
    ),
    h(
      'td',
      { class: 'part-status' },
      badge(p.status.toLowerCase(), statusLabel(p.status)),
      h(
        'div',
        { class: 'panel__hint nowrap' },
        p.startedOn ? `startet ${formatDate(p.startedOn)}` : 'ikke startet',
      ),
    ),
    h(
      'td',
      { class: 'reported' },
      p.reportedOn
        ? [
            formatDate(p.reportedOn),
            p.reportedLate ? [' ', badge('late', 'rapportert for sent')] : null,
            p.documentRef ? h('div', { class: 'panel__hint' }, `Dokument: ${p.documentRef}`) : null,
            p.summary ? h('div', { class: 'panel__hint' }, `Sammendrag: ${p.summary}`) : null,
          ]
        : ['Ikke rapportert', p.reportedLate ? [' ', badge('late', 'tidligere rapportert for sent')] : null],
    ),
  );
}
