// @ts-check
// The dashboard's entry point: sign-in, routing (#/, #/oppdrag/<id>, #/mitt-rhf, #/import, #/revisjon), the live connection,
// and the shared context every view receives.

import { byId, h, replace } from './dom.js';
import { eventLabel, roleLabel } from './format.js';
import { ApiFailure, configureClient, errorMessage, gql } from './graphql.js';
import { createLiveClient, isRefusal } from './live.js';
import { ON_CHANGE, ON_OVERDUE, START } from './queries.js';
import { renderAudit } from './views/audit.js';
import { renderImport } from './views/import.js';
import { renderMittRhf } from './views/mitt-rhf.js';
import { renderOppdrag } from './views/oppdrag.js';
import { renderOverview } from './views/overview.js';
import { renderSignIn, whoIs } from './views/signin.js';

const TOKEN_KEY = 'oppdragsflyt.token';
const FEED_SIZE = 12;
const SESSION_EXPIRED = 'Økten din er utløpt. Logg inn på nytt.';

const main = byId('main');
const nav = byId('nav');
const sessionBox = byId('session');
const announcer = byId('announcer');
const alerts = byId('alerts');

/** @import { Context, FeedEntry, LiveState, Me, OppdragChange, View } from './types.js' */

/**
 * The page's context while it may not have signed in or loaded the start data yet.
 * @typedef {Omit<Context, 'me' | 'today'> & { me: Me | null, today: string | null }} Session
 */

/**
 * Whether the session has what views need: a signed-in person and the start data.
 * @param {Session} session
 * @returns {session is Context}
 */
const ready = (session) => session.me !== null && session.today !== null;

/**
 * Everything views share.
 * @type {Session}
 */
const ctx = {
  me: null,
  token: null,
  today: null,
  organisations: [],
  feed: [],
  facets: null,
  liveState: 'connecting',
  announce,
  showError,
  clearError: () => replace(alerts),
};

/** @type {ReturnType<typeof createLiveClient> | null} */
let live = null;
/** @type {View | null} */
let view = null;
/** @type {HTMLElement | null} */
let liveStateEl = null;

/** @param {string} text */
function announce(text) {
  // Clearing first makes screen readers repeat an identical announcement.
  announcer.textContent = '';
  setTimeout(() => (announcer.textContent = text), 30);
}

/**
 * @param {unknown} error
 * @param {string} [lead]
 */
function showError(error, lead) {
  replace(alerts, errorMessage(error, lead));
}

configureClient({
  token: () => ctx.token,
  unauthenticated: () => signOut(SESSION_EXPIRED),
});

byId('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

/** @param {string} [notice] shown on the sign-in page */
function signOut(notice) {
  sessionStorage.removeItem(TOKEN_KEY);
  live?.close();
  live = null;
  view?.unmount?.();
  view = null;
  ctx.me = null;
  ctx.token = null;
  ctx.today = null;
  ctx.feed = [];
  ctx.facets = null;
  nav.hidden = true;
  replace(sessionBox);
  replace(alerts);
  renderSignIn(main, { onSignedIn: signedIn, notice });
}

/**
 * @param {string} token
 * @param {Me} me
 */
function signedIn(token, me) {
  sessionStorage.setItem(TOKEN_KEY, token);
  ctx.token = token;
  ctx.me = me;
  void startApp();
}

function renderSession() {
  const me = /** @type {Me} */ (ctx.me);
  liveStateEl = h('span', {
    class: 'live-state',
    dataset: { state: ctx.liveState },
    'data-testid': 'live-state',
  });
  setLiveState(ctx.liveState);
  replace(
    sessionBox,
    liveStateEl,
    h(
      'span',
      { 'data-testid': 'whoami' },
      h('strong', null, me.name),
      ` (${roleLabel(me.role)}${me.organisation ? `, ${me.organisation.shortName}` : ''})`,
    ),
    h(
      'button',
      { type: 'button', class: 'button button--quiet', onClick: () => signOut('Du er logget ut.') },
      'Logg ut',
    ),
  );
}

/** @type {Record<LiveState, string>} */
const LIVE_STATE_TEXT = {
  connecting: 'Kobler til direkte oppdatering …',
  online: 'Direkte oppdatering på',
  offline: 'Direkte oppdatering brutt – prøver igjen',
  refused: 'Direkte oppdatering avvist',
};

/** @param {LiveState} state */
function setLiveState(state) {
  ctx.liveState = state;
  if (!liveStateEl) return;
  liveStateEl.dataset.state = state;
  liveStateEl.textContent = LIVE_STATE_TEXT[state];
}

/** @param {string} route */
const navItem = (route) =>
  /** @type {HTMLElement} */ (nav.querySelector(`a[data-route="${route}"]`)?.parentElement);

async function startApp() {
  const me = /** @type {Me} */ (ctx.me);
  nav.hidden = false;
  // Only coordinators import letters; others would find a page that says so.
  navItem('import').hidden = String(me.role).toUpperCase() !== 'COORDINATOR';
  // "Mitt RHF" shows one RHF's own parts: for its users.
  navItem('mitt-rhf').hidden = !(String(me.role).toUpperCase() === 'RHF' && me.organisation);
  // The audit trail is for auditors and coordinators.
  navItem('revisjon').hidden = !['AUDITOR', 'COORDINATOR'].includes(String(me.role).toUpperCase());
  renderSession();
  try {
    const data = await gql(START);
    ctx.today = data.overdue.on;
    ctx.organisations = data.organisations;
  } catch (error) {
    showError(error, 'Kunne ikke hente grunnlagsdata.');
    return;
  }
  connectLive();
  route();
}

function connectLive() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  live = createLiveClient({
    url,
    token: ctx.token ?? '',
    onState: (state, info) => {
      setLiveState(state);
      // Changes made while the connection was down were not delivered: reload what is shown.
      if (state === 'online' && info?.reconnected) view?.refresh?.();
    },
  });
  /** @param {unknown} errors the subscription's errors, or what closed the connection */
  const failed = (errors) => {
    // A refused sign-in is shown by the live state; the page itself still works.
    if (isRefusal(errors)) return;
    const messages = Array.isArray(errors)
      ? errors
      : [{ message: errors instanceof Error ? errors.message : 'Forbindelsen ble brutt.' }];
    const error = new ApiFailure(messages, 503);
    if (error.code === 'UNAUTHENTICATED') signOut(SESSION_EXPIRED);
    else showError(error, 'Direkte oppdatering stoppet.');
  };
  live.subscribe(
    ON_CHANGE,
    {},
    {
      next: (payload) => {
        const change = payload?.data?.oppdragChanged;
        // DeadlinePassed also comes through oppdragBecameOverdue, which says it more plainly.
        if (change && change.eventType !== 'DeadlinePassed') received(change, false);
      },
      error: failed,
    },
  );
  live.subscribe(
    ON_OVERDUE,
    {},
    {
      next: (payload) => {
        const change = payload?.data?.oppdragBecameOverdue;
        if (change) received(change, true);
      },
      error: failed,
    },
  );
}

