import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { InvalidAppendError } from '../errors.js';
import { MAX_READ_COUNT, type Position } from '../port.js';

/** The part of the client this adapter uses: inject an object with these methods to test without a server. */
export type KurrentDbClient = Pick<
  KurrentDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface CommonOptions {
  /**
   * The stream name prefixes this store serves, from the product's configuration. `readAll`,
   * `subscribeToAll` and `headPosition` see only streams that start with one of them, and `appendToStream`
   * refuses any other stream, so that nothing is written that the store would not read back. A KurrentDB
   * database holds system streams and may hold other products' streams too.
   */
  readonly streamPrefixes: readonly string[];
  /** How a dropped subscription is resumed; see {@link DEFAULT_RESUBSCRIBE}. */
  readonly resubscribe?: Partial<ResubscribeSettings>;
  /**
   * The longest the adapter waits for the server to answer, in milliseconds; default
   * {@link DEFAULT_DEADLINE_MS}. It bounds an append (the whole call), each answer of a read (the first
   * events, every further batch, the end) and a subscription's confirmation; a call past it fails with
   * UNAVAILABLE. Waiting for new events on a live subscription is not bounded.
   */
  readonly deadlineMs?: number;
}

/** How a subscription the server dropped is resumed. */
export interface ResubscribeSettings {
  /** The delay before the first attempt (before jitter); default 250 ms. */
  readonly firstDelayMs: number;
  /** The cap on the delay, which doubles with each failed attempt; default 15 s. */
  readonly maxDelayMs: number;
  /**
   * Stop trying (and call onError) when no attempt has worked for this long; default 5 minutes. A
   * subscriber that cannot go on should then be restarted (the API's liveness check fails).
   */
  readonly giveUpAfterMs: number;
}

export const DEFAULT_RESUBSCRIBE: ResubscribeSettings = {
  firstDelayMs: 250,
  maxDelayMs: 15_000,
  giveUpAfterMs: 5 * 60_000,
};

export interface KurrentDbConnectionOptions extends CommonOptions {
  /**
   * As the client takes it: `kurrentdb://host:2113?tls=false` for one node; for a cluster, its nodes as
   * gossip seeds (`kurrentdb://node1:2113,node2:2113,node3:2113`), or one DNS name whose records list them
   * (`kurrentdb+discover://cluster.example:2113`). The client discovers through the first host only when
   * `+discover` is given several.
   */
  readonly connectionString: string;
}

export interface KurrentDbClientOptions extends CommonOptions {
  readonly client: KurrentDbClient;
  /** Whether `close()` disposes the client; default true. Pass false when the client is shared. */
  readonly ownsClient?: boolean;
}

export type KurrentDbEventStoreOptions = KurrentDbConnectionOptions | KurrentDbClientOptions;

/** A count a caller may ask for (`maxCount`, `batchSize`): a whole number from 1, capped at the port's limit. */
export function boundedCount(field: string, requested: number | undefined, fallback: number): number {
  if (requested === undefined) return fallback;
  if (!Number.isInteger(requested) || requested < 1)
    throw new InvalidAppendError(field, 'must be a whole number from 1');
  return Math.min(requested, MAX_READ_COUNT);
}

export function revisionOption(field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidAppendError(field, 'must be a revision (a whole number from 0)');
  return value;
}

export function instantOption(text: string): number {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new InvalidAppendError('toInstant', `"${String(text)}" is not an ISO instant`);
  return ms;
}

export function positionOption(position: Position | null): Position | null {
  if (position === null) return null;
  if (
    typeof position !== 'object' ||
    typeof position.commit !== 'bigint' ||
    typeof position.prepare !== 'bigint' ||
    position.commit < 0n ||
    position.prepare < 0n
  ) {
    throw new InvalidAppendError('after', 'must be a position with bigint commit and prepare parts');
  }
  return { commit: position.commit, prepare: position.prepare };
}
