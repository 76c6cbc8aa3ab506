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

/** The Norwegian sentence for an API error code. */
export function sentenceFor(code) {
  return ERROR_SENTENCES[code] ?? 'Forespørselen ble avvist.';
}

/** A refused or failed GraphQL request, with the first error's code. */
export class ApiFailure extends Error {
  constructor(errors, status) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ApiFailure';
    this.errors = errors;
    this.status = status;
    this.code = errors[0]?.extensions?.code ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT');
    this.field = errors[0]?.extensions?.field ?? null;
  }
}

/** What to tell a person about an error: a Norwegian sentence and the API's own message. */
export function describeError(error) {
  if (error instanceof ApiFailure) {
    return {
      code: error.code,
      sentence: sentenceFor(error.code),
      detail: error.message,
      field: error.field,
    };
  }
  return {
    code: 'CLIENT',
    sentence: 'Noe gikk galt i nettleseren.',
    detail: error instanceof Error ? error.message : String(error),
    field: null,
  };
}

/** A block that shows an error in plain words, the API's message and its code. */
export function errorMessage(error, lead) {
  const { code, sentence, detail, field } = describeError(error);
  return h(
    'div',
    { class: 'message message--error', dataset: { code } },
    lead ? h('p', null, h('strong', null, lead)) : null,
    h('p', { class: 'sentence' }, sentence),
    detail
      ? h(
          'p',
          { class: 'detail' },
          'Melding fra API-et: ',
          h('span', { class: 'api-message' }, detail),
          field ? ` (felt: ${field})` : '',
          ' ',
          h('span', { class: 'code' }, `[${code}]`),
        )
      : null,
  );
}

let tokenSource = () => null;
let onUnauthenticated = () => undefined;

/** Where requests take their bearer token from, and what to do when it is refused. */
export function configureClient({ token, unauthenticated }) {
  tokenSource = token;
  onUnauthenticated = unauthenticated;
}

/** Sends one GraphQL request; resolves to `data` or rejects with an ApiFailure. */
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
    throw new ApiFailure([{ message: String(error?.message ?? error), extensions: { code: 'NETWORK' } }], 0);
  }
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
    const failure = new ApiFailure(body.errors, response.status);
    if (failure.code === 'UNAUTHENTICATED' && !token) onUnauthenticated(failure);
    throw failure;
  }
  return body.data;
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
