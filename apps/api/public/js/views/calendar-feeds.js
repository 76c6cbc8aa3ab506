// @ts-check
// "Abonner i kalender": the signed-in user's calendar feeds. An RHF user subscribes to its own parts; a
// coordinator to every RHF's or one RHF's. The address is shown once, when it is made; the list shows
// each feed with a button to revoke it.

import { field, h, replace, select, uid } from '../dom.js';
import { formatInstant } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { CALENDAR_FEEDS, CREATE_CALENDAR_FEED, REVOKE_CALENDAR_FEED } from '../queries.js';

/** @import { Context, Feed } from '../types.js' */

/** Whether the user may subscribe at all (the API refuses auditors). @param {Context} ctx */
export const maySubscribe = (ctx) => ['RHF', 'COORDINATOR'].includes(String(ctx.me.role).toUpperCase());

/** @param {Feed} feed */
const feedName = (feed) => (feed.rhf ? `Frister for ${feed.rhf.shortName}` : 'Frister for alle RHF-er');

/**
 * For a coordinator, which RHF's deadlines the link gives (or all); nothing for an RHF user, whose link
 * gives its own.
 * @param {Context} ctx
 */
function scopeSelect(ctx) {
  if (String(ctx.me.role).toUpperCase() !== 'COORDINATOR') return null;
  return select(
    'rhf',
    [
      { value: '', label: 'Alle RHF-er' },
      ...ctx.organisations.filter((o) => o.kind === 'rhf').map((o) => ({ value: o.id, label: o.shortName })),
    ],
    '',
  );
}

/**
 * What the panel offers, in words.
 * @param {Context} ctx
 */
function introOf(ctx) {
  return h(
    'p',
    { class: 'panel__hint' },
    String(ctx.me.role).toUpperCase() === 'COORDINATOR'
      ? 'Få fristene og delleveransene til alle RHF-er, eller ett RHF, inn i kalenderen din (Outlook, Google, Apple). '
      : `Få fristene og delleveransene for ${ctx.me.organisation?.shortName ?? 'ditt RHF'} sine deler inn i kalenderen din (Outlook, Google, Apple). `,
    'Lenken er personlig: den som har den, kan lese kalenderen. Trekk den tilbake hvis den kommer på avveie.',
  );
}

/**
 * A new feed's address, shown once: to copy, or to open in a calendar program.
 * @param {Feed & { path: string }} feed
 * @param {(text: string) => void} announce
 */
function feedLinkOf(feed, announce) {
  const url = `${location.origin}${feed.path}`;
  const input = h('input', { type: 'text', readonly: true, value: url, 'data-testid': 'feed-url' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'button button--quiet',
      onClick: async () => {
        try {
          await navigator.clipboard.writeText(url);
          announce('Lenken er kopiert.');
        } catch {
          input.select();
          announce('Merk lenken og kopier den selv.');
        }
      },
    },
    'Kopier lenke',
  );
  return [
    h(
      'p',
      null,
      h('strong', null, `${feedName(feed)}: `),
      'lim inn lenken som kalenderabonnement. Den vises bare nå.',
    ),
    h(
      'div',
      { class: 'feed-link' },
      field('Kalenderlenke', input).wrap,
      copy,
      h(
        'a',
        { href: url.replace(/^https?:/, 'webcal:'), class: 'button button--quiet' },
        'Åpne i kalenderprogram',
      ),
    ),
  ];
}

/**
 * The user's feeds, each with a button that revokes it (or when it was revoked).
 * @param {Feed[]} feeds
 * @param {(feed: Feed) => void} onRevoke
 */
function feedItemsOf(feeds, onRevoke) {
  if (feeds.length === 0) return h('li', { class: 'empty' }, 'Du har ingen kalenderlenker ennå.');
  return feeds.map((feed) =>
    h(
      'li',
      { dataset: { feed: feed.feedId } },
      h('span', null, feedName(feed)),
      h('span', { class: 'sub' }, `laget ${formatInstant(feed.createdAt)}`),
      feed.revokedAt
        ? h('span', { class: 'badge' }, `trukket tilbake ${formatInstant(feed.revokedAt)}`)
        : h(
            'button',
            { type: 'button', class: 'button button--quiet', onClick: () => onRevoke(feed) },
            'Trekk tilbake',
          ),
    ),
  );
}

/**
 * The panel, or null for a user who cannot subscribe.
 * @param {Context} ctx
 * @returns {HTMLElement | null}
 */
export function calendarFeedsPanel(ctx) {
  if (!maySubscribe(ctx)) return null;
  const headingId = uid('h');
  const result = h('div', { 'data-testid': 'feed-result', 'aria-live': 'polite' });
  const list = h('ul', { class: 'feed-list', 'data-testid': 'feed-list' });
  const errors = h('div', { role: 'alert' });
  const scope = scopeSelect(ctx);
  const button = h('button', { type: 'submit', class: 'button' }, 'Lag kalenderlenke');
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Lag kalenderlenke',
      onSubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        void create();
      },
    },
    scope ? field('Hvilke frister', scope).wrap : null,
    h('div', { class: 'form-actions' }, button),
  );

  async function load() {
    try {
      const data = await gql(CALENDAR_FEEDS);
      replace(
        list,
        feedItemsOf(data.calendarFeeds, (feed) => void revoke(feed)),
      );
    } catch (error) {
      replace(errors, errorMessage(error, 'Kunne ikke hente kalenderlenkene.'));
    }
  }

  async function create() {
    button.disabled = true;
    replace(errors);
    try {
      const data = await gql(CREATE_CALENDAR_FEED, { rhf: scope ? scope.value || null : null });
      const feed = data.createCalendarFeed;
      if (feed.path) replace(result, feedLinkOf({ ...feed, path: feed.path }, ctx.announce));
      ctx.announce('Kalenderlenken er laget.');
      await load();
    } catch (error) {
      replace(errors, errorMessage(error, 'Kunne ikke lage kalenderlenken.'));
    } finally {
      button.disabled = false;
    }
  }

  /** @param {Feed} feed */
  async function revoke(feed) {
    replace(errors);
    try {
      await gql(REVOKE_CALENDAR_FEED, { feedId: feed.feedId });
      replace(result);
      ctx.announce('Kalenderlenken er trukket tilbake. Den virker ikke lenger.');
      await load();
    } catch (error) {
      replace(errors, errorMessage(error, 'Kunne ikke trekke tilbake kalenderlenken.'));
    }
  }

  void load();
  return h(
    'section',
    { class: 'panel', id: 'calendar-feeds', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Abonner i kalender'),
    introOf(ctx),
    form,
    errors,
    result,
    h('h3', null, 'Dine kalenderlenker'),
    list,
  );
}
