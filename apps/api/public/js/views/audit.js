// @ts-check
// The audit trail across oppdrag, for auditors and coordinators: filter by actor, organisation, event
// type and period, page through it, and download the same selection as JSONL or CSV.

import { field, focusHeading, h, replace, select, uid } from '../dom.js';
import { EVENT_LABELS, eventLabel, formatInstant, osloLocalToInstant, roleLabel } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { AUDIT_TRAIL } from '../queries.js';

/** @import { AuditEntry, Context, View } from '../types.js' */

/**
 * The audit trail's filter, as the API takes it (AuditFilterInput).
 * @typedef {{ actorUserId?: string, organisationId?: string, types?: string[], from?: string, to?: string }} AuditFilter
 */

const PAGE_SIZE = 25;

/** Norwegian for the export's refusals. @param {number} status @param {string} message */
function exportRefusal(status, message) {
  if (status === 413)
    return `Utvalget er for stort til én fil. Snevre det inn med periode, bruker eller hendelse. (${message})`;
  if (status === 401) return 'Du er ikke logget inn, eller innloggingen er utløpt. Logg inn på nytt.';
  if (status === 403) return `Du har ikke lov til å laste ned revisjonssporet. (${message})`;
  if (status === 400) return `Filteret er ikke gyldig: ${message}`;
  return `Nedlastingen feilet (${status}): ${message}`;
}

/**
 * The filter form's controls.
 * @param {Context} ctx
 */
function filterControls(ctx) {
  return {
    actor: h('input', { type: 'text', name: 'actor', maxlength: '200', autocomplete: 'off' }),
    organisation: select(
      'organisation',
      [
        { value: '', label: 'Alle' },
        ...ctx.organisations
          .filter((o) => o.kind === 'rhf' || o.kind === 'ministry')
          .map((o) => ({ value: o.id, label: o.shortName })),
      ],
      '',
    ),
    type: select(
      'type',
      [
        { value: '', label: 'Alle hendelser' },
        ...Object.entries(EVENT_LABELS).map(([value, label]) => ({ value, label })),
      ],
      '',
    ),
    from: h('input', { type: 'date', name: 'from' }),
    to: h('input', { type: 'date', name: 'to' }),
  };
}

/** @typedef {ReturnType<typeof filterControls>} FilterControls */

/**
 * The filter form; a search calls `onSearch`.
 * @param {FilterControls} controls
 * @param {() => void} onSearch
 */
function filterForm(controls, onSearch) {
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filtrer revisjonssporet',
      onSubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        onSearch();
      },
    },
    field('Bruker (id)', controls.actor).wrap,
    field('Organisasjon', controls.organisation).wrap,
    field('Hendelse', controls.type).wrap,
    field('Fra og med dato', controls.from).wrap,
    field('Til og med dato', controls.to).wrap,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button' }, 'Vis')),
  );
}

/**
 * The filter of the form, as the API takes it.
 * @param {FilterControls} controls
 * @returns {AuditFilter}
 */
function filterOf(controls) {
  /** @type {AuditFilter} */
  const filter = {};
  const value = (/** @type {HTMLInputElement | HTMLSelectElement} */ el) => el.value.trim();
  if (value(controls.actor)) filter.actorUserId = value(controls.actor);
  if (value(controls.organisation)) filter.organisationId = value(controls.organisation);
  if (value(controls.type)) filter.types = [value(controls.type)];
  const from = value(controls.from) ? osloLocalToInstant(`${value(controls.from)}T00:00:00`) : null;
  const to = value(controls.to) ? osloLocalToInstant(`${value(controls.to)}T23:59:59`) : null;
  if (from) filter.from = from;
  if (to) filter.to = to.replace(/\.000Z$/, '.999Z');
  return filter;
}

/**
 * The entries as a table, or nothing when there are none.
 * @param {AuditEntry[]} entries
 */
function auditTableOf(entries) {
  if (entries.length === 0) return null;
  return h(
    'table',
    { 'data-testid': 'audit-table' },
    h('caption', { class: 'visually-hidden' }, 'Hendelser i revisjonssporet'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Tidspunkt', 'Oppdrag', 'Hendelse', 'Hvem', 'Data'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h('tbody', null, entries.map(auditRowOf)),
  );
}

/**
 * One entry: when, which oppdrag and revision, what, who, and its data folded away.
 * @param {AuditEntry} e
 */
function auditRowOf(e) {
  return h(
    'tr',
    { dataset: { event: e.eventId, type: e.type } },
    h(
      'td',
      { class: 'nowrap' },
      h('time', { datetime: e.recordedAt }, formatInstant(e.recordedAt, { seconds: true })),
    ),
    h(
      'td',
      null,
      h('a', { href: `#/oppdrag/${e.oppdragId}` }, e.oppdragId),
      h('span', { class: 'sub' }, ` rev. ${e.revision}`),
    ),
    h('td', null, eventLabel(e.type), h('div', { class: 'panel__hint' }, e.type)),
    h(
      'td',
      { dataset: { actor: e.actor.userId } },
      e.actor.name,
      h(
        'div',
        { class: 'panel__hint' },
        `${roleLabel(e.actor.role)}, ${e.actor.organisationId} (${e.actor.userId})`,
      ),
    ),
    h(
      'td',
      null,
      h(
        'details',
        null,
        h('summary', null, 'Vis data'),
        h('pre', { class: 'audit-data' }, prettyJson(e.data)),
      ),
    ),
  );
}

/**
 * Downloads the selection as a file (JSONL or CSV), with the bearer token; a refusal is shown in
 * `errors`, in Norwegian.
 * @param {'jsonl' | 'csv'} format
 * @param {AuditFilter} filter
 * @param {Context} ctx
 * @param {HTMLElement} errors
 */
async function exportAs(format, filter, ctx, errors) {
  replace(errors);
  const params = new URLSearchParams();
  if (filter.actorUserId) params.set('actor', filter.actorUserId);
  if (filter.organisationId) params.set('organisation', filter.organisationId);
  for (const type of filter.types ?? []) params.append('type', type);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  try {
    const response = await fetch(`/export/audit.${format}?${params}`, {
      headers: ctx.token ? { authorization: `Bearer ${ctx.token}` } : {},
    });
    if (!response.ok) {
      let message = response.statusText;
      try {
        message =
          /** @type {{ errors?: Array<{ message?: string }> }} */ (await response.json()).errors?.[0]
            ?.message ?? message;
      } catch {
        // The refusal had no JSON body: its status text says enough.
      }
      replace(errors, h('p', { class: 'error' }, exportRefusal(response.status, message)));
      return;
    }
    const blob = await response.blob();
    const link = h('a', {
      href: URL.createObjectURL(blob),
      download: `revisjonsspor.${format}`,
      hidden: true,
    });
    document.body.append(link);
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
    ctx.announce(
      `Lastet ned ${response.headers.get('x-total-count') ?? ''} hendelser som ${format.toUpperCase()}.`,
    );
  } catch (error) {
    replace(errors, errorMessage(error, 'Kunne ikke laste ned revisjonssporet.'));
  }
}

/**
 * The page for those who may not see the audit trail.
 * @param {HTMLElement} main
 * @param {HTMLElement} heading
 * @returns {View}
 */
function notAllowed(main, heading) {
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      heading,
      h('p', null, 'Revisjonssporet er for revisorer og koordinatorer.'),
    ),
  );
  focusHeading(heading);
  return { unmount: () => undefined };
}

