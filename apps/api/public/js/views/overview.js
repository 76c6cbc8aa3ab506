// The overview: per-RHF workload, "Forfalt i dag" (oppdrag and milestones), "Frist innen 30 dager", an
// RHF user's own parts, recent live changes, and the filterable list of all oppdrag with the API's
// totalCount.

import { debounce, field, focusHeading, h, replace, select, uid } from '../dom.js';
import {
  daysText,
  eventLabel,
  formatDate,
  formatInstant,
  involvementLabel,
  namesList,
  orgName,
  relativeDeadline,
  STATUS_LABELS,
  statusLabel,
} from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { FACETS, LIST, SUMMARY } from '../queries.js';
import { renderAssignForm } from './assign.js';
import { renderAnnualReportDownload } from '../annual-report.js';

const PAGE_SIZE = 25;

/**
 * The filters survive moving between pages within the session, and are kept in the address (#/?lead=…),
 * so that a filtered list can be bookmarked, shared and reloaded. An empty status means "not closed".
 */
const filters = { year: '', hovedmal: '', status: '', lead: '', collaborator: '', due: '', text: '' };

/** Takes the filters from the address, if it has any; a lead or collaborator may be named, not only by id. */
function filtersFromAddress(organisations) {
  const query = location.hash.split('?')[1];
  if (query === undefined) return;
  const params = new URLSearchParams(query);
  const byName = (value) => {
    const wanted = value.trim().toLowerCase();
    return (
      organisations.find((o) => [o.id, o.name, o.shortName].some((n) => n.toLowerCase() === wanted))?.id ??
      value
    );
  };
  for (const key of Object.keys(filters)) {
    const value = params.get(key) ?? '';
    filters[key] =
      (key === 'lead' || key === 'collaborator') && value && value !== 'none' ? byName(value) : value;
  }
}

/** Writes the filters into the address without a new history entry or a new render. */
function filtersToAddress() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const query = params.toString();
  const hash = query ? `#/?${query}` : '#/';
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

const RHF_OPTIONS = (orgs) => orgs.filter((o) => o.kind === 'rhf');

/** The API filter for the form's values. */
export function apiFilter(values, today) {
  const filter = {};
  if (values.year) filter.year = Number(values.year);
  if (values.hovedmal !== '') filter.hovedmal = Number(values.hovedmal);
  // Closed oppdrag are left out unless asked for.
  if (values.status === '') filter.status = ['ASSIGNED', 'STARTED', 'REPORTED'];
  else if (values.status === 'open') filter.status = ['ASSIGNED', 'STARTED'];
  else if (values.status !== 'all') filter.status = [values.status];
  if (values.lead === 'none') filter.withoutLead = true;
  else if (values.lead) filter.lead = values.lead;
  if (values.collaborator) filter.collaborator = values.collaborator;
  if (values.due === 'overdue') filter.overdueOn = today;
  else if (values.due === 'soon30') filter.dueWithinDays = 30;
  else if (values.due === 'soon7') filter.dueWithinDays = 7;
  if (values.text.trim()) filter.text = values.text.trim();
  return filter;
}

async function loadFacets(ctx) {
  if (ctx.facets) return ctx.facets;
  const years = new Set([Number(ctx.today.slice(0, 4))]);
  const hovedmal = new Map();
  let after = null;
  for (let page = 0; page < 20; page += 1) {
    const data = await gql(FACETS, { after });
    for (const n of data.oppdragList.nodes) {
      years.add(n.year);
      if (n.hovedmal && n.hovedmal.number !== null && !hovedmal.has(n.hovedmal.number))
        hovedmal.set(n.hovedmal.number, n.hovedmal.title);
    }
    if (!data.oppdragList.pageInfo.hasNextPage) break;
    after = data.oppdragList.pageInfo.endCursor;
  }
  ctx.facets = {
    years: [...years].sort((a, b) => b - a),
    hovedmal: [...hovedmal.entries()].sort((a, b) => a[0] - b[0]),
  };
  return ctx.facets;
}

/** Who the oppdrag is addressed to, when that is more than its lead alone. */
function addresseesHint(o, rhfCount) {
  const others = o.addressees.filter((a) => a.id !== o.lead?.id);
  if (others.length === 0) return null;
  if (o.addressees.length === rhfCount) return 'Rettet til alle RHF-ene';
  return `Rettet til ${namesList(o.addressees.map((a) => a.shortName))}`;
}

