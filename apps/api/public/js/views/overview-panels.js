// @ts-check
// The overview's panels. Each is built once, with the elements its loader fills: the workload per RHF,
// the recent live changes, "Forfalt i dag" (oppdrag and milestones), an RHF user's own parts, "Frist
// innen 30 dager", and the filterable list of all oppdrag with the API's totalCount.

import { h, replace, uid } from '../dom.js';
import { eventLabel, formatInstant } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { LIST } from '../queries.js';
import { apiFilter, filterFormOf, filters, listHeadingText, RHF_OPTIONS } from './overview-filters.js';
import {
  mineLine,
  miniList,
  oppdragTableOf,
  overdueLine,
  overdueMilestoneLine,
  soonLine,
  workloadTableOf,
} from './overview-sections.js';

/** @import { Child } from '../dom.js' */
/** @import { Context, FeedEntry, OppdragRow, PageInfo, SummaryAnswer } from '../types.js' */

const PAGE_SIZE = 25;

/**
 * A panel: a section named by its heading.
 * @param {string} id the section's id
 * @param {(headingId: string) => HTMLElement} heading makes the heading, with the id it is given
 * @param {...Child} body
 */
function panel(id, heading, ...body) {
  const headingId = uid('h');
  return h('section', { class: 'panel', 'aria-labelledby': headingId, id }, heading(headingId), body);
}

/**
 * A count beside a heading, "…" until it is known.
 * @param {string} className
 * @param {string | null} [testId]
 */
const count = (className, testId) => h('span', { class: className, 'data-testid': testId }, '…');

/**
 * A short list's box. Scrolling regions take keyboard focus so that their overflow can be reached
 * without a mouse.
 * @param {string} label
 */
const scrollBox = (label) =>
  h('div', { class: 'scroll', 'aria-busy': 'true', tabindex: '0', role: 'region', 'aria-label': label });

/**
 * "Per RHF": the workload table; a click on an RHF's name calls `onPick` with its id.
 * @param {(organisationId: string) => void} onPick
 */
export function workloadPanel(onPick) {
  const body = h(
    'div',
    { class: 'table-wrap', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, 'Laster …'),
  );
  return {
    element: panel('workload', (id) => h('h2', { id }, 'Per RHF'), body),
    body,
    /** @param {SummaryAnswer['workload']} rows */
    show: (rows) =>
      replace(body, workloadTableOf(rows, filters.year ? `år ${filters.year}` : 'alle år', onPick)),
    /** The summary could not be loaded: said here, in the first panel. @param {unknown} error */
    fail: (error) => replace(body, errorMessage(error, 'Kunne ikke hente oversikten.')),
  };
}

/**
 * "Siste endringer": the live changes since sign-in, newest first.
 * @param {{ feed: FeedEntry[] }} ctx
 */
export function feedPanel(ctx) {
  const list = h('ol', { class: 'feed', 'data-testid': 'feed' });
  /** @param {boolean} [flashFirst] marks the newest, which just came */
  const render = (flashFirst = false) => {
    if (ctx.feed.length === 0) {
      replace(list, h('li', { class: 'empty' }, 'Ingen endringer siden du logget inn.'));
      return;
    }
    replace(
      list,
      ctx.feed.map((entry, i) => feedItem(entry, flashFirst && i === 0)),
    );
  };
  return { element: panel('live-feed', (id) => h('h2', { id }, 'Siste endringer'), list), render };
}

/**
 * One live change.
 * @param {FeedEntry} entry
 * @param {boolean} flash
 */
function feedItem(entry, flash) {
  return h(
    'li',
    { class: flash ? 'flash' : null },
    h('time', { datetime: entry.at }, formatInstant(entry.at)),
    h('strong', null, entry.becameOverdue ? 'Forfalt' : eventLabel(entry.eventType)),
    ': ',
    h('a', { href: `#/oppdrag/${entry.id}` }, entry.title),
    entry.who && !entry.becameOverdue ? ` (${entry.who})` : '',
  );
}

