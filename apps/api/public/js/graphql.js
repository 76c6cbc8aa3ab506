// @ts-check
// The GraphQL client over fetch, and the Norwegian words for the API's error codes.

import { h } from './dom.js';

const ERROR_SENTENCES = {
  BAD_USER_INPUT: 'Noe i det du sendte er ikke gyldig. Rett opp feltet som er nevnt, og prøv igjen.',
  UNAUTHENTICATED: 'Du er ikke logget inn, eller innloggingen er utløpt. Logg inn på nytt.',
  FORBIDDEN: 'Du har ikke lov til å gjøre dette. Regelen som stoppet det, står nedenfor.',
  NOT_FOUND: 'Fant ikke det du spurte etter. Det kan være slettet fra lenken, eller aldri ha fantes.',
  CONFLICT:
    'Oppdraget ble endret av noen andre etter at du åpnet det. Se på de nye opplysningene og prøv igjen.',
  INVALID_TRANSITION: 'Oppdraget er ikke i en tilstand som tillater dette nå.',
  SERVICE_UNAVAILABLE: 'Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.',
  INTERNAL_SERVER_ERROR: 'Det oppstod en feil på serveren. Prøv igjen, og si fra hvis det gjentar seg.',
  NETWORK: 'Fikk ikke kontakt med serveren. Sjekk nettverket og prøv igjen.',
};

/**
 * The Norwegian sentence for an API error code.
 * @param {string} code
 */
export function sentenceFor(code) {
  return /** @type {Record<string, string>} */ (ERROR_SENTENCES)[code] ?? 'Forespørselen ble avvist.';
}

/**
 * @typedef {{ message: string, extensions?: { code?: string, field?: string } }} ApiError
 */

/** A refused or failed GraphQL request, with the first error's code. */
export class ApiFailure extends Error {
  /**
   * @param {ApiError[]} errors
   * @param {number} status
   */
  constructor(errors, status) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ApiFailure';
    this.errors = errors;
    this.status = status;
    this.code = errors[0]?.extensions?.code ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT');
    this.field = errors[0]?.extensions?.field ?? null;
  }
}

/** The Norwegian names of the API's input fields, as the forms label them. */
const FIELD_LABELS = {
  reason: 'Begrunnelse',
  deadline: 'Frist',
  dueDate: 'Frist',
  documentRef: 'Dokumentreferanse',
  reportedOn: 'Dato',
  startedOn: 'Startdato',
  summary: 'Sammendrag',
  note: 'Merknad',
  title: 'Tittel',
  description: 'Beskrivelse',
  kind: 'Type',
  milestoneId: 'Delleveranse',
  milestone: 'Delleveranse',
  milestones: 'Delleveranser',
  lead: 'Ledende RHF',
  collaborator: 'Samarbeidspartner',
  collaboratorId: 'Samarbeidspartner',
  collaborators: 'Samarbeidspartnere',
  addressee: 'RHF',
  addressees: 'RHF-er',
  outcome: 'Utfall',
  supersededBy: 'Erstattet av',
  part: 'Del',
  hovedmal: 'Hovedmål',
  year: 'År',
  text: 'Fritekst',
  status: 'Status',
  source: 'Kilde',
  letter: 'Brev',
  id: 'Id',
};

/**
 * The Norwegian label of an API field name ("reason", "input.reason", "milestone.dueDate").
 * @param {string | null | undefined} field
 * @returns {string | null}
 */
export function fieldLabel(field) {
  if (!field) return null;
  const parts = String(field).split('.');
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const label = /** @type {Record<string, string>} */ (FIELD_LABELS)[parts[i] ?? ''];
    if (label) return label;
  }
  return null;
}

