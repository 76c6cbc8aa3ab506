// @ts-check
// The Årlig melding sheet as a file: the API makes a short-lived signed link (a few minutes, one file),
// and a plain link downloads it, so that the bearer token never goes into an address.

import { field, h, replace, select, uid } from './dom.js';
import { errorMessage, gql } from './graphql.js';
import { CREATE_ANNUAL_REPORT_LINK } from './queries.js';

/** @import { Context } from './types.js' */

/** @typedef {'XLSX' | 'CSV'} Format the file formats (ExportFormat) */

/** How many years back the year list goes. */
const YEARS_BACK = 3;

/**
 * The years to offer: this year and the ones before it.
 * @param {string} today YYYY-MM-DD
 * @returns {number[]}
 */
export function reportYears(today) {
  const year = Number(today.slice(0, 4));
  return Array.from({ length: YEARS_BACK + 1 }, (_, i) => year - i);
}

/**
 * The time a link stops working, as Norwegians read it ("kl. 14.05").
 * @param {string} iso
 * @returns {string}
 */
function clockTime(iso) {
  return new Intl.DateTimeFormat('nb-NO', {
    timeZone: 'Europe/Oslo',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/**
 * The year to choose from: this year and the ones before it, last year before 16 March (the Årlig
 * melding being written then is last year's).
 * @param {string} today
 */
function yearSelectOf(today) {
  const years = reportYears(today);
  const defaultYear = today.slice(5) < '03-16' ? years[1] : years[0];
  return select(
    'year',
    years.map((y) => ({ value: String(y), label: String(y) })),
    String(defaultYear),
  );
}

/**
 * The RHF to choose, or all four side by side (for coordinators and auditors).
 * @param {Context} ctx
 */
function rhfSelectOf(ctx) {
  return select(
    'rhf',
    [
      { value: '', label: 'Alle fire RHF side om side' },
      ...ctx.organisations.filter((o) => o.kind === 'rhf').map((o) => ({ value: o.id, label: o.name })),
    ],
    '',
  );
}

/**
 * Asks for a link to one file and starts the download with a plain link; says so in `status`.
 * @param {{ year: number, rhf: string | null, format: Format }} what
 * @param {HTMLButtonElement} button disabled meanwhile
 * @param {HTMLElement} status
 */
async function download(what, button, status) {
  button.disabled = true;
  replace(status, h('p', { class: 'loading' }, 'Lager regnearket …'));
  try {
    const data = await gql(CREATE_ANNUAL_REPORT_LINK, what);
    const link = data.createAnnualReportLink;
    const anchor = h(
      'a',
      { href: link.url, download: link.fileName, 'data-testid': 'annual-report-link' },
      `Last ned ${link.fileName}`,
    );
    replace(
      status,
      h(
        'p',
        null,
        'Nedlastingen har startet. ',
        anchor,
        ` (lenken virker til kl. ${clockTime(link.expiresAt)}).`,
      ),
    );
    anchor.click();
  } catch (error) {
    replace(status, errorMessage(error, 'Kunne ikke lage regnearket.'));
  } finally {
    button.disabled = false;
  }
}

/**
 * A panel that downloads the Årlig melding sheet. An RHF user gets its own RHF's sheet; a coordinator or
 * an auditor chooses one RHF or all four side by side (the API decides, and refuses what is not allowed).
 * @param {Context} ctx
 * @returns {HTMLElement}
 */
export function renderAnnualReportDownload(ctx) {
  const { me, today } = ctx;
  const own = me.role === 'RHF' && me.organisation ? me.organisation : null;
  const headingId = uid('arlig-melding');
  const yearSelect = yearSelectOf(today);
  const rhfSelect = own ? null : rhfSelectOf(ctx);
  const status = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'annual-report-status' });

  /**
   * @param {Format} format
   * @param {string} label
   */
  const button = (format, label) => {
    const el = h('button', { type: 'button', class: 'button', dataset: { format } }, label);
    el.addEventListener('click', () => {
      const rhf = own ? own.id : rhfSelect?.value || null;
      void download({ year: Number(yearSelect.value), rhf, format }, el, status);
    });
    return el;
  };

  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, id: 'arlig-melding' },
    h('h2', { id: headingId }, own ? `Årlig melding for ${own.shortName}` : 'Årlig melding'),
    h(
      'p',
      { class: 'panel__hint' },
      'Regneark med alle oppdrag for året, gruppert etter hovedmål: status for hver del, datoer, ',
      'dokumentreferanser, frister og hva som gjenstår.',
    ),
    h(
      'div',
      { class: 'filters' },
      field('År', yearSelect).wrap,
      rhfSelect ? field('RHF', rhfSelect).wrap : null,
      button('XLSX', 'Last ned Excel (XLSX)'),
      button('CSV', 'Last ned CSV'),
    ),
    status,
  );
}
