import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  CALENDAR_FEED_STREAM_PREFIX,
  decideCalendarFeed,
  decodeCalendarFeedEvent,
  DomainError,
  evolveCalendarFeeds,
  type Actor,
  type CalendarFeedCommand,
  type CalendarFeedsState,
  type CalendarFeedState,
  type FeedScope,
} from '#domain';
import { WrongExpectedRevisionError, type EventStore } from '#event-store';
import type { Clock } from './clock.js';
import { eventIdFor } from './ids.js';

/** A feed as its owner sees it in a list: never its secret. */
export interface CalendarFeedInfo {
  readonly feedId: string;
  readonly scope: FeedScope;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** A feed just made: the only moment its token is known outside the feed's address. */
export interface CreatedCalendarFeed extends CalendarFeedInfo {
  /** The secret part of the feed's address. Shown once; only its hash is stored. */
  readonly token: string;
}

/**
 * The token in a feed's address: the owner's stream key, the feed id and 32 random bytes, as hex. The
 * first two say where to look; the secret is compared with the stored hash in constant time.
 */
const TOKEN = /^([0-9a-f]{32})\.([0-9a-f]{16})\.([0-9a-f]{64})$/;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A user's stream key: a hash of the user id, since ids may hold characters a stream id may not. */
export const feedStreamKey = (userId: string): string => sha256(`kalender:${userId}`).slice(0, 32);
const streamOf = (key: string): string => `${CALENDAR_FEED_STREAM_PREFIX}${key}`;

/** Whether text has the shape of a feed token (for redaction and quick refusals). */
export const looksLikeFeedToken = (text: string): boolean => TOKEN.test(text);

interface LoadedFeeds {
  readonly feeds: CalendarFeedsState;
  readonly revision: number | 'no_stream';
  readonly times: ReadonlyMap<string, { createdAt: string; revokedAt: string | null }>;
}

/**
 * Creates, lists, revokes and checks calendar feeds, each user's in a stream of their own. Every change is
 * an event with its actor, command id and time, like a change to an oppdrag.
 */
export class CalendarFeeds {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /** Makes a feed for the asking user; a coordinator may name one RHF (all four otherwise). */
  async create(actor: Actor, scope: FeedScope | null, correlationId?: string): Promise<CreatedCalendarFeed> {
    const feedId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('hex');
    const key = feedStreamKey(actor.userId);
    await this.handle(
      actor,
      { type: 'CreateCalendarFeed', data: { feedId, tokenHash: sha256(secret), scope } },
      correlationId,
    );
    const made = (await this.list(actor)).find((f) => f.feedId === feedId);
    if (!made) throw new Error(`calendar feed ${feedId} was written but cannot be read back`);
    return { ...made, token: `${key}.${feedId}.${secret}` };
  }

  /** Revokes one of the asking user's feeds: its address stops working at once. */
  async revoke(actor: Actor, feedId: string, correlationId?: string): Promise<CalendarFeedInfo> {
    await this.handle(actor, { type: 'RevokeCalendarFeed', data: { feedId } }, correlationId);
    const feed = (await this.list(actor)).find((f) => f.feedId === feedId);
    if (!feed) throw new Error(`calendar feed ${feedId} was revoked but cannot be read back`);
    return feed;
  }

  /** The asking user's feeds, newest first. */
  async list(actor: Actor): Promise<CalendarFeedInfo[]> {
    const { feeds, times } = await this.load(feedStreamKey(actor.userId));
    return feeds
      .map((f) => ({
        feedId: f.feedId,
        scope: f.scope,
        createdAt: times.get(f.feedId)?.createdAt ?? '',
        revokedAt: times.get(f.feedId)?.revokedAt ?? null,
      }))
      .reverse();
  }

  /** The feed a token opens, or null when it opens none (unknown, wrong secret, or revoked). */
  async verify(token: string): Promise<CalendarFeedState | null> {
    const match = TOKEN.exec(token);
    if (!match) return null;
    const [, key, feedId, secret] = match as unknown as [string, string, string, string];
    const { feeds } = await this.load(key);
    const feed = feeds.find((f) => f.feedId === feedId);
    if (!feed || feed.revoked) return null;
    const given = Buffer.from(sha256(secret), 'hex');
    const stored = Buffer.from(feed.tokenHash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored) ? feed : null;
  }

  private async load(key: string): Promise<LoadedFeeds> {
    const recorded = await this.store.readStream(streamOf(key));
    let feeds: CalendarFeedsState = [];
    const times = new Map<string, { createdAt: string; revokedAt: string | null }>();
    for (const r of recorded) {
      const event = decodeCalendarFeedEvent(r.type, r.data);
      feeds = evolveCalendarFeeds(feeds, event);
      if (event.type === 'CalendarFeedCreated')
        times.set(event.data.feedId, { createdAt: r.recordedAt, revokedAt: null });
      else {
        const known = times.get(event.data.feedId);
        if (known) known.revokedAt = r.recordedAt;
      }
    }
    const last = recorded[recorded.length - 1];
    return { feeds, revision: last ? last.revision : 'no_stream', times };
  }

  private async handle(actor: Actor, command: CalendarFeedCommand, correlationId?: string): Promise<void> {
    const key = feedStreamKey(actor.userId);
    const commandId = randomUUID();
    // Two changes to one user's feeds at once: the second reads again and decides again.
    for (let attempt = 1; ; attempt++) {
      const { feeds, revision } = await this.load(key);
      const events = decideCalendarFeed(command, feeds, actor);
      const now = this.clock.now();
      try {
        await this.store.appendToStream(
          streamOf(key),
          events.map((event, i) => ({
            id: eventIdFor(commandId, i),
            type: event.type,
            data: event.data,
            metadata: {
              recordedAt: now,
              actor,
              commandId,
              commandType: command.type,
              correlationId: correlationId ?? commandId,
              causationId: commandId,
            },
          })),
          { expectedRevision: revision },
        );
        return;
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < 3) continue;
        if (error instanceof WrongExpectedRevisionError)
          throw new DomainError('CONFLICT', 'your calendar feeds changed meanwhile; try again');
        throw error;
      }
    }
  }
}
