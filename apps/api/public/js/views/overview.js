// @ts-check
// The overview: per-RHF workload, "Forfalt i dag" (oppdrag and milestones), "Frist innen 30 dager", an
// RHF user's own parts, recent live changes, and the filterable list of all oppdrag with the API's
// totalCount.

import { debounce, focusHeading, h, replace, uid } from '../dom.js';
import { eventLabel, formatDate, formatInstant } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { FACETS, LIST, SUMMARY } from '../queries.js';
import { renderAssignForm } from './assign.js';
import { renderAnnualReportDownload } from '../annual-report.js';
import {
  apiFilter,
  filterFormOf,
  filters,
  filtersFromAddress,
  filtersToAddress,
  listHeadingText,
  RHF_OPTIONS,
} from './overview-filters.js';
import {
  mineLine,
  miniList,
  oppdragTableOf,
  overdueLine,
  overdueMilestoneLine,
  soonLine,
  workloadTableOf,
} from './overview-sections.js';
import { statusCharts } from '../charts.js';
import { calendarFeedsPanel } from './calendar-feeds.js';

/** @import { Context, Facets, FacetsAnswer, OppdragRow, PageInfo, WorkloadRow, View } from '../types.js' */

const PAGE_SIZE = 25;

/**
 * The years and main goals the oppdrag have, for the filter form; asked once per session.
 * @param {Context} ctx
 * @returns {Promise<Facets>}
 */
async function loadFacets(ctx) {
  if (ctx.facets) return ctx.facets;
  const years = new Set([Number(ctx.today.slice(0, 4))]);
  /** @type {Map<number, string>} */
  const hovedmal = new Map();
  /** @type {string | null} */
  let after = null;
  for (let page = 0; page < 20; page += 1) {
    /** @type {FacetsAnswer} */
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

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @returns {View}
 */
export function renderOverview(main, ctx) {
  const { me, today } = ctx;
  filtersFromAddress(ctx.organisations);
  filtersToAddress();
  let listGeneration = 0;
  let summaryGeneration = 0;
  /** @type {OppdragRow[]} */
  let listNodes = [];
  /** @type {PageInfo | null} */
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
  const scrollBox = (/** @type {string} */ label) =>
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

  // An RHF user's own organisation: the overview shows its parts too.
  const ownOrganisation = me.role === 'RHF' ? me.organisation : null;
  const isRhf = ownOrganisation !== null;
  const rhfCount = RHF_OPTIONS(ctx.organisations).length;

  const filterForm = filterFormOf(ctx.organisations, () => {
    listHeadingLabel.textContent = listHeadingText(ctx.organisations);
    void loadList(false);
    void loadSummary();
  });
  const { form } = filterForm;

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
        ownOrganisation
          ? h(
              'section',
              { class: 'panel', 'aria-labelledby': mineHeading, id: 'mine' },
              h('h2', { id: mineHeading }, `Våre deler (${ownOrganisation.shortName})`, mineCount),
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
  const charts = statusCharts();
  main
    .querySelector('.grid--summary')
    ?.after(...[charts.element, calendarFeedsPanel(ctx)].filter((el) => el !== null));
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

  async function loadSummary() {
    const generation = ++summaryGeneration;
    try {
      const data = await gql(SUMMARY, {
        year: filters.year ? Number(filters.year) : null,
        withMine: isRhf,
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
        miniList(
          data.soon.nodes,
          data.soon.totalCount,
          (o) => soonLine(o, today),
          'Ingen frister de neste 30 dagene.',
        ),
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

  /** @param {WorkloadRow[]} rows */
  function renderWorkload(rows) {
    const year = filters.year ? `år ${filters.year}` : 'alle år';
    replace(
      workloadBody,
      workloadTableOf(rows, year, (organisationId) => {
        filterForm.showOpenLedBy(organisationId);
        document.getElementById(listHeading)?.scrollIntoView({ block: 'start' });
      }),
    );
  }

  /** @param {boolean} more the next page, after the rows shown */
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
    replace(listBody, oppdragTableOf(listNodes, rhfCount));
  }

  const refreshAll = () => {
    void charts.refresh();
    void loadSummary();
    void loadList(false);
  };
  const liveRefresh = debounce(refreshAll, 250);

  void loadFacets(ctx)
    .then((facets) => {
      if (!unmounted) filterForm.setFacets(facets);
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
      charts.unmount();
    },
  };
}