/** The API's English messages (after "field: ") that a dashboard user can meet, in Norwegian. */
/** @type {Array<[RegExp, (field: string | null, match: RegExpExecArray) => string]>} */
const MESSAGES = [
  [/^is required and must not be blank$/, (f) => `${f ?? 'Feltet'} må fylles ut.`],
  [/^must be at most (\d+) characters$/, (f, m) => `${f ?? 'Feltet'} kan ha høyst ${m[1]} tegn.`],
  [/^must be a calendar date YYYY-MM-DD$/, (f) => `${f ?? 'Feltet'} må være en dato.`],
  [/^must not be after today/, (f) => `${f ?? 'Datoen'} kan ikke være etter i dag.`],
  [
    /^must not be before the day the oppdrag was assigned \((.+)\)$/,
    (f, m) => `${f ?? 'Datoen'} kan ikke være før oppdraget ble gitt (${m[1]}).`,
  ],
  [
    /^is allowed only with outcome superseded$/,
    (f) => `${f ?? 'Feltet'} fylles bare ut når utfallet er «erstattet».`,
  ],
  [/^an oppdrag cannot supersede itself$/, () => 'Et oppdrag kan ikke erstatte seg selv.'],
  [/^is already (.+)$/, (f) => `${f ?? 'Feltet'} har allerede denne verdien.`],
  [/^nothing to (change|correct)/, () => 'Ingenting er endret: endre minst ett av feltene.'],
  [/is not a cursor this list gave out/, () => 'Listen er utdatert. Last siden på nytt.'],
  [/^the bearer token is not valid/, () => 'Innloggingen er utløpt eller ugyldig.'],
  [/^sign in: /, () => 'Du må logge inn.'],
  [
    /^must not contain control characters/,
    (f) =>
      `${f ?? 'Feltet'} kan ikke inneholde kontrolltegn, ANSI-koder eller tegn som snur skriveretningen.`,
  ],
  [
    /the text is not UTF-8/,
    () =>
      'Brevet er ikke lagret som UTF-8 (det ser ut til å være Latin-1 eller Windows-1252). Lagre det som UTF-8 og prøv igjen.',
  ],
  [/must be a file name without folders/, () => 'Filnavnet kan ikke inneholde mapper (/ eller \\).'],
  [
    /an RHF acts only on its own part of an oppdrag addressed to it/,
    () => 'Et RHF kan bare registrere på sin egen del av et oppdrag som er rettet til det.',
  ],
];

/**
 * The API's message in Norwegian, naming the form field it concerns; null when it is not known.
 * @param {string | null | undefined} message
 * @param {string | null} [field]
 * @returns {string | null}
 */
export function norwegianDetail(message, field) {
  const label = fieldLabel(field);
  const text = String(message ?? '');
  const prefix = field ? `${field}: ` : null;
  const rest = prefix && text.startsWith(prefix) ? text.slice(prefix.length) : text.replace(/^[\w.]+: /, '');
  for (const [pattern, say] of MESSAGES) {
    const match = pattern.exec(rest) ?? pattern.exec(text);
    if (match) return say(label, match);
  }
  return label ? `Sjekk feltet «${label}».` : null;
}

/**
 * What to tell a person about an error: Norwegian sentences and the API's own (technical) message.
 * @param {unknown} error
 */
export function describeError(error) {
  if (error instanceof ApiFailure) {
    return {
      code: error.code,
      sentence: sentenceFor(error.code),
      norwegian: norwegianDetail(error.errors[0]?.message, error.field),
      detail: error.message,
      field: error.field,
    };
  }
  return {
    code: 'CLIENT',
    sentence: 'Noe gikk galt i nettleseren.',
    norwegian: null,
    detail: error instanceof Error ? error.message : String(error),
    field: null,
  };
}

/**
 * A block that shows an error in Norwegian; the API's own message and code are kept, folded away, under
 * "Tekniske detaljer" for whoever helps the user.
 * @param {unknown} error
 * @param {string} [lead] what did not happen, said first
 */
export function errorMessage(error, lead) {
  const { code, sentence, norwegian, detail } = describeError(error);
  return h(
    'div',
    { class: 'message message--error', dataset: { code } },
    lead ? h('p', null, h('strong', null, lead)) : null,
    h('p', { class: 'sentence' }, sentence),
    norwegian ? h('p', { class: 'detail-nb' }, norwegian) : null,
    detail
      ? h(
          'details',
          { class: 'detail' },
          h('summary', null, 'Tekniske detaljer'),
          h('span', { class: 'api-message', lang: 'en' }, detail),
          ' ',
          h('span', { class: 'code' }, `[${code}]`),
        )
      : null,
  );
}