/**
 * @param {OppdragChange} change
 * @param {boolean} becameOverdue
 */
function received(change, becameOverdue) {
  const o = change.oppdrag;
  const who = o.lastChange?.actorName;
  /** @type {FeedEntry} */
  const entry = {
    at: change.recordedAt,
    eventType: change.eventType,
    becameOverdue,
    id: o.id,
    title: o.title,
    who: becameOverdue ? 'systemet' : (who ?? null),
  };
  ctx.feed = [entry, ...ctx.feed].slice(0, FEED_SIZE);
  announce(
    becameOverdue
      ? `Forfalt nå: ${o.title} (${o.id}).`
      : `${eventLabel(change.eventType)}: ${o.title} (${o.id})${who ? `, av ${who}` : ''}.`,
  );
  view?.onLiveChange?.(change, entry);
}

/**
 * The page the address names.
 * @returns {{ name: 'oppdrag', id: string } | { name: 'import' | 'mitt-rhf' | 'revisjon' | 'overview' }}
 */
function currentRoute() {
  const hash = location.hash || '#/';
  const oppdragId = /^#\/oppdrag\/([a-z0-9][a-z0-9-]{0,79})$/.exec(hash)?.[1];
  if (oppdragId) return { name: 'oppdrag', id: oppdragId };
  if (hash === '#/import') return { name: 'import' };
  if (hash === '#/mitt-rhf') return { name: 'mitt-rhf' };
  if (hash.startsWith('#/revisjon')) return { name: 'revisjon' };
  return { name: 'overview' };
}

function route() {
  // Views need the start data (today's date, the organisations): an address changed while it loads is
  // routed when it arrives (startApp calls route).
  if (!ready(ctx)) return;
  view?.unmount?.();
  view = null;
  replace(alerts);
  const target = currentRoute();
  for (const link of nav.querySelectorAll('a[data-route]')) {
    if (!(link instanceof HTMLElement)) continue;
    if (link.dataset.route === target.name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (target.name === 'oppdrag') {
    document.title = `${target.id} – Oppdragsflyt`;
    view = renderOppdrag(main, ctx, target.id);
  } else if (target.name === 'mitt-rhf') {
    document.title = 'Mitt RHF – Oppdragsflyt';
    view = renderMittRhf(main, ctx);
  } else if (target.name === 'revisjon') {
    document.title = 'Revisjonsspor – Oppdragsflyt';
    view = renderAudit(main, ctx);
  } else if (target.name === 'import') {
    document.title = 'Importer brev – Oppdragsflyt';
    view = renderImport(main, ctx);
  } else {
    document.title = 'Oversikt – Oppdragsflyt';
    view = renderOverview(main, ctx);
  }
}

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#/') || location.hash === '') route();
});

async function boot() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    renderSignIn(main, { onSignedIn: signedIn });
    return;
  }
  try {
    const me = await whoIs(token);
    ctx.token = token;
    ctx.me = me;
    await startApp();
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    // A token the API no longer accepts (expired, or signed before a restart with a new key) is an
    // expired session: say so, and nothing more technical.
    const expired = error instanceof ApiFailure && error.code === 'UNAUTHENTICATED';
    renderSignIn(main, { onSignedIn: signedIn, notice: expired ? SESSION_EXPIRED : undefined });
    if (!expired) replace(alerts, errorMessage(error, 'Kunne ikke sjekke innloggingen.'));
  }
}

void boot();
