// "Mitt RHF": for an RHF user, its parts of the oppdrag (those it leads, those addressed to it, those it
// collaborates on) with their next dates and overdue milestones, and what it still owes before its
// Årlig melding (the API's myParts and stillOwes, for the signed-in user's own RHF).

import { debounce, field, focusHeading, h, replace, select, tableWrap, uid } from '../dom.js';
import { daysBetween, daysText, formatDate, owesLabel, relativeDeadline, statusLabel } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { MY_PARTS, STILL_OWES } from '../queries.js';
import { renderAnnualReportDownload } from '../annual-report.js';

const MAX_PAGES = 10;

const badge = (kind, text) => h('span', { class: `badge badge--${kind}` }, text);
const link = (o) => h('a', { href: `#/oppdrag/${o.id}` }, o.title);

/** The three ways an RHF has an oppdrag, in the order they are shown. */
const GROUPS = [
  {
    key: 'LEAD',
    title: 'Oppdrag vi leder',
    hint: 'Vår del skylder den felles leveransen: delleveransene og fristen.',
    empty: 'Vi leder ingen åpne oppdrag.',
  },
  {
    key: 'ADDRESSEE',
    title: 'Oppdrag rettet til oss',
    hint: 'Også oppdrag rettet til alle de regionale helseforetakene. Hvert RHF rapporterer sin egen del.',
    empty: 'Ingen åpne oppdrag er rettet til oss uten at vi leder dem.',
  },
  {
    key: 'COLLABORATOR',
    title: 'Oppdrag vi samarbeider på',
    hint: 'Vi bidrar, men har ingen egen del å rapportere.',
    empty: 'Vi samarbeider ikke på noen åpne oppdrag.',
  },
];

async function loadAllParts() {
  const items = [];
  let after = null;
  let organisation = null;
  let totalCount = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const data = await gql(MY_PARTS, { year: null, after });
    organisation = data.myParts.organisation;
    totalCount = data.myParts.totalCount;
    items.push(...data.myParts.items);
    if (!data.myParts.pageInfo.hasNextPage) break;
    after = data.myParts.pageInfo.endCursor;
  }
  return { organisation, totalCount, items };
}

