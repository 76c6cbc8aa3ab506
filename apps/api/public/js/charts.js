// @ts-check
// The status charts: per RHF its parts open / reported / overdue as stacked bars, and how many oppdrag
// (or, on an RHF's page, how many of its parts) were overdue at the end of each month, as a line. The
// numbers come from the API's `charts` query; each chart has a text alternative and its numbers in a
// table beside it. Chart.js is served by the API itself (/vendor/chart.umd.min.js).

import { h, replace, uid } from './dom.js';
import { formatDate } from './format.js';
import { errorMessage, gql } from './graphql.js';
import { CHARTS } from './queries.js';

/** @import { Charts } from './types.js' */

/**
 * @typedef {{ destroy(): void }} ChartInstance
 * @typedef {new (canvas: HTMLCanvasElement, config: unknown) => ChartInstance} ChartConstructor
 */

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'mai', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'des'];

/** Colours that tell the three apart also in greyscale; the table beside says the same in numbers. */
const COLOURS = { open: '#2f6fb0', reported: '#3d8b4f', overdue: '#b3261e', line: '#b3261e' };

/** Where the API serves Chart.js (its self-contained build, which sets `globalThis.Chart`). */
const CHART_LIBRARY = '/vendor/chart.umd.min.js';

/** @type {Promise<ChartConstructor> | null} */
let library = null;

/** Loads Chart.js once, from this server. */
function chartLibrary() {
  library ??= import(CHART_LIBRARY).then(() => {
    const Chart = /** @type {{ Chart?: ChartConstructor }} */ (/** @type {unknown} */ (globalThis)).Chart;
    if (!Chart) throw new Error('the chart library did not load');
    return Chart;
  });
  return library;
}

/** `2024-03` → `mar 2024`. @param {string} month */
const monthLabel = (month) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/**
 * A table of numbers beside a chart.
 * @param {string} caption @param {string[]} headings @param {Array<Array<string | number>>} rows
 * @param {string} testId
 */
