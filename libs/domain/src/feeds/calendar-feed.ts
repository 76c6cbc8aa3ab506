import type { Actor } from '../actor.js';
import { forbidden, invalidTransition, notFound, validation } from '../errors.js';
import { isRhfId } from '../organisations.js';
import { isCoordinator } from '../oppdrag/decider.js';

/**
 * Calendar feeds: a user's subscriptions of their calendar to deadlines and milestones. Calendar clients
 * cannot send a bearer token, so a feed is read with a secret in its address; only a hash of that secret
 * is recorded. Each user's feeds are one stream, `kalender-<user key>`, so that creating and revoking a
 * feed are events with their actor like any other action, and the user's own feeds are read in one go.
 */

/** What a feed shows: every RHF's parts (coordinators), or one RHF's. */
export type FeedScope = { readonly kind: 'all' } | { readonly kind: 'rhf'; readonly rhf: string };

export type CalendarFeedEvent =
  | {
      readonly type: 'CalendarFeedCreated';
      readonly data: {
        readonly schemaVersion: 1;
        readonly feedId: string;
        /** SHA-256 (hex) of the feed's secret: the secret itself is never stored. */
        readonly tokenHash: string;
        readonly scope: FeedScope;
        readonly owner: Actor;
      };
    }
  | {
      readonly type: 'CalendarFeedRevoked';
      readonly data: { readonly schemaVersion: 1; readonly feedId: string };
    };

export type CalendarFeedCommand =
  | {
      readonly type: 'CreateCalendarFeed';
      readonly data: {
        readonly feedId: string;
        readonly tokenHash: string;
        readonly scope: FeedScope | null;
      };
    }
  | { readonly type: 'RevokeCalendarFeed'; readonly data: { readonly feedId: string } };

export interface CalendarFeedState {
  readonly feedId: string;
  readonly tokenHash: string;
  readonly scope: FeedScope;
  readonly owner: Actor;
  readonly revoked: boolean;
}

/** A user's feeds, in the order they were made. */
export type CalendarFeedsState = readonly CalendarFeedState[];

/** The most feeds one user may have open at once. */
export const MAX_OPEN_FEEDS = 20;

export const CALENDAR_FEED_CATEGORY = 'kalender';
export const CALENDAR_FEED_STREAM_PREFIX = `${CALENDAR_FEED_CATEGORY}-`;
export const CALENDAR_FEED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'CalendarFeedCreated',
  'CalendarFeedRevoked',
]);

const FEED_ID = /^[0-9a-f]{16}$/;
const HASH = /^[0-9a-f]{64}$/;

/** The scope a user gets: an RHF user always its own RHF; a coordinator what it asked for (all by default). */
function scopeFor(actor: Actor, asked: FeedScope | null): FeedScope {
  if (actor.role === 'rhf') {
    if (!isRhfId(actor.organisationId))
      throw forbidden(`rule "an RHF user subscribes to its own RHF": ${actor.organisationId} is not an RHF`);
    if (asked && !(asked.kind === 'rhf' && asked.rhf === actor.organisationId))
      throw forbidden(
        `rule "an RHF user subscribes to its own RHF's parts only": ${actor.name} is in ${actor.organisationId}`,
      );
    return { kind: 'rhf', rhf: actor.organisationId };
  }
  if (actor.role === 'coordinator' && isCoordinator(actor)) {
    if (asked?.kind === 'rhf' && !isRhfId(asked.rhf))
      throw validation('rhf', `${asked.rhf} is not one of the four RHFs`);
    return asked ?? { kind: 'all' };
  }
  throw forbidden(
    `rule "only rhf or coordinator users subscribe to calendar feeds": ${actor.name} is ${actor.role}`,
  );
}

/** Decides a feed command against the asking user's own feeds. */
export function decideCalendarFeed(
  command: CalendarFeedCommand,
  feeds: CalendarFeedsState,
  actor: Actor,
): CalendarFeedEvent[] {
  switch (command.type) {
    case 'CreateCalendarFeed': {
      const scope = scopeFor(actor, command.data.scope);
      if (!FEED_ID.test(command.data.feedId)) throw validation('feedId', 'must be 16 hex digits');
      if (!HASH.test(command.data.tokenHash)) throw validation('tokenHash', 'must be a SHA-256 hex digest');
      if (feeds.some((f) => f.feedId === command.data.feedId))
        throw validation('feedId', `${command.data.feedId} is taken`);
      if (feeds.filter((f) => !f.revoked).length >= MAX_OPEN_FEEDS)
        throw validation('feeds', `at most ${MAX_OPEN_FEEDS} open calendar feeds per user: revoke one first`);
      return [
        {
          type: 'CalendarFeedCreated',
          data: {
            schemaVersion: 1,
            feedId: command.data.feedId,
            tokenHash: command.data.tokenHash,
            scope,
            owner: actor,
          },
        },
      ];
    }
    case 'RevokeCalendarFeed': {
      const feed = feeds.find((f) => f.feedId === command.data.feedId);
      if (!feed) throw notFound(`you have no calendar feed ${command.data.feedId}`);
      if (feed.revoked) throw invalidTransition(`calendar feed ${feed.feedId} is revoked already`);
      return [{ type: 'CalendarFeedRevoked', data: { schemaVersion: 1, feedId: feed.feedId } }];
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${String((never as { type?: unknown }).type)}`);
    }
  }
}

/** Folds one feed event into a user's feeds. */
export function evolveCalendarFeeds(feeds: CalendarFeedsState, event: CalendarFeedEvent): CalendarFeedsState {
  switch (event.type) {
    case 'CalendarFeedCreated':
      return [...feeds, { ...event.data, revoked: false }];
    case 'CalendarFeedRevoked':
      return feeds.map((f) => (f.feedId === event.data.feedId ? { ...f, revoked: true } : f));
    default: {
      const never: never = event;
      throw new Error(`unknown event ${String((never as { type?: unknown }).type)}`);
    }
  }
}

/** Reads a stored feed event; throws on a type or payload this version does not know. */
export function decodeCalendarFeedEvent(type: string, data: Record<string, unknown>): CalendarFeedEvent {
  if (!CALENDAR_FEED_EVENT_TYPES.has(type) || data.schemaVersion !== 1 || typeof data.feedId !== 'string')
    throw new Error(`not a calendar feed event this version reads: ${type} v${String(data.schemaVersion)}`);
  return { type, data } as unknown as CalendarFeedEvent;
}