export function renderMittRhf(main, ctx) {
  const { me, today } = ctx;
  const thisYear = Number(today.slice(0, 4));
  const rhfCount = ctx.organisations.filter((o) => o.kind === 'rhf').length;
  let unmounted = false;
  let generation = 0;

  const heading = h('h1', { tabindex: '-1' }, 'Mitt RHF');
  if (String(me.role).toUpperCase() !== 'RHF' || !me.organisation) {
    replace(
      main,
      heading,
      h(
        'p',
        { 'data-testid': 'not-rhf' },
        'Denne siden viser delene til ett RHF, og er for brukere i et regionalt helseforetak. ',
        h('a', { href: '#/' }, 'Gå til oversikten'),
        '.',
      ),
    );
    focusHeading(heading);
    return {};
  }
  replace(heading, `Mitt RHF: ${me.organisation.name}`);

  const ids = { parts: uid('h'), milestones: uid('h'), owes: uid('h') };
  const partsCount = h('span', { class: 'count', 'data-testid': 'my-parts-total' }, '…');
  const partsBody = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Laster …'));
  const milestonesCount = h(
    'span',
    { class: 'count count--danger', 'data-testid': 'my-overdue-milestones-total' },
    '…',
  );
  const milestonesBody = h('div', { 'aria-busy': 'true' });
  const owesCount = h('span', { class: 'count', 'data-testid': 'still-owes-total' }, '…');
  const owesIntro = h('p', { class: 'panel__hint', 'data-testid': 'still-owes-intro' });
  const owesBody = h('div', { 'aria-busy': 'true' });
  const yearSelect = select(
    'year',
    [thisYear, thisYear - 1].map((y) => ({ value: String(y), label: `Oppdrag fra ${y}` })),
    String(thisYear),
  );
  yearSelect.addEventListener('change', () => void loadOwes());

  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      heading,
      h(
        'p',
        null,
        `I dag er ${formatDate(today)}. Her er delene ${me.organisation.shortName} har av oppdragene, og hva dere fortsatt skylder.`,
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': ids.owes, id: 'still-owes' },
      h('h2', { id: ids.owes }, 'Hva vi fortsatt skylder før Årlig melding', owesCount),
      h('div', { class: 'filters-inline' }, field('År', yearSelect).wrap),
      owesIntro,
      owesBody,
    ),
    renderAnnualReportDownload(ctx),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': ids.milestones, id: 'my-overdue-milestones' },
      h('h2', { id: ids.milestones }, 'Forfalte delleveranser', milestonesCount),
      h(
        'p',
        { class: 'panel__hint' },
        'Delleveranser vår del skylder, med frist før i dag, som vi ikke har levert.',
      ),
      milestonesBody,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': ids.parts, id: 'my-parts' },
      h('h2', { id: ids.parts }, 'Våre deler', partsCount),
      h('p', { class: 'panel__hint' }, 'Oppdrag som ikke er lukket, tidligste frist først.'),
      partsBody,
    ),
  );
  focusHeading(heading);

  async function loadParts() {
    const mine = ++generation;
    try {
      const data = await loadAllParts();
      if (unmounted || mine !== generation) return;
      partsCount.textContent = String(data.totalCount);
      renderParts(data.items, data.totalCount);
      renderOverdueMilestones(data.items);
    } catch (error) {
      if (unmounted || mine !== generation) return;
      replace(partsBody, errorMessage(error, 'Kunne ikke hente delene våre.'));
    } finally {
      partsBody.setAttribute('aria-busy', 'false');
      milestonesBody.setAttribute('aria-busy', 'false');
    }
  }

  function involvementText(item) {
    if (item.involvement === 'ADDRESSEE')
      return item.oppdrag.addressees.length === rhfCount ? 'Rettet til alle RHF-ene' : 'Rettet til oss';
    return item.involvement === 'LEAD' ? 'Vi leder' : 'Vi samarbeider';
  }

  function renderParts(items, totalCount) {
    const groups = GROUPS.map((g) => {
      const rows = items.filter((i) => i.involvement === g.key);
      const headingId = uid('h');
      return h(
        'section',
        {
          class: 'subsection',
          'aria-labelledby': headingId,
          'data-testid': `parts-${g.key.toLowerCase()}`,
        },
        h('h3', { id: headingId }, `${g.title} (${rows.length})`),
        h('p', { class: 'panel__hint' }, g.hint),
        rows.length === 0 ? h('p', { class: 'empty' }, g.empty) : partsTable(g, rows),
      );
    });
    replace(
      partsBody,
      groups,
      totalCount > items.length
        ? h('p', { class: 'panel__hint' }, `Viser ${items.length} av ${totalCount}.`)
        : null,
    );
  }

  function partsTable(group, rows) {
    const collaborating = group.key === 'COLLABORATOR';
    return tableWrap(
      `Tabell: ${group.title.toLowerCase()}`,
      h(
        'table',
        null,
        h('caption', { class: 'visually-hidden' }, group.title),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Oppdrag'),
            h('th', { scope: 'col' }, collaborating ? 'Ledende RHF' : 'Vår del'),
            h('th', { scope: 'col' }, 'Frist for vår del'),
            h('th', { scope: 'col' }, 'Neste dato'),
            h('th', { scope: 'col' }, 'Forfalte delleveranser'),
          ),
        ),
        h(
          'tbody',
          null,
          rows.map((item) =>
            h(
              'tr',
              { dataset: { id: item.oppdrag.id, involvement: item.involvement } },
              h(
                'td',
                null,
                link(item.oppdrag),
                h('span', { class: 'sub table-id' }, ` ${item.oppdrag.id}`),
                h('div', { class: 'panel__hint' }, involvementText(item)),
              ),
              h(
                'td',
                { class: 'part-status' },
                item.part
                  ? [
                      h(
                        'span',
                        { class: `badge badge--${item.part.status.toLowerCase()}` },
                        statusLabel(item.part.status),
                      ),
                      h('div', { class: 'panel__hint' }, owesLabel(item.part.owes)),
                    ]
                  : (item.oppdrag.lead?.shortName ?? 'Ingen'),
              ),
              h(
                'td',
                { class: 'nowrap' },
                item.dueDate
                  ? [
                      formatDate(item.dueDate),
                      h('div', { class: 'panel__hint' }, relativeDeadline(item.dueDate, today)),
                    ]
                  : '–',
                item.overdue ? badge('overdue', 'forfalt') : null,
              ),
              h(
                'td',
                null,
                item.oppdrag.nextDue
                  ? [
                      formatDate(item.oppdrag.nextDue.date),
                      h('div', { class: 'panel__hint' }, item.oppdrag.nextDue.what),
                    ]
                  : '–',
              ),
              h(
                'td',
                null,
                item.overdueMilestones.length === 0
                  ? 'Ingen'
                  : h(
                      'ul',
                      { class: 'plain' },
                      item.overdueMilestones.map((m) =>
                        h(
                          'li',
                          null,
                          `${m.title}, frist ${formatDate(m.dueDate)} `,
                          badge('overdue', 'forfalt'),
                        ),
                      ),
                    ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function renderOverdueMilestones(items) {
    const overdue = items.flatMap((item) =>
      item.overdueMilestones.map((m) => ({ oppdrag: item.oppdrag, milestone: m })),
    );
    overdue.sort((a, b) => a.milestone.dueDate.localeCompare(b.milestone.dueDate));
    milestonesCount.textContent = String(overdue.length);
    replace(
      milestonesBody,
      overdue.length === 0
        ? h('p', { class: 'empty' }, 'Ingen forfalte delleveranser.')
        : h(
            'ul',
            { class: 'mini-list', 'data-testid': 'my-overdue-milestones' },
            overdue.map(({ oppdrag, milestone }) =>
              h(
                'li',
                { dataset: { id: oppdrag.id, milestone: milestone.id } },
                link(oppdrag),
                h(
                  'span',
                  { class: 'sub' },
                  `${milestone.title} · frist ${formatDate(milestone.dueDate)} · `,
                  badge('overdue', `${daysText(daysBetween(milestone.dueDate, today))} på overtid`),
                ),
              ),
            ),
          ),
    );
  }

  let owesGeneration = 0;
  async function loadOwes() {
    const mine = ++owesGeneration;
    const year = Number(yearSelect.value);
    owesBody.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(STILL_OWES, { year });
      if (unmounted || mine !== owesGeneration) return;
      const owes = data.stillOwes;
      owesCount.textContent = String(owes.totalCount);
      owesIntro.textContent = `Årlig melding for ${owes.year} skal leveres innen ${formatDate(owes.annualReportDate)} (${relativeDeadline(owes.annualReportDate, today)}). Dette har ${owes.organisation.shortName} ennå ikke levert for oppdragene fra ${owes.year}.`;
      replace(
        owesBody,
        owes.items.length === 0
          ? h('p', { class: 'empty' }, `Vi skylder ingenting for ${owes.year}.`)
          : [
              tableWrap(
                'Tabell over det vi fortsatt skylder',
                h(
                  'table',
                  { 'data-testid': 'still-owes' },
                  h('caption', { class: 'visually-hidden' }, `Det vi fortsatt skylder for ${owes.year}`),
                  h(
                    'thead',
                    null,
                    h(
                      'tr',
                      null,
                      h('th', { scope: 'col' }, 'Hva'),
                      h('th', { scope: 'col' }, 'Oppdrag'),
                      h('th', { scope: 'col' }, 'Frist'),
                    ),
                  ),
                  h(
                    'tbody',
                    null,
                    owes.items.map((item) =>
                      h(
                        'tr',
                        {
                          dataset: {
                            id: item.oppdrag.id,
                            what: item.what,
                            ...(item.milestone ? { milestone: item.milestone.id } : {}),
                          },
                        },
                        h(
                          'td',
                          null,
                          item.what === 'MILESTONE'
                            ? `Delleveranse: ${item.milestone?.title ?? ''}`
                            : 'Rapport for vår del',
                        ),
                        h('td', null, link(item.oppdrag)),
                        h(
                          'td',
                          { class: 'nowrap' },
                          formatDate(item.dueDate),
                          item.overdue ? [' ', badge('overdue', 'forfalt')] : null,
                        ),
                      ),
                    ),
                  ),
                ),
              ),
              owes.totalCount > owes.items.length
                ? h('p', { class: 'panel__hint' }, `Viser ${owes.items.length} av ${owes.totalCount}.`)
                : null,
            ],
      );
    } catch (error) {
      if (unmounted || mine !== owesGeneration) return;
      replace(owesBody, errorMessage(error, 'Kunne ikke hente det vi fortsatt skylder.'));
    } finally {
      if (mine === owesGeneration) owesBody.setAttribute('aria-busy', 'false');
    }
  }

  const refresh = () => {
    void loadParts();
    void loadOwes();
  };
  const liveRefresh = debounce(refresh, 250);
  refresh();

  return {
    refresh,
    onLiveChange: () => liveRefresh(),
    unmount: () => {
      unmounted = true;
    },
  };
}
