// @ts-check
// The overview's filters: kept for the session and in the address (#/?lead=…), the form that sets them,
// the list heading they give, and the API filter they make.

import { debounce, field, h, namedControls, replace, select } from '../dom.js';
import { STATUS_LABELS } from '../format.js';

/** @import { Facets, Organisation } from '../types.js' */

/**
 * The overview's filters, as the form's controls hold them ('' is "any").
 * @typedef {{ year: string, hovedmal: string, status: string, lead: string, collaborator: string, due: string, text: string }} Filters
 * @typedef {keyof Filters} FilterName
 */

/**
 * The oppdrag filter the API takes (OppdragFilterInput), the fields the overview sets.
 * @typedef {object} ApiFilter
 * @property {number} [year]
 * @property {number} [hovedmal]
 * @property {string[]} [status]
 * @property {boolean} [withoutLead]
 * @property {string} [lead]
 * @property {string} [collaborator]
 * @property {string} [overdueOn]
 * @property {number} [dueWithinDays]
 * @property {string} [text]
 */

/**
 * Whether a control's name is one of the filters.
 * @param {string} name
 * @returns {name is FilterName}
 */
const isFilterName = (name) => Object.hasOwn(filters, name);

/**
 * The filters survive moving between pages within the session, and are kept in the address (#/?lead=…),
 * so that a filtered list can be bookmarked, shared and reloaded. An empty status means "not closed".
 */
/** @type {Filters} */
export const filters = { year: '', hovedmal: '', status: '', lead: '', collaborator: '', due: '', text: '' };

/**
 * Takes the filters from the address, if it has any; a lead or collaborator may be named, not only by id.
 * @param {Organisation[]} organisations
 */
export function filtersFromAddress(organisations) {
  const query = location.hash.split('?')[1];
  if (query === undefined) return;
  const params = new URLSearchParams(query);
  /** @param {string} value */
  const byName = (value) => {
    const wanted = value.trim().toLowerCase();
    return (
      organisations.find((o) => [o.id, o.name, o.shortName].some((n) => n.toLowerCase() === wanted))?.id ??
      value
    );
  };
  for (const key of filterNames()) {
    const value = params.get(key) ?? '';
    filters[key] =
      (key === 'lead' || key === 'collaborator') && value && value !== 'none' ? byName(value) : value;
  }
}

/** Writes the filters into the address without a new history entry or a new render. */
export function filtersToAddress() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const query = params.toString();
  const hash = query ? `#/?${query}` : '#/';
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** The filters' names. */
const filterNames = () => /** @type {FilterName[]} */ (Object.keys(filters));

/**
 * The regional health authorities among the organisations.
 * @template {{ kind: string }} O
 * @param {O[]} orgs
 * @returns {O[]}
 */
export const RHF_OPTIONS = (orgs) => orgs.filter((o) => o.kind === 'rhf');

/**
 * The API filter for the form's values.
 * @param {Filters} values
 * @param {string} today
 * @returns {ApiFilter}
 */
export function apiFilter(values, today) {
  /** @type {ApiFilter} */
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

/**
 * The list's heading for each status filter. A Map, because the status can come from the address: an
 * object's inherited properties (`constructor`, `toString`) are no headings.
 * @type {Map<string, string>}
 */
const HEADINGS = new Map([
  ['', 'Oppdrag som ikke er lukket'],
  ['all', 'Alle oppdrag'],
  ['open', 'Åpne oppdrag'],
  ['ASSIGNED', 'Tildelte oppdrag'],
  ['STARTED', 'Startede oppdrag'],
  ['REPORTED', 'Rapporterte oppdrag'],
  ['CLOSED', 'Lukkede oppdrag'],
]);

/**
 * The list's heading for the filters: "Åpne oppdrag som Helse Vest leder".
 * @param {Array<{ id: string, shortName: string }>} organisations
 * @returns {string}
 */
export function listHeadingText(organisations) {
  const what = HEADINGS.get(filters.status) ?? 'Oppdrag';
  if (filters.lead === 'none') return `${what} uten ledende RHF`;
  const lead = organisations.find((o) => o.id === filters.lead);
  if (!lead) return what;
  return `${what}${filters.status === '' ? ',' : ''} som ${lead.shortName} leder`;
}

/**
 * The filter form, its controls set from the filters. A change, a search or "Nullstill" stores the
 * filters, writes them into the address and calls `onApply`.
 * @param {Array<{ id: string, kind: string, shortName: string }>} organisations
 * @param {() => void} onApply
 */
export function filterFormOf(organisations, onApply) {
  const form = h('form', {
    class: 'filters',
    role: 'search',
    'aria-label': 'Filtrer oppdrag',
    onSubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      applyFilters();
    },
  });
  const { yearSelect, hovedmalSelect, statusSelect, leadSelect, collaboratorSelect, dueSelect, textInput } =
    filterControls(organisations);
  const resetButton = h(
    'button',
    {
      type: 'button',
      class: 'button button--quiet',
      onClick: () => {
        for (const key of filterNames()) filters[key] = '';
        for (const control of namedControls(form)) control.value = '';
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
    for (const control of namedControls(form))
      if (isFilterName(control.name)) filters[control.name] = control.value;
    filtersToAddress();
    onApply();
  };
  form.addEventListener('change', (e) => {
    if (e.target !== textInput) applyFilters();
  });
  textInput.addEventListener('input', debounce(applyFilters, 400));

  /**
   * The year and main-goal choices, once the facets are known.
   * @param {Facets} facets
   */
  const setFacets = (facets) => showFacets(yearSelect, hovedmalSelect, facets);
  /**
   * Shows the open oppdrag one RHF leads.
   * @param {string} organisationId
   */
  const showOpenLedBy = (organisationId) => {
    leadSelect.value = organisationId;
    statusSelect.value = 'open';
    applyFilters();
  };
  return { form, setFacets, showOpenLedBy };
}

/**
 * The filter form's controls, each set from the filters.
 * @param {Array<{ id: string, kind: string, shortName: string }>} organisations
 */
function filterControls(organisations) {
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
      ...RHF_OPTIONS(organisations).map((o) => ({ value: o.id, label: o.shortName })),
      { value: 'none', label: 'Ingen (alle RHF-er hver for seg)' },
    ],
    filters.lead,
  );
  const collaboratorSelect = select(
    'collaborator',
    [
      { value: '', label: 'Alle' },
      ...organisations.filter((o) => o.kind !== 'ministry').map((o) => ({ value: o.id, label: o.shortName })),
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
  return { yearSelect, hovedmalSelect, statusSelect, leadSelect, collaboratorSelect, dueSelect, textInput };
}

/**
 * Offers the years and main goals the oppdrag have, the chosen ones selected.
 * @param {HTMLSelectElement} yearSelect
 * @param {HTMLSelectElement} hovedmalSelect
 * @param {Facets} facets
 */
function showFacets(yearSelect, hovedmalSelect, facets) {
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
