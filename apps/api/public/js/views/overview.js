// @ts-check
// The overview: per-RHF workload, "Forfalt i dag" (oppdrag and milestones), "Frist innen 30 dager", an
// RHF user's own parts, recent live changes, and the filterable list of all oppdrag with the API's
// totalCount.

import { debounce, focusHeading, h, replace } from '../dom.js';
import { formatDate } from '../format.js';
import { gql } from '../graphql.js';
import { FACETS, SUMMARY } from '../queries.js';
import { renderAssignForm } from './assign.js';
import { renderAnnualReportDownload } from '../annual-report.js';
import { filters, filtersFromAddress, filtersToAddress } from './overview-filters.js';
import {
  feedPanel,
  minePanel,
  oppdragListPanel,
  overduePanel,
  soonPanel,
  workloadPanel,
} from './overview-panels.js';
import { statusCharts } from '../charts.js';
import { calendarFeedsPanel } from './calendar-feeds.js';

/** @import { Context, Facets, FacetsAnswer, View } from '../types.js' */
/** @import { SummaryPanels } from './overview-panels.js' */

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
 * Loads the summary panels from one answer; a load overtaken by a later one shows nothing.
 * @param {SummaryPanels} panels
 * @param {() => boolean} unmounted
 */
function summaryLoader(panels, unmounted) {
  let generation = 0;
  return async () => {
    const mine = ++generation;
    try {
      const data = await gql(SUMMARY, {
        year: filters.year ? Number(filters.year) : null,
        withMine: panels.mine !== null,
      });
      if (unmounted() || mine !== generation) return;
      panels.workload.show(data.workload);
      panels.overdue.show(data);
      panels.soon.show(data.soon);
      if (data.mine) panels.mine?.show(data.mine);
      for (const el of [panels.workload.body, ...panels.overdue.bodies, panels.soon.body, panels.mine?.body])
        el?.setAttribute('aria-busy', 'false');
    } catch (error) {
      if (unmounted() || mine !== generation) return;
      panels.workload.fail(error);
    }
  };
}

/**
 * The summary's grid: the workload and the live changes, what is overdue, and what is due soon (with an
 * RHF user's own parts above it).
 * @param {SummaryPanels} panels
 * @param {HTMLElement} feed
 */
function summaryGrid({ workload, overdue, mine, soon }, feed) {
  return h(
    'div',
    { class: 'grid grid--summary' },
    h('div', null, workload.element, feed),
    overdue.element,
    h('div', null, mine ? mine.element : null, soon.element),
  );
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
  let unmounted = false;
  const isUnmounted = () => unmounted;

  // Panels are created once and filled by the loaders.
  const list = oppdragListPanel(ctx, { onFilter: () => void loadSummary(), unmounted: isUnmounted });
  // An RHF user's own organisation: the overview shows its parts too.
  const ownOrganisation = me.role === 'RHF' ? me.organisation : null;
  /** @type {SummaryPanels} */
  const panels = {
    workload: workloadPanel((organisationId) => list.showOpenLedBy(organisationId)),
    overdue: overduePanel(),
    mine: ownOrganisation ? minePanel(ownOrganisation) : null,
    soon: soonPanel(today),
  };
  const feed = feedPanel(ctx);
  const loadSummary = summaryLoader(panels, isUnmounted);
  const heading = h('h1', { tabindex: '-1' }, 'Oversikt');
  const grid = summaryGrid(panels, feed.element);

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
    grid,
    list.element,
  );
  const charts = statusCharts();
  grid.after(...[charts.element, calendarFeedsPanel(ctx)].filter((el) => el !== null));
  focusHeading(heading);
  feed.render();

  const refreshAll = () => {
    void charts.refresh();
    void loadSummary();
    void list.load(false);
  };
  const liveRefresh = debounce(refreshAll, 250);

  void loadFacets(ctx)
    .then((facets) => {
      if (!unmounted) list.setFacets(facets);
    })
    .catch(() => undefined);
  refreshAll();

  return {
    refresh: refreshAll,
    onLiveChange: () => {
      feed.render(true);
      liveRefresh();
    },
    unmount: () => {
      unmounted = true;
      charts.unmount();
    },
  };
}