/** "Forfalt i dag": the overdue oppdrag, and under them the overdue milestones. */
export function overduePanel() {
  const total = count('count count--danger', 'overdue-total');
  const body = scrollBox('Forfalt i dag');
  const milestonesTotal = count('count count--danger', 'overdue-milestones-total');
  const milestonesBody = scrollBox('Forfalte delleveranser');
  const element = panel(
    'overdue-today',
    (id) => h('h2', { id }, 'Forfalt i dag', total),
    h(
      'p',
      { class: 'panel__hint' },
      'Fristen er passert, og oppdraget er verken rapportert eller lukket. Mest forfalt først.',
    ),
    body,
    h('h3', null, 'Forfalte delleveranser ', milestonesTotal),
    h(
      'p',
      { class: 'panel__hint' },
      'Delleveranser med frist før i dag som ikke er levert, på oppdrag som ikke er lukket.',
    ),
    milestonesBody,
  );
  /** @param {Pick<SummaryAnswer, 'overdue' | 'overdueMilestones'>} data */
  const show = ({ overdue, overdueMilestones }) => {
    total.textContent = String(overdue.totalCount);
    replace(body, miniList(overdue.oppdrag, overdue.totalCount, overdueLine, 'Ingenting er forfalt i dag.'));
    milestonesTotal.textContent = String(overdueMilestones.milestonesTotalCount);
    replace(
      milestonesBody,
      miniList(
        overdueMilestones.milestones.map((m) => ({
          ...m.oppdrag,
          milestone: m.milestone,
          days: m.daysOverdue,
        })),
        overdueMilestones.milestonesTotalCount,
        overdueMilestoneLine,
        'Ingen delleveranser er forfalt i dag.',
      ),
    );
  };
  return { element, bodies: [body, milestonesBody], show };
}

/**
 * "Våre deler": an RHF user's own open parts.
 * @param {{ shortName: string }} organisation the user's RHF
 */
export function minePanel(organisation) {
  const total = count('count');
  const body = scrollBox('Våre deler');
  const element = panel(
    'mine',
    (id) => h('h2', { id }, `Våre deler (${organisation.shortName})`, total),
    h(
      'p',
      { class: 'panel__hint' },
      'Oppdrag som ikke er lukket, som vi leder, er rettet til eller samarbeider på. ',
      h('a', { href: '#/mitt-rhf' }, 'Se alt i Mitt RHF'),
    ),
    body,
  );
  /** @param {NonNullable<SummaryAnswer['mine']>} mine */
  const show = (mine) => {
    total.textContent = String(mine.totalCount);
    replace(
      body,
      miniList(
        mine.items.map((item) => ({ ...item.oppdrag, item })),
        mine.totalCount,
        mineLine,
        'Ingen åpne oppdrag.',
      ),
    );
  };
  return { element, body, show };
}

/**
 * "Frist innen 30 dager".
 * @param {string} today
 */
export function soonPanel(today) {
  const total = count('count', 'soon-total');
  const body = scrollBox('Frist innen 30 dager');
  const element = panel(
    'due-soon',
    (id) => h('h2', { id }, 'Frist innen 30 dager', total),
    h('p', { class: 'panel__hint' }, 'Åpne oppdrag med frist fra i dag og 30 dager frem.'),
    body,
  );
  /** @param {SummaryAnswer['soon']} soon */
  const show = (soon) => {
    total.textContent = String(soon.totalCount);
    replace(
      body,
      miniList(soon.nodes, soon.totalCount, (o) => soonLine(o, today), 'Ingen frister de neste 30 dagene.'),
    );
  };
  return { element, body, show };
}

/**
 * The list of all oppdrag: the filter form, the API's totalCount, a page at a time ("Vis flere").
 * `onFilter` is called when the filters change (the summary follows the year).
 * @param {Context} ctx
 * @param {{ onFilter: () => void, unmounted: () => boolean }} options
 */