/**
 * Shows an error next to the form control it concerns: the control is marked invalid and described by
 * the message. Returns the message element.
 * @param {HTMLElement & { name?: string }} control
 * @param {string | null} text
 */
export function showFieldError(control, text) {
  const wrap = control.closest('.field') ?? control.parentElement;
  const id = `${control.id || control.name}-error`;
  wrap?.querySelector('.field-error')?.remove();
  const message = h('p', { class: 'field-error', id, 'data-testid': 'field-error' }, text);
  control.after(message);
  control.setAttribute('aria-invalid', 'true');
  const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== id);
  control.setAttribute('aria-describedby', [...described, id].join(' '));
  return message;
}

/**
 * Removes the field errors of a form.
 * @param {HTMLFormElement} form
 */
export function clearFieldErrors(form) {
  for (const message of form.querySelectorAll('.field-error')) message.remove();
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    const described = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((x) => x && !x.endsWith('-error'));
    if (described.length > 0) control.setAttribute('aria-describedby', described.join(' '));
    else control.removeAttribute('aria-describedby');
  }
}

/**
 * The control of `form` that an API error's field names, if there is one.
 * @param {HTMLFormElement} form
 * @param {string | null | undefined} field
 * @returns {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null}
 */
export function controlFor(form, field) {
  if (!field) return null;
  const parts = String(field).split('.');
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const control = form.elements.namedItem(parts[i] ?? '');
    if (
      control instanceof HTMLInputElement ||
      control instanceof HTMLSelectElement ||
      control instanceof HTMLTextAreaElement
    )
      return control;
  }
  return null;
}

/** @type {() => string | null} */
let tokenSource = () => null;
/** @type {(failure: ApiFailure) => void} */
let onUnauthenticated = () => undefined;

/**
 * Where requests take their bearer token from, and what to do when it is refused.
 * @param {{ token: () => string | null, unauthenticated: (failure: ApiFailure) => void }} options
 */
export function configureClient({ token, unauthenticated }) {
  tokenSource = token;
  onUnauthenticated = unauthenticated;
}

/**
 * Sends one GraphQL request; resolves to `data` or rejects with an ApiFailure. An answer with any error
 * is rejected, so the data it resolves to is whole (a field the schema leaves nullable for its errors is
 * there).
 * @template TData
 * @param {import('./types.js').Document<TData>} query one of the documents in queries.js
 * @param {Record<string, unknown>} [variables]
 * @param {{ token?: string }} [options]
 * @returns {Promise<TData>}
 */
export async function gql(query, variables = {}, { token } = {}) {
  const bearer = token ?? tokenSource();
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ApiFailure([{ message, extensions: { code: 'NETWORK' } }], 0);
  }
  /** @type {{ data?: TData, errors?: unknown }} */
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiFailure(
      [{ message: `the server answered ${response.status} without JSON`, extensions: {} }],
      response.status,
    );
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const failure = new ApiFailure(/** @type {ApiError[]} */ (body.errors), response.status);
    if (failure.code === 'UNAUTHENTICATED' && !token) onUnauthenticated(failure);
    throw failure;
  }
  // A GraphQL answer without errors has data; one without either is not an answer.
  if (body.data === undefined || body.data === null)
    throw new ApiFailure([{ message: 'the server answered without data', extensions: {} }], response.status);
  return body.data;
}

/**
 * After a form was refused: the error as an ApiFailure, its Norwegian detail shown at the field it
 * concerns, and that field focused.
 * @param {HTMLFormElement} form
 * @param {unknown} error
 * @returns {ApiFailure}
 */
export function showRefusalAtField(form, error) {
  const failure =
    error instanceof ApiFailure
      ? error
      : new ApiFailure([{ message: error instanceof Error ? error.message : String(error) }], 0);
  const control = controlFor(form, failure.field);
  if (control) {
    showFieldError(control, norwegianDetail(failure.errors[0]?.message, failure.field));
    control.focus();
  }
  return failure;
}

/** A fresh command id, so that a retried click writes nothing twice. */
export function commandId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