function numbersTable(caption, headings, rows, testId) {
  return h(
    'div',
    { class: 'table-wrap chart__table', tabindex: '0', role: 'region', 'aria-label': caption },
    h(
      'table',
      { 'data-testid': testId },
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headings.map((text, i) => h('th', { scope: 'col', class: i === 0 ? null : 'num' }, text)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((cells) =>
          h(
            'tr',
            null,
            cells.map((cell, i) =>
              i === 0 ? h('th', { scope: 'row' }, cell) : h('td', { class: 'num' }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * The two figures: the parts per RHF, and the overdue count at each month's end. Each canvas has a text
 * alternative, and the figure its numbers in a table.
 * @param {Charts} data
 */
function figuresOf(data) {
  const partsText = data.parts
    .map((p) => `${p.organisation.shortName}: ${p.open} åpne, ${p.reported} rapportert, ${p.overdue} forfalt`)
    .join('; ');
  const partsCanvas = h('canvas', {
    role: 'img',
    'aria-label': `Stolpediagram over deler per RHF, ${data.year}, per ${formatDate(data.on)}. ${partsText}.`,
  });
  const monthsWhat = data.rhf ? `${data.rhf.shortName}s forfalte deler` : 'Forfalte oppdrag';
  const monthsText = data.overdueByMonth
    .map((m) => `${monthLabel(m.month)}${m.complete ? '' : ' (hittil)'}: ${m.count}`)
    .join('; ');
  const monthsCanvas = h('canvas', {
    role: 'img',
    'aria-label': `Linjediagram: ${monthsWhat.toLowerCase()} ved utgangen av hver måned i ${data.year}. ${monthsText || 'Ingen måneder ennå'}.`,
  });
  const partsCaption = `Deler per RHF i ${data.year}: åpne, rapportert og forfalt per ${formatDate(data.on)}`;
  const monthsCaption = `${monthsWhat} ved utgangen av hver måned i ${data.year}, etter historikken`;
  const figures = [
    h(
      'figure',
      { class: 'chart', 'data-testid': 'chart-parts' },
      h('figcaption', null, partsCaption),
      h('div', { class: 'chart__canvas' }, partsCanvas),
      numbersTable(
        partsCaption,
        ['RHF', 'Åpne', 'Rapportert', 'Forfalt', 'Sum'],
        data.parts.map((p) => [
          p.organisation.shortName,
          p.open,
          p.reported,
          p.overdue,
          p.open + p.reported + p.overdue,
        ]),
        'chart-parts-table',
      ),
    ),
    h(
      'figure',
      { class: 'chart', 'data-testid': 'chart-months' },
      h('figcaption', null, monthsCaption),
      h('div', { class: 'chart__canvas' }, monthsCanvas),
      h(
        'p',
        { class: 'panel__hint' },
        'Telt slik historikken sto ved slutten av hver måned: fristen var passert, og oppdraget var verken rapportert eller lukket. Inneværende måned er telt per i dag.',
      ),
      numbersTable(
        monthsCaption,
        ['Måned', 'Forfalt'],
        data.overdueByMonth.map((m) => [
          `${monthLabel(m.month)}${m.complete ? '' : ` (per ${formatDate(m.on)})`}`,
          m.count,
        ]),
        'chart-months-table',
      ),
    ),
  ];
  return { figures, partsCanvas, monthsCanvas, monthsWhat };
}

/**
 * Draws the charts on the figures' canvases.
 * @param {ChartConstructor} Chart
 * @param {Charts} data
 * @param {ReturnType<typeof figuresOf>} figures
 * @returns {ChartInstance[]}
 */
function drawCharts(Chart, data, { partsCanvas, monthsCanvas, monthsWhat }) {
  const common = { animation: false, responsive: true, maintainAspectRatio: false };
  return [
    new Chart(partsCanvas, {
      type: 'bar',
      data: {
        labels: data.parts.map((p) => p.organisation.shortName),
        datasets: [
          { label: 'Åpne', data: data.parts.map((p) => p.open), backgroundColor: COLOURS.open },
          { label: 'Rapportert', data: data.parts.map((p) => p.reported), backgroundColor: COLOURS.reported },
          { label: 'Forfalt', data: data.parts.map((p) => p.overdue), backgroundColor: COLOURS.overdue },
        ],
      },
      options: {
        ...common,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
    new Chart(monthsCanvas, {
      type: 'line',
      data: {
        labels: data.overdueByMonth.map((m) => monthLabel(m.month)),
        datasets: [
          {
            label: monthsWhat,
            data: data.overdueByMonth.map((m) => m.count),
            borderColor: COLOURS.line,
            backgroundColor: COLOURS.line,
            tension: 0,
          },
        ],
      },
      options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
  ];
}

/**
 * The status charts as a panel. With `rhf`, that RHF's own numbers (its page); without, every RHF's.
 * @param {{ rhf?: string | null, year?: number | null }} [options]
 * @returns {{ element: HTMLElement, refresh: () => Promise<void>, unmount: () => void }}
 */
export function statusCharts(options = {}) {
  const headingId = uid('h');
  const heading = h('h2', { id: headingId }, 'Status i tall');
  const body = h('div', { class: 'charts', 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Laster …'));
  const element = h(
    'section',
    { class: 'panel', id: 'charts', 'aria-labelledby': headingId, 'data-testid': 'charts' },
    heading,
    body,
  );
  /** @type {ChartInstance[]} */
  let charts = [];
  let generation = 0;

  const destroy = () => {
    for (const chart of charts) chart.destroy();
    charts = [];
  };

  /** @param {Charts} data @param {ChartConstructor} Chart */
  function render(data, Chart) {
    destroy();
    heading.textContent = `Status i tall, ${data.year} (${data.rhf ? data.rhf.shortName : 'alle RHF-er'})`;
    const figures = figuresOf(data);
    replace(body, figures.figures);
    charts = drawCharts(Chart, data, figures);
  }

  async function refresh() {
    const mine = ++generation;
    body.setAttribute('aria-busy', 'true');
    try {
      const [data, Chart] = await Promise.all([
        gql(CHARTS, { year: options.year ?? null, rhf: options.rhf ?? null }),
        chartLibrary(),
      ]);
      if (mine !== generation) return;
      render(data.charts, Chart);
    } catch (error) {
      if (mine !== generation) return;
      replace(body, errorMessage(error, 'Kunne ikke hente tallene til diagrammene.'));
    } finally {
      if (mine === generation) body.setAttribute('aria-busy', 'false');
    }
  }

  void refresh();
  return {
    element,
    refresh,
    unmount: () => {
      generation += 1;
      destroy();
    },
  };
}
