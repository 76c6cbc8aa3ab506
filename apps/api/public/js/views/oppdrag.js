// @ts-check
// One oppdrag: its fields, source, deadlines and milestones, what the signed-in person may do, the
// oppdrag as of any earlier instant, and its full history (who, what, when, why).

import { debounce, field, focusHeading, h, replace, tableWrap, uid } from '../dom.js';
import {
  daysText,
  eventLabel,
  formatDate,
  formatInstant,
  namesList,
  orgName,
  owesLabel,
  osloLocalToInstant,
  outcomeLabel,
  relativeDeadline,
  roleLabel,
  statusLabel,
  toOsloLocalInput,
} from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { AS_OF, HISTORY, OPPDRAG } from '../queries.js';
import { ownPart, renderActions } from './actions.js';

const badge = (kind, text) => h('span', { class: `badge badge--${kind}` }, text);

async function loadHistory(id) {
  const entries = [];
  let from = 0;
  for (let page = 0; page < 50; page += 1) {
    const data = await gql(HISTORY, { id, from });
    entries.push(...data.history.entries);
    if (!data.history.hasMore || data.history.entries.length === 0) break;
    from = data.history.entries[data.history.entries.length - 1].revision + 1;
  }
  return entries;
}

function parseData(entry) {
  try {
    return JSON.parse(entry.data);
  } catch {
    return {};
  }
}

/** One line on what an event changed, in words. */
/**
 * For each event that names a milestone by id, the milestone's title when the event happened (by
 * revision), so that the timeline shows titles, also of milestones renamed or removed since.
 */
function milestoneTitles(entries) {
  const titles = new Map();
  const at = new Map();
  for (const e of [...entries].sort((a, b) => a.revision - b.revision)) {
    const d = parseData(e);
    if (d.milestoneId) at.set(e.revision, titles.get(d.milestoneId));
    if (e.type === 'OppdragAssigned') for (const m of d.milestones ?? []) titles.set(m.id, m.title);
    else if (e.type === 'MilestoneAdded' && d.milestone) titles.set(d.milestone.id, d.milestone.title);
    else if (e.type === 'MilestoneChanged' && d.title) titles.set(d.milestoneId, d.title);
  }
  return at;
}