const oppdragLink = (o) => h('a', { href: `#/oppdrag/${o.id}` }, o.title);

function statusBadge(status) {
  return h('span', { class: `badge badge--${status.toLowerCase()}` }, statusLabel(status));
}

/** The list's heading for the filters: "Åpne oppdrag som Helse Vest leder". */
function listHeadingText(organisations) {
  const what =
    {
      '': 'Oppdrag som ikke er lukket',
      all: 'Alle oppdrag',
      open: 'Åpne oppdrag',
      ASSIGNED: 'Tildelte oppdrag',
      STARTED: 'Startede oppdrag',
      REPORTED: 'Rapporterte oppdrag',
      CLOSED: 'Lukkede oppdrag',
    }[filters.status] ?? 'Oppdrag';
  if (filters.lead === 'none') return `${what} uten ledende RHF`;
  const lead = organisations.find((o) => o.id === filters.lead);
  if (!lead) return what;
  return `${what}${filters.status === '' ? ',' : ''} som ${lead.shortName} leder`;
}

export function renderOverview(main, ctx) {
  const { me, today } = ctx;
  filtersFromAddress(ctx.organisations);
  filtersToAddress();
  let listGeneration = 0;
  let summaryGeneration = 0;
  let listNodes = [];
  let pageInfo = null;
  let unmounted = false;

  // Panels are created once and filled by the loaders.
  const workloadBody = h(
    'div',
    { class: 'table-wrap', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, 'Laster …'),
  );
  const overdueCount = h('span', { class: 'count count--danger', 'data-testid': 'overdue-total' }, '…');
  // Scrolling regions take keyboard focus so that their overflow can be reached without a mouse.
  const scrollBox = (label) =>
    h('div', { class: 'scroll', 'aria-busy': 'true', tabindex: '0', role: 'region', 'aria-label': label });
  const overdueBody = scrollBox('Forfalt i dag');
  const soonCount = h('span', { class: 'count', 'data-testid': 'soon-total' }, '…');
  const soonBody = scrollBox('Frist innen 30 dager');
  const mineCount = h('span', { class: 'count' }, '…');
  const mineBody = scrollBox('Våre deler');
  const overdueMilestonesCount = h(
    'span',
    { class: 'count count--danger', 'data-testid': 'overdue-milestones-total' },
    '…',
  );
  const overdueMilestonesBody = scrollBox('Forfalte delleveranser');
  const feedList = h('ol', { class: 'feed', 'data-testid': 'feed' });
  const listTotal = h('span', { class: 'count', 'data-testid': 'list-total' }, '…');
  const listHeadingLabel = h('span', null, listHeadingText(ctx.organisations));
  const listStatus = h('p', { class: 'panel__hint', role: 'status', 'data-testid': 'list-status' });
  const listBody = h('div', { class: 'table-wrap', 'aria-busy': 'true' });
  const listErrors = h('div', { role: 'alert' });
  const moreButton = h(
    'button',
    { type: 'button', class: 'button button--quiet', hidden: true, onClick: () => void loadList(true) },
    'Vis flere',
  );

  const isRhf = me.role === 'RHF' && me.organisation;
  const rhfCount = RHF_OPTIONS(ctx.organisations).length;

  // Filters.
  const form = h('form', {
    class: 'filters',
    role: 'search',
    'aria-label': 'Filtrer oppdrag',
    onSubmit: (e) => {
      e.preventDefault();
      applyFilters();
    },
  });
  const yearSelect = select('year', [{ value: '', label: 'Alle år' }], filters.year);
  const hovedmalSelect = select('hovedmal', [{ value: '', label: 'Alle hovedmål' }], filters.hovedmal);
  const statusSelect = select(
    'status',
    [
      { value: '', label: 'Alle som ikke er lukket' },
      { value: 'all', label: 'Alle, også lukkede' },
      { value: 'open', label: 'Åpne (tildelt eller startet)' },
      ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label })),
    ],
    filters.status,
  );
  const leadSelect = select(
    'lead',
    [
      { value: '', label: 'Alle' },
      ...RHF_OPTIONS(ctx.organisations).map((o) => ({ value: o.id, label: o.shortName })),
      { value: 'none', label: 'Ingen (alle RHF-er hver for seg)' },
    ],
    filters.lead,
  );
  const collaboratorSelect = select(
    'collaborator',
    [
      { value: '', label: 'Alle' },
      ...ctx.organisations
        .filter((o) => o.kind !== 'ministry')
        .map((o) => ({ value: o.id, label: o.shortName })),
    ],
    filters.collaborator,
  );
  const dueSelect = select(
    'due',
    [
      { value: '', label: 'Alle frister' },
      { value: 'overdue', label: 'Forfalt i dag' },
      { value: 'soon7', label: 'Frist innen 7 dager' },
      { value: 'soon30', label: 'Frist innen 30 dager' },
    ],
    filters.due,
  );
  const textInput = h('input', { type: 'search', name: 'text', value: filters.text, maxlength: '200' });
  const resetButton = h(
    'button',
    {
      type: 'button',
      class: 'button button--quiet',
      onClick: () => {
        for (const key of Object.keys(filters)) filters[key] = '';
        for (const control of form.elements) if (control.name) control.value = '';
        applyFilters();
      },
    },
    'Nullstill',
  );
  const textField = field('Fritekst', textInput);
  textField.wrap.classList.add('field--text');
  form.append(
    field('År', yearSelect).wrap,
    field('Hovedmål', hovedmalSelect).wrap,
    field('Status', statusSelect).wrap,
    field('Ledende RHF', leadSelect).wrap,
    field('Samarbeidspartner', collaboratorSelect).wrap,
    field('Frist', dueSelect).wrap,
    textField.wrap,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button' }, 'Søk'), resetButton),
  );
  const applyFilters = () => {
    for (const control of form.elements)
      if (control.name && control.name in filters) filters[control.name] = control.value;
    filtersToAddress();
    listHeadingLabel.textContent = listHeadingText(ctx.organisations);
    void loadList(false);
    void loadSummary();
  };
  form.addEventListener('change', (e) => {
    if (e.target !== textInput) applyFilters();
  });
  textInput.addEventListener('input', debounce(applyFilters, 400));

  const heading = h('h1', { tabindex: '-1' }, 'Oversikt');
  const workloadHeading = uid('h');
  const overdueHeading = uid('h');
  const soonHeading = uid('h');
  const mineHeading = uid('h');
  const feedHeading = uid('h');
  const listHeading = uid('h');

  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      heading,
      h('p', null, `I dag er ${formatDate(today)}. Tallene kommer rett fra API-et og oppdateres direkte.`),
    ),
    me.role === 'COORDINATOR' ? renderAssignForm(ctx, () => refreshAll()) : null,
    renderAnnualReportDownload(ctx),
    h(
      'div',
      { class: 'grid grid--summary' },
      h(
        'div',
        null,
        h(
          'section',
          { class: 'panel', 'aria-labelledby': workloadHeading, id: 'workload' },
          h('h2', { id: workloadHeading }, 'Per RHF'),
          workloadBody,
        ),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': feedHeading, id: 'live-feed' },
          h('h2', { id: feedHeading }, 'Siste endringer'),
          feedList,
        ),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': overdueHeading, id: 'overdue-today' },
        h('h2', { id: overdueHeading }, 'Forfalt i dag', overdueCount),
        h(
          'p',
          { class: 'panel__hint' },
          'Fristen er passert, og oppdraget er verken rapportert eller lukket. Mest forfalt først.',
        ),
        overdueBody,
        h('h3', null, 'Forfalte delleveranser ', overdueMilestonesCount),
        h(
          'p',
          { class: 'panel__hint' },
          'Delleveranser med frist før i dag som ikke er levert, på oppdrag som ikke er lukket.',
        ),
        overdueMilestonesBody,
      ),
      h(
        'div',
        null,
        isRhf
          ? h(
              'section',
              { class: 'panel', 'aria-labelledby': mineHeading, id: 'mine' },
              h('h2', { id: mineHeading }, `Våre deler (${me.organisation.shortName})`, mineCount),
              h(
                'p',
                { class: 'panel__hint' },
                'Oppdrag som ikke er lukket, som vi leder, er rettet til eller samarbeider på. ',
                h('a', { href: '#/mitt-rhf' }, 'Se alt i Mitt RHF'),
              ),
              mineBody,
            )
          : null,
        h(
          'section',
          { class: 'panel', 'aria-labelledby': soonHeading, id: 'due-soon' },
          h('h2', { id: soonHeading }, 'Frist innen 30 dager', soonCount),
          h('p', { class: 'panel__hint' }, 'Åpne oppdrag med frist fra i dag og 30 dager frem.'),
          soonBody,
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': listHeading, id: 'oppdrag-list' },
      h('h2', { id: listHeading, 'data-testid': 'list-heading' }, listHeadingLabel, ' ', listTotal),
      form,
      listErrors,
      listStatus,
      listBody,
      h('div', { class: 'form-actions' }, moreButton),
    ),
  );
  focusHeading(heading);
  renderFeed();

  function renderFeed(flashFirst = false) {
    if (ctx.feed.length === 0) {
      replace(feedList, h('li', { class: 'empty' }, 'Ingen endringer siden du logget inn.'));
      return;
    }
    replace(
      feedList,
      ctx.feed.map((entry, i) =>
        h(
          'li',
          { class: flashFirst && i === 0 ? 'flash' : null },
          h('time', { datetime: entry.at }, formatInstant(entry.at)),
          h('strong', null, entry.becameOverdue ? 'Forfalt' : eventLabel(entry.eventType)),
          ': ',
          h('a', { href: `#/oppdrag/${entry.id}` }, entry.title),
          entry.who && !entry.becameOverdue ? ` (${entry.who})` : '',
        ),
      ),
    );
  }

  function renderYearAndHovedmal(facets) {
    replace(
      yearSelect,
      [
        { value: '', label: 'Alle år' },
        ...facets.years.map((y) => ({ value: String(y), label: String(y) })),
      ].map((o) => h('option', { value: o.value, selected: o.value === filters.year }, o.label)),
    );
    replace(
      hovedmalSelect,
      [
        { value: '', label: 'Alle hovedmål' },
        ...facets.hovedmal.map(([n, title]) => ({ value: String(n), label: `${n}. ${title}` })),
      ].map((o) => h('option', { value: o.value, selected: o.value === filters.hovedmal }, o.label)),
    );
  }

  async function loadSummary() {
    const generation = ++summaryGeneration;
    try {
      const data = await gql(SUMMARY, {
        year: filters.year ? Number(filters.year) : null,
        withMine: Boolean(isRhf),
      });
      if (unmounted || generation !== summaryGeneration) return;
      renderWorkload(data.workload);
      overdueCount.textContent = String(data.overdue.totalCount);
      replace(
        overdueBody,
        miniList(data.overdue.oppdrag, data.overdue.totalCount, overdueLine, 'Ingenting er forfalt i dag.'),
      );
      overdueMilestonesCount.textContent = String(data.overdueMilestones.milestonesTotalCount);
      replace(
        overdueMilestonesBody,
        miniList(
          data.overdueMilestones.milestones.map((m) => ({
            ...m.oppdrag,
            milestone: m.milestone,
            days: m.daysOverdue,
          })),
          data.overdueMilestones.milestonesTotalCount,
          overdueMilestoneLine,
          'Ingen delleveranser er forfalt i dag.',
        ),
      );
      soonCount.textContent = String(data.soon.totalCount);
      replace(
        soonBody,
        miniList(data.soon.nodes, data.soon.totalCount, soonLine, 'Ingen frister de neste 30 dagene.'),
      );
      if (data.mine) {
        mineCount.textContent = String(data.mine.totalCount);
        replace(
          mineBody,
          miniList(
            data.mine.items.map((item) => ({ ...item.oppdrag, item })),
            data.mine.totalCount,
            mineLine,
            'Ingen åpne oppdrag.',
          ),
        );
      }
      for (const el of [workloadBody, overdueBody, overdueMilestonesBody, soonBody, mineBody])
        el.setAttribute('aria-busy', 'false');
    } catch (error) {
      if (unmounted || generation !== summaryGeneration) return;
      replace(workloadBody, errorMessage(error, 'Kunne ikke hente oversikten.'));
    }
  }

  function overdueLine(o) {
    return [
      o.id,
      orgName(o.lead, 'alle RHF-er'),
      `frist ${formatDate(o.effectiveDeadline)}`,
      h('span', { class: 'badge badge--overdue' }, `${daysText(o.daysOverdue)} på overtid`),
    ];
  }
  function soonLine(o) {
    return [
      orgName(o.lead, 'alle RHF-er'),
      `frist ${formatDate(o.effectiveDeadline)} (${relativeDeadline(o.effectiveDeadline, today)})`,
    ];
  }
  function overdueMilestoneLine(o) {
    return [
      o.milestone.title,
      `frist ${formatDate(o.milestone.dueDate)}`,
      h('span', { class: 'badge badge--overdue' }, `${daysText(o.days)} på overtid`),
    ];
  }
  function mineLine(o) {
    const { item } = o;
    return [
      involvementLabel(item.involvement),
      item.part ? `vår del: ${statusLabel(item.part.status).toLowerCase()}` : 'ingen egen del',
      item.dueDate ? `frist ${formatDate(item.dueDate)}` : 'ingen frist for oss',
      item.overdue ? h('span', { class: 'badge badge--overdue' }, 'forfalt') : null,
      item.overdueMilestones.length > 0
        ? h(
            'span',
            { class: 'badge badge--overdue' },
            `${item.overdueMilestones.length} forfalt${item.overdueMilestones.length === 1 ? '' : 'e'} delleveranse${item.overdueMilestones.length === 1 ? '' : 'r'}`,
          )
        : null,
    ].filter(Boolean);
  }

  function miniList(items, total, line, emptyText) {
    if (items.length === 0) return h('p', { class: 'empty' }, emptyText);
    return [
      h(
        'ul',
        { class: 'mini-list' },
        items.map((o) =>
          h(
            'li',
            { dataset: { id: o.id } },
            oppdragLink(o),
            h(
              'span',
              { class: 'sub' },
              line(o).flatMap((part, i) => (i === 0 ? [part] : [' · ', part])),
            ),
          ),
        ),
      ),
      total > items.length ? h('p', { class: 'panel__hint' }, `Viser ${items.length} av ${total}.`) : null,
    ];
  }

  function renderWorkload(rows) {
    const year = filters.year ? `år ${filters.year}` : 'alle år';
    replace(
      workloadBody,
      h(
        'table',
        { 'data-testid': 'workload' },
        h('caption', { class: 'visually-hidden' }, `Arbeidsmengde per RHF, ${year}`),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'RHF'),
            h('th', { scope: 'col', class: 'num' }, 'Deler'),
            h('th', { scope: 'col', class: 'num' }, 'Leder'),
            h('th', { scope: 'col', class: 'num' }, 'Samarbeider på'),
            h('th', { scope: 'col', class: 'num' }, 'Åpne deler'),
            h('th', { scope: 'col', class: 'num' }, 'Forfalt'),
            h('th', { scope: 'col', class: 'num' }, 'Rapportert for sent'),
          ),
        ),
        h(
          'tbody',
          null,
          rows.map((r) =>
            h(
              'tr',
              { dataset: { org: r.organisation.id } },
              h(
                'th',
                { scope: 'row' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button--link',
                    title: `Vis åpne oppdrag som ${r.organisation.shortName} leder`,
                    onClick: () => {
                      leadSelect.value = r.organisation.id;
                      statusSelect.value = 'open';
                      applyFilters();
                      document.getElementById(listHeading)?.scrollIntoView({ block: 'start' });
                    },
                  },
                  r.organisation.shortName,
                ),
              ),
              h('td', { class: 'num' }, r.parts),
              h('td', { class: 'num' }, r.leads),
              h('td', { class: 'num' }, r.collaboratesOn),
              h('td', { class: 'num' }, r.open),
              h('td', { class: 'num' }, r.overdue > 0 ? h('strong', null, r.overdue) : '0'),
              h('td', { class: 'num' }, r.reportedLate),
            ),
          ),
        ),
      ),
    );
  }

  async function loadList(more) {
    // Only from the page shown, and only when the API said there is another.
    if (more && (!pageInfo?.hasNextPage || !pageInfo.endCursor || moreButton.disabled)) return;
    const generation = ++listGeneration;
    listBody.setAttribute('aria-busy', 'true');
    moreButton.disabled = true;
    try {
      const data = await gql(LIST, {
        filter: apiFilter(filters, today),
        first: PAGE_SIZE,
        after: more && pageInfo ? pageInfo.endCursor : null,
      });
      if (unmounted || generation !== listGeneration) return;
      const page = data.oppdragList;
      if (more) {
        // A row already shown is never listed twice.
        const shown = new Set(listNodes.map((o) => o.id));
        listNodes = [...listNodes, ...page.nodes.filter((o) => !shown.has(o.id))];
      } else listNodes = page.nodes;
      pageInfo = page.pageInfo;
      listTotal.textContent = String(page.totalCount);
      listStatus.textContent =
        page.totalCount === 0
          ? 'Ingen oppdrag passer filteret.'
          : `Viser ${listNodes.length} av ${page.totalCount} oppdrag, tidligste frist først.`;
      replace(listErrors);
      renderTable();
      moreButton.hidden = !page.pageInfo.hasNextPage;
    } catch (error) {
      if (unmounted || generation !== listGeneration) return;
      replace(listErrors, errorMessage(error, 'Kunne ikke hente oppdragene.'));
    } finally {
      if (generation === listGeneration) {
        listBody.setAttribute('aria-busy', 'false');
        moreButton.disabled = false;
      }
    }
  }

  function renderTable() {
    if (listNodes.length === 0) {
      replace(listBody);
      return;
    }
    replace(
      listBody,
      h(
        'table',
        { 'data-testid': 'oppdrag-table' },
        h('caption', { class: 'visually-hidden' }, 'Oppdrag som passer filteret'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Oppdrag'),
            h('th', { scope: 'col' }, 'Ledende RHF'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Frist'),
            h('th', { scope: 'col' }, 'Neste dato'),
          ),
        ),
        h(
          'tbody',
          null,
          listNodes.map((o) =>
            h(
              'tr',
              { dataset: { id: o.id } },
              h(
                'td',
                null,
                oppdragLink(o),
                h(
                  'span',
                  { class: 'sub table-id', style: null },
                  ` ${o.id}`,
                  o.hovedmal?.number != null ? ` · hovedmål ${o.hovedmal.number}` : '',
                ),
                o.collaborators.length > 0
                  ? h(
                      'div',
                      { class: 'panel__hint' },
                      `Med: ${o.collaborators.map((c) => c.shortName).join(', ')}`,
                    )
                  : null,
              ),
              h(
                'td',
                null,
                orgName(o.lead, 'Ingen'),
                addresseesHint(o, rhfCount)
                  ? h('div', { class: 'panel__hint' }, addresseesHint(o, rhfCount))
                  : null,
              ),
              h(
                'td',
                { class: 'status-cell' },
                statusBadge(o.status),
                o.reportedLate
                  ? [' ', h('span', { class: 'badge badge--late' }, 'rapportert for sent')]
                  : null,
              ),
              h(
                'td',
                { class: 'nowrap' },
                formatDate(o.effectiveDeadline),
                h(
                  'div',
                  { class: 'panel__hint' },
                  o.deadlineSource === 'STATED' ? 'fastsatt frist' : 'Årlig melding',
                ),
                o.overdue
                  ? h('span', { class: 'badge badge--overdue' }, `forfalt, ${daysText(o.daysOverdue)}`)
                  : null,
              ),
              h(
                'td',
                null,
                o.nextDue
                  ? [formatDate(o.nextDue.date), h('div', { class: 'panel__hint' }, o.nextDue.what)]
                  : '–',
              ),
            ),
          ),
        ),
      ),
    );
  }

  const refreshAll = () => {
    void loadSummary();
    void loadList(false);
  };
  const liveRefresh = debounce(refreshAll, 250);

  void loadFacets(ctx)
    .then((facets) => {
      if (!unmounted) renderYearAndHovedmal(facets);
    })
    .catch(() => undefined);
  refreshAll();

  return {
    refresh: refreshAll,
    onLiveChange: () => {
      renderFeed(true);
      liveRefresh();
    },
    unmount: () => {
      unmounted = true;
    },
  };
}
