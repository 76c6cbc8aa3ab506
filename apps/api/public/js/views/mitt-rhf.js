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

/** @import { Child } from '../dom.js' */
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
 * The page for a user who is not in an RHF.
 * @param {HTMLElement} main
 * @param {HTMLElement} heading
 * @returns {View}
 */
function notRhf(main, heading) {
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

/**
 * A panel: a section named by its heading (which has a count), with a body.
 * @param {string} id the section's id
 * @param {string} title
 * @param {HTMLElement} count
 * @param {...Child} body
 */
function panel(id, title, count, ...body) {
  const headingId = uid('h');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, id },
    h('h2', { id: headingId }, title, count),
    body,
  );
}

/**
 * "Hva vi fortsatt skylder før Årlig melding": for the chosen year, what the RHF has not delivered yet.
 * @param {string} today
 * @param {() => boolean} unmounted
 */
function stillOwesPanel(today, unmounted) {
  const thisYear = Number(today.slice(0, 4));
  const total = h('span', { class: 'count', 'data-testid': 'still-owes-total' }, '…');
  const intro = h('p', { class: 'panel__hint', 'data-testid': 'still-owes-intro' });
  const body = h('div', { 'aria-busy': 'true' });
  const yearSelect = select(
    'year',
    [thisYear, thisYear - 1].map((y) => ({ value: String(y), label: `Oppdrag fra ${y}` })),
    String(thisYear),
  );
  let generation = 0;
  async function load() {
    const mine = ++generation;
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(STILL_OWES, { year: Number(yearSelect.value) });
      if (unmounted() || mine !== generation) return;
      const owes = data.stillOwes;
      total.textContent = String(owes.totalCount);
      intro.textContent = `Årlig melding for ${owes.year} skal leveres innen ${formatDate(owes.annualReportDate)} (${relativeDeadline(owes.annualReportDate, today)}). Dette har ${owes.organisation.shortName} ennå ikke levert for oppdragene fra ${owes.year}.`;
      replace(body, stillOwesOf(owes));
    } catch (error) {
      if (unmounted() || mine !== generation) return;
      replace(body, errorMessage(error, 'Kunne ikke hente det vi fortsatt skylder.'));
    } finally {
      if (mine === generation) body.setAttribute('aria-busy', 'false');
    }
  }
  yearSelect.addEventListener('change', () => void load());
  const element = panel(
    'still-owes',
    'Hva vi fortsatt skylder før Årlig melding',
    total,
    h('div', { class: 'filters-inline' }, field('År', yearSelect).wrap),
    intro,
    body,
  );
  return { element, load };
}

/**
 * "Våre deler" and "Forfalte delleveranser", both from the RHF's parts.
 * @param {Context} ctx
 * @param {() => boolean} unmounted
 */
function partsPanels(ctx, unmounted) {
  const { today } = ctx;
  const rhfCount = ctx.organisations.filter((o) => o.kind === 'rhf').length;
  const partsTotal = h('span', { class: 'count', 'data-testid': 'my-parts-total' }, '…');
  const partsBody = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Laster …'));
  const milestonesTotal = h(
    'span',
    { class: 'count count--danger', 'data-testid': 'my-overdue-milestones-total' },
    '…',
  );
  const milestonesBody = h('div', { 'aria-busy': 'true' });
  let generation = 0;
  async function load() {
    const mine = ++generation;
    try {
      const data = await loadAllParts();
      if (unmounted() || mine !== generation) return;
      partsTotal.textContent = String(data.totalCount);
      replace(partsBody, partGroupsOf(data.items, data.totalCount, rhfCount, today));
      const { count, node } = overdueMilestonesOf(data.items, today);
      milestonesTotal.textContent = String(count);
      replace(milestonesBody, node);
    } catch (error) {
      if (unmounted() || mine !== generation) return;
      replace(partsBody, errorMessage(error, 'Kunne ikke hente delene våre.'));
    } finally {
      partsBody.setAttribute('aria-busy', 'false');
      milestonesBody.setAttribute('aria-busy', 'false');
    }
  }
  const milestones = panel(
    'my-overdue-milestones',
    'Forfalte delleveranser',
    milestonesTotal,
    h(
      'p',
      { class: 'panel__hint' },
      'Delleveranser vår del skylder, med frist før i dag, som vi ikke har levert.',
    ),
    milestonesBody,
  );
  const parts = panel(
    'my-parts',
    'Våre deler',
    partsTotal,
    h('p', { class: 'panel__hint' }, 'Oppdrag som ikke er lukket, tidligste frist først.'),
    partsBody,
  );
  return { milestones, parts, load };
}

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @returns {View}
 */
export function renderMittRhf(main, ctx) {
  const { me, today } = ctx;
  const heading = h('h1', { tabindex: '-1' }, 'Mitt RHF');
  if (String(me.role).toUpperCase() !== 'RHF' || !me.organisation) return notRhf(main, heading);
  replace(heading, `Mitt RHF: ${me.organisation.name}`);
  let unmounted = false;
  const isUnmounted = () => unmounted;
  const owes = stillOwesPanel(today, isUnmounted);
  const parts = partsPanels(ctx, isUnmounted);

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
    owes.element,
    renderAnnualReportDownload(ctx),
    parts.milestones,
    parts.parts,
  );
  const charts = statusCharts({ rhf: me.organisation.id });
  main.append(charts.element, calendarFeedsPanel(ctx) ?? '');
  focusHeading(heading);

  const refresh = () => {
    void parts.load();
    void owes.load();
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