export function oppdragListPanel(ctx, { onFilter, unmounted }) {
  const { organisations, today } = ctx;
  const total = count('count', 'list-total');
  const headingLabel = h('span', null, listHeadingText(organisations));
  const shown = {
    total,
    status: h('p', { class: 'panel__hint', role: 'status', 'data-testid': 'list-status' }),
    body: h('div', { class: 'table-wrap', 'aria-busy': 'true' }),
    errors: h('div', { role: 'alert' }),
    moreButton: h('button', { type: 'button', class: 'button button--quiet', hidden: true }, 'Vis flere'),
  };
  const load = listLoader(shown, { today, rhfCount: RHF_OPTIONS(organisations).length, unmounted });
  const filterForm = filterFormOf(organisations, () => {
    headingLabel.textContent = listHeadingText(organisations);
    void load(false);
    onFilter();
  });
  /** @type {string | null} */
  let headingId = null;
  const element = panel(
    'oppdrag-list',
    (id) => {
      headingId = id;
      return h('h2', { id, 'data-testid': 'list-heading' }, headingLabel, ' ', total);
    },
    filterForm.form,
    shown.errors,
    shown.status,
    shown.body,
    h('div', { class: 'form-actions' }, shown.moreButton),
  );
  shown.moreButton.addEventListener('click', () => void load(true));

  /**
   * Shows the open oppdrag one RHF leads, and scrolls to them.
   * @param {string} organisationId
   */
  const showOpenLedBy = (organisationId) => {
    filterForm.showOpenLedBy(organisationId);
    if (headingId) document.getElementById(headingId)?.scrollIntoView({ block: 'start' });
  };
  return { element, load, showOpenLedBy, setFacets: filterForm.setFacets };
}

/**
 * Loads the list for the filters into its elements: the first page, or (`more`) the next one after the
 * rows shown. A load overtaken by a later one shows nothing.
 * @param {{ total: HTMLElement, status: HTMLElement, body: HTMLElement, errors: HTMLElement, moreButton: HTMLButtonElement }} shown
 * @param {{ today: string, rhfCount: number, unmounted: () => boolean }} options
 */
function listLoader({ total, status, body, errors, moreButton }, { today, rhfCount, unmounted }) {
  let generation = 0;
  /** @type {OppdragRow[]} */
  let nodes = [];
  /** @type {PageInfo | null} */
  let pageInfo = null;

  /** @param {boolean} more the next page, after the rows shown */
  return async (more) => {
    // Only from the page shown, and only when the API said there is another.
    if (more && (!pageInfo?.hasNextPage || !pageInfo.endCursor || moreButton.disabled)) return;
    const mine = ++generation;
    body.setAttribute('aria-busy', 'true');
    moreButton.disabled = true;
    try {
      const data = await gql(LIST, {
        filter: apiFilter(filters, today),
        first: PAGE_SIZE,
        after: more && pageInfo ? pageInfo.endCursor : null,
      });
      if (unmounted() || mine !== generation) return;
      const page = data.oppdragList;
      nodes = more ? withoutRepeats(nodes, page.nodes) : page.nodes;
      pageInfo = page.pageInfo;
      total.textContent = String(page.totalCount);
      status.textContent =
        page.totalCount === 0
          ? 'Ingen oppdrag passer filteret.'
          : `Viser ${nodes.length} av ${page.totalCount} oppdrag, tidligste frist først.`;
      replace(errors);
      replace(body, oppdragTableOf(nodes, rhfCount));
      moreButton.hidden = !page.pageInfo.hasNextPage;
    } catch (error) {
      if (unmounted() || mine !== generation) return;
      replace(errors, errorMessage(error, 'Kunne ikke hente oppdragene.'));
    } finally {
      if (mine === generation) {
        body.setAttribute('aria-busy', 'false');
        moreButton.disabled = false;
      }
    }
  };
}

/**
 * The rows shown, then the next page's: a row already shown is never listed twice.
 * @param {OppdragRow[]} shown
 * @param {OppdragRow[]} next
 */
function withoutRepeats(shown, next) {
  const ids = new Set(shown.map((o) => o.id));
  return [...shown, ...next.filter((o) => !ids.has(o.id))];
}

/** @typedef {ReturnType<typeof workloadPanel>} WorkloadPanel */
/** @typedef {ReturnType<typeof overduePanel>} OverduePanel */
/** @typedef {ReturnType<typeof minePanel>} MinePanel */
/** @typedef {ReturnType<typeof soonPanel>} SoonPanel */

/**
 * The summary panels filled from one SUMMARY answer.
 * @typedef {{ workload: WorkloadPanel, overdue: OverduePanel, mine: MinePanel | null, soon: SoonPanel }} SummaryPanels
 */