/**
 * Loads the trail for the form's filter into its elements: the first page, or (`append`) the next one
 * after the entries shown. A load overtaken by a later one shows nothing.
 * @param {{ controls: FilterControls, status: HTMLElement, errors: HTMLElement, body: HTMLElement, more: HTMLButtonElement }} shown
 * @param {() => boolean} unmounted
 */
function auditLoader({ controls, status, errors, body, more }, unmounted) {
  let generation = 0;
  /** @type {AuditEntry[]} */
  let entries = [];
  /** @type {string | null} */
  let endCursor = null;
  let hasNextPage = false;

  /** @param {boolean} append */
  return async (append) => {
    if (append && (!hasNextPage || !endCursor)) return;
    const mine = ++generation;
    body.setAttribute('aria-busy', 'true');
    replace(errors);
    try {
      const data = await gql(AUDIT_TRAIL, {
        filter: filterOf(controls),
        first: PAGE_SIZE,
        after: append ? endCursor : null,
      });
      if (unmounted() || mine !== generation) return;
      entries = append ? [...entries, ...data.auditTrail.entries] : data.auditTrail.entries;
      endCursor = data.auditTrail.endCursor ?? endCursor;
      hasNextPage = data.auditTrail.hasNextPage;
      status.textContent =
        entries.length === 0
          ? 'Ingen hendelser passer filteret.'
          : `Viser ${entries.length} hendelser${hasNextPage ? ', flere finnes' : ''}.`;
      more.hidden = !hasNextPage;
      replace(body, auditTableOf(entries));
    } catch (error) {
      if (unmounted() || mine !== generation) return;
      replace(errors, errorMessage(error, 'Kunne ikke hente revisjonssporet.'));
    } finally {
      if (mine === generation) body.setAttribute('aria-busy', 'false');
    }
  };
}

/**
 * @param {HTMLElement} main
 * @param {Context} ctx
 * @returns {View}
 */
export function renderAudit(main, ctx) {
  const heading = h('h1', { tabindex: '-1' }, 'Revisjonsspor');
  const role = String(ctx.me?.role).toUpperCase();
  if (role !== 'AUDITOR' && role !== 'COORDINATOR') return notAllowed(main, heading);

  let unmounted = false;
  const shown = {
    controls: filterControls(ctx),
    status: h('p', { class: 'panel__hint', role: 'status', 'data-testid': 'audit-status' }),
    errors: h('div', { role: 'alert' }),
    body: h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Revisjonsspor' }),
    more: h('button', { type: 'button', class: 'button button--quiet', hidden: true }, 'Vis flere'),
  };
  const load = auditLoader(shown, () => unmounted);
  shown.more.addEventListener('click', () => void load(true));
  const download = (/** @type {'jsonl' | 'csv'} */ format, /** @type {string} */ label) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button button--quiet',
        'data-export': format,
        onClick: () => void exportAs(format, filterOf(shown.controls), ctx, shown.errors),
      },
      label,
    );
  const listHeading = uid('h');
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      heading,
      h('p', null, 'Hver hendelse slik den er lagret, med hvem som gjorde hva og når. Eldste først.'),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': listHeading, id: 'audit' },
      h('h2', { id: listHeading }, 'Hendelser'),
      filterForm(shown.controls, () => void load(false)),
      h(
        'div',
        { class: 'audit-exports' },
        h('span', null, 'Last ned utvalget:'),
        download('jsonl', 'Last ned JSONL'),
        download('csv', 'Last ned CSV'),
      ),
      shown.errors,
      shown.status,
      shown.body,
      h('div', { class: 'form-actions' }, shown.more),
    ),
  );
  focusHeading(heading);

  void load(false);
  return {
    refresh: () => void load(false),
    unmount: () => {
      unmounted = true;
    },
  };
}

/** The event data, indented. @param {string} data */
function prettyJson(data) {
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}
