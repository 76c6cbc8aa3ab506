// @ts-check
// "Mitt RHF": for an RHF user, its parts of the oppdrag (those it leads, those addressed to it, those it
// collaborates on) with their next dates and overdue milestones, and what it still owes before its
// Årlig melding (the API's myParts and stillOwes, for the signed-in user's own RHF).

import { debounce, field, focusHeading, h, replace, select, uid } from '../dom.js';
import { formatDate, relativeDeadline } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { MY_PARTS, STILL_OWES } from '../queries.js';
import { renderAnnualReportDownload } from '../annual-report.js';
import { overdueMilestonesOf, partGroupsOf, stillOwesOf } from './mitt-rhf-sections.js';
import { statusCharts } from '../charts.js';
import { calendarFeedsPanel } from './calendar-feeds.js';

/** @import { Context, MyPart, MyPartsAnswer, OrganisationName, View } from '../types.js' */

const MAX_PAGES = 10;

/**
 * All the RHF's parts, a page at a time (at most MAX_PAGES pages).
 * @returns {Promise<{ organisation: OrganisationName | null, totalCount: number, items: MyPart[] }>}
 */
async function loadAllParts() {
  /** @type {MyPart[]} */
  const items = [];
  /** @type {string | null} */
  let after = null;
  /** @type {OrganisationName | null} */
  let organisation = null;
  let totalCount = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    /** @type {MyPartsAnswer} */
    const data = await gql(MY_PARTS, { year: null, after });
    organisation = data.myParts.organisation;
    totalCount = data.myParts.totalCount;
    items.push(...data.myParts.items);
    if (!data.myParts.pageInfo.hasNextPage) break;
    after = data.myParts.pageInfo.endCursor;
  }
  return { organisation, totalCount, items };
}

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @returns {View}
 */
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
  const charts = statusCharts({ rhf: me.organisation.id });
  main.append(charts.element, calendarFeedsPanel(ctx) ?? '');
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

  /**
   * @param {MyPart[]} items
   * @param {number} totalCount
   */
  function renderParts(items, totalCount) {
    replace(partsBody, partGroupsOf(items, totalCount, rhfCount, today));
  }

  /** @param {MyPart[]} items */
  function renderOverdueMilestones(items) {
    const { count, node } = overdueMilestonesOf(items, today);
    milestonesCount.textContent = String(count);
    replace(milestonesBody, node);
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
      replace(owesBody, stillOwesOf(owes));
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
      charts.unmount();
    },
  };
}