function eventSummary(entry, names, milestoneTitle) {
  const d = parseData(entry);
  const milestone = (id) => `«${milestoneTitle ?? id}»`;
  const org = (id) => (id ? (names.get(id) ?? id) : 'ingen (alle RHF-er)');
  // Events written before parts existed name no part: they were the lead's.
  const part = (data) => (data.part ? `Delen til ${org(data.part)}: ` : '');
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

export function renderOppdrag(main, ctx, id) {
  const names = new Map(ctx.organisations.map((o) => [o.id, o.shortName]));
  let oppdrag = null;
  let actionsPanel = null;
  let unmounted = false;
  let generation = 0;
  /** The revision this page's own last command produced: its echo over the live connection is no news. */
  let ownRevision = -1;

  const heading = h('h1', { tabindex: '-1' }, id);
  const metaLine = h('div', { class: 'meta-line' });
  const notice = h('div', { role: 'status', 'data-testid': 'notice' });
  const factsBody = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Laster …'));
  const deadlineBody = h('div');
  const partsBody = h('div');
  const milestonesBody = h('div');
  const descriptionBody = h('div');
  const sourceBody = h('div');
  const actionMessages = h('div', { 'data-testid': 'action-messages' });
  const actionsBody = h('div', { 'data-testid': 'actions' });
  const timelineBody = h('div', { 'aria-busy': 'true' });
  const asOfResult = h('div', {
    class: 'asof-result',
    'aria-live': 'polite',
    'data-testid': 'asof-result',
    hidden: true,
  });
  const asOfErrors = h('div', { role: 'alert' });
  const asOfInput = h('input', { type: 'datetime-local', step: '1', name: 'instant' });

  const ids = {
    facts: uid('h'),
    deadline: uid('h'),
    parts: uid('h'),
    milestones: uid('h'),
    description: uid('h'),
    source: uid('h'),
    actions: uid('h'),
    asof: uid('h'),
    timeline: uid('h'),
  };
  const panel = (key, title, ...body) =>
    h(
      'section',
      { class: 'panel', 'aria-labelledby': ids[key], id: `panel-${key}` },
      h('h2', { id: ids[key] }, title),
      body,
    );

  const asOfForm = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      'data-testid': 'asof-form',
      onSubmit: (event) => {
        event.preventDefault();
        const instant = osloLocalToInstant(asOfInput.value);
        if (!instant) {
          replace(
            asOfErrors,
            h('div', { class: 'message message--error' }, h('p', null, 'Velg dato og klokkeslett først.')),
          );
          asOfInput.focus();
          return;
        }
        void showAsOf(instant);
      },
    },
    field('Tidspunkt (norsk tid)', asOfInput, 'Velg et tidspunkt, eller bruk knappene i historikken').wrap,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button' }, 'Vis slik det var'),
      h(
        'button',
        {
          type: 'button',
          class: 'button button--quiet',
          onClick: () => {
            asOfResult.hidden = true;
            replace(asOfResult);
            replace(asOfErrors);
          },
        },
        'Skjul',
      ),
    ),
    asOfErrors,
  );

  replace(
    main,
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Brødsmuler' },
      h('a', { href: '#/' }, '← Tilbake til oversikten'),
    ),
    heading,
    metaLine,
    notice,
    h(
      'div',
      { class: 'grid grid--detail' },
      h(
        'div',
        null,
        panel('facts', 'Opplysninger', factsBody),
        panel('parts', 'Deler per RHF', partsBody),
        panel('deadline', 'Frist', deadlineBody),
        panel('milestones', 'Delleveranser', milestonesBody),
        panel('description', 'Beskrivelse', descriptionBody),
        panel('source', 'Kilde', sourceBody),
      ),
      h(
        'div',
        null,
        panel('actions', 'Handlinger', actionMessages, actionsBody),
        panel('asof', 'Se oppdraget slik det var', asOfForm, asOfResult),
        panel('timeline', 'Historikk', timelineBody),
      ),
    ),
  );
  focusHeading(heading);

  // A rebuild asked for by a load that a later load overtook is still owed.
  let rebuildOwed = false;

  async function load({ rebuildActions = true } = {}) {
    const mine = ++generation;
    rebuildOwed = rebuildOwed || rebuildActions;
    try {
      const [data, history] = await Promise.all([gql(OPPDRAG, { id }), loadHistory(id).catch((e) => e)]);
      if (unmounted || mine !== generation) return;
      if (!data.oppdrag) {
        replace(heading, 'Fant ikke oppdraget');
        replace(factsBody, h('p', null, `Det finnes ikke noe oppdrag med id ${id}.`));
        return;
      }
      oppdrag = data.oppdrag;
      renderOppdragFields(oppdrag);
      if (rebuildOwed || !actionsPanel || !actionsPanel.dirty()) {
        rebuildOwed = false;
        actionsPanel = renderActions(actionsBody, ctx, oppdrag, {
          messages: actionMessages,
          onSaved: saved,
          onRefused: refused,
        });
      } else {
        actionsPanel.setRevision(oppdrag.revision);
      }
      if (history instanceof Error)
        replace(timelineBody, errorMessage(history, 'Kunne ikke hente historikken.'));
      else renderTimeline(history);
      if (!asOfInput.value && oppdrag.lastChange) asOfInput.value = toOsloLocalInput(oppdrag.lastChange.at);
    } catch (error) {
      if (unmounted || mine !== generation) return;
      replace(factsBody, errorMessage(error, 'Kunne ikke hente oppdraget.'));
    } finally {
      factsBody.setAttribute('aria-busy', 'false');
      timelineBody.setAttribute('aria-busy', 'false');
    }
  }

  function saved(text, result) {
    ownRevision = Math.max(ownRevision, result.revision);
    const message = h(
      'div',
      { class: 'message message--ok', tabindex: '-1' },
      h('p', null, `${text} `, `Hendelser: ${result.events.map(eventLabel).join(', ') || 'ingen nye'}.`),
    );
    replace(actionMessages, message);
    message.focus();
    ctx.announce(text);
    void load();
  }

  function refused(error, lead) {
    const message = errorMessage(error, lead);
    message.setAttribute('tabindex', '-1');
    replace(actionMessages, message);
    message.focus();
    // A refusal because of the oppdrag's state or the rules: show the oppdrag as it is now, with the
    // actions that are allowed now. A refused input keeps the form, so it can be corrected.
    if (['FORBIDDEN', 'CONFLICT', 'INVALID_TRANSITION', 'NOT_FOUND'].includes(error.code)) void load();
  }

  function renderOppdragFields(o) {
    replace(heading, o.title);
    document.title = `${o.title} – Oppdragsflyt`;
    replace(
      metaLine,
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
    );
    const collaborators =
      o.collaborators.length === 0
        ? 'Ingen'
        : h(
            'ul',
            { class: 'plain' },
            o.collaborators.map((c) => h('li', null, c.name)),
          );
    replace(
      factsBody,
      h(
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
      ),
    );

    const stated = o.deadlineSource === 'STATED';
    replace(
      deadlineBody,
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
          h('div', { class: 'panel__hint' }, relativeDeadline(o.effectiveDeadline, ctx.today)),
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
    );

    renderParts(o);

    const owing = o.parts.filter((p) => p.owes === 'JOINT');
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
    replace(
      milestonesBody,
      o.milestones.length === 0
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
          ),
    );

    replace(descriptionBody, h('p', { class: 'description' }, o.description || 'Ingen beskrivelse.'));

    replace(
      sourceBody,
      o.sources.length === 0
        ? h('p', { class: 'empty' }, 'Ingen kildereferanse.')
        : o.sources.map((s) =>
            h(
              'dl',
              { class: 'facts', 'data-testid': 'source' },
              h('dt', null, 'Brev'),
              h('dd', null, s.letter),
              h('dt', null, 'Type'),
              h(
                'dd',
                null,
                { hoveddokument: 'Oppdragsdokument', tilleggsdokument: 'Tilleggsdokument' }[s.letterKind] ??
                  'Annet',
              ),
              s.recipient
                ? [h('dt', null, 'Mottaker'), h('dd', null, names.get(s.recipient) ?? s.recipient)]
                : null,
              s.sectionTitle
                ? [
                    h('dt', null, 'Hovedmål / del'),
                    h(
                      'dd',
                      null,
                      `${s.sectionNumber != null ? `${s.sectionNumber}. ` : ''}${s.sectionTitle}`,
                    ),
                  ]
                : null,
              s.heading ? [h('dt', null, 'Overskrift'), h('dd', null, s.heading)] : null,
              s.lineStart
                ? [h('dt', null, 'Linjer'), h('dd', null, `${s.lineStart}–${s.lineEnd ?? s.lineStart}`)]
                : null,
            ),
          ),
    );
  }

  function renderParts(o) {
    const mine = ownPart(ctx.me, o);
    const reported = o.parts.filter((p) => p.status === 'REPORTED').length;
    const n = o.parts.length;
    const rule = o.lead
      ? `Oppdraget er rapportert når ledende RHF (${o.lead.name}) har rapportert sin del, som skylder den felles leveransen (delleveransene og fristen).${n > 1 ? ' De andre RHF-ene skylder en rapport om sin del i Årlig melding.' : ''}`
      : `Oppdraget har ikke noe ledende RHF: hver del skylder den felles leveransen (delleveransene og fristen), og oppdraget er rapportert når ${n === 1 ? 'delen' : `alle ${n} delene`} er rapportert.`;
    replace(
      partsBody,
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
                o.parts.map((p) =>
                  h(
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
                            p.documentRef
                              ? h('div', { class: 'panel__hint' }, `Dokument: ${p.documentRef}`)
                              : null,
                            p.summary ? h('div', { class: 'panel__hint' }, `Sammendrag: ${p.summary}`) : null,
                          ]
                        : [
                            'Ikke rapportert',
                            p.reportedLate ? [' ', badge('late', 'tidligere rapportert for sent')] : null,
                          ],
                    ),
                  ),
                ),
              ),
            ),
          ),
    );
  }

  function renderTimeline(entries) {
    const titles = milestoneTitles(entries);
    const newestFirst = [...entries].sort((a, b) => b.revision - a.revision);
    replace(
      timelineBody,
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
                onClick: () => {
                  asOfInput.value = toOsloLocalInput(e.recordedAt);
                  void showAsOf(e.recordedAt);
                },
              },
              `Vis oppdraget slik det var etter denne hendelsen`,
            ),
            h(
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
            ),
          );
        }),
      ),
    );
  }

  async function showAsOf(instant) {
    replace(asOfErrors);
    try {
      const data = await gql(AS_OF, { id, instant });
      const r = data.oppdragAsOf;
      asOfResult.hidden = false;
      if (!r.existed || !r.oppdrag) {
        replace(
          asOfResult,
          h('p', null, `Oppdraget fantes ikke ennå ${formatInstant(r.asOf, { seconds: true })}.`),
        );
        return;
      }
      const o = r.oppdrag;
      replace(
        asOfResult,
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
      );
    } catch (error) {
      replace(asOfErrors, errorMessage(error, 'Kunne ikke vise oppdraget på det tidspunktet.'));
    }
  }

  const liveReload = debounce(() => void load({ rebuildActions: false }), 150);

  void load();

  return {
    refresh: () => void load({ rebuildActions: false }),
    onLiveChange: (change) => {
      if (change.oppdrag.id !== id) return;
      // This page's own command: the answer to it reloads the page already.
      if (actionsPanel?.busy() || change.oppdrag.revision <= ownRevision) return;
      const who = change.oppdrag.lastChange?.actorName;
      const dirty = actionsPanel?.dirty();
      // The person is told about the change right here, so what they send next is judged against it.
      actionsPanel?.setRevision(change.oppdrag.revision);
      replace(
        notice,
        h(
          'div',
          { class: 'message message--info' },
          h(
            'p',
            null,
            `Oppdraget ble endret akkurat nå: ${eventLabel(change.eventType).toLowerCase()}${who ? ` (${who})` : ''}.`,
            dirty
              ? ' Skjemaet du fyller ut, er beholdt; det blir kontrollert mot den nye tilstanden når du lagrer.'
              : '',
          ),
        ),
      );
      liveReload();
    },
    unmount: () => {
      unmounted = true;
    },
  };
}
