/**
 * The event store port. Two adapters implement it: the embedded SQLite store (the default) and the
 * KurrentDB / EventStoreDB store (production). One contract suite (`../test/contract.ts`) runs against both.
 */

/**
 * A place in the global order of all events. KurrentDB positions have a commit and a prepare part; the
 * embedded store uses its sequence number for both. Compare with {@link comparePositions}.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/**
 * What the writer read before deciding: the revision of the stream's last event (0-based), `no_stream`
 * when it read nothing, or `any` to skip the check (only for writes that cannot conflict).
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface EventMetadata {
  /** When the server recorded the event (ISO instant from the server clock). */
  readonly recordedAt: string;
  readonly [key: string]: unknown;
}

export interface EventToAppend {
  /**
   * A UUID, unique within its stream. Derive it from the command id so that a retried command appends
   * nothing new (see {@link EventStore.appendToStream}).
   */
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: Position;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

export interface AppendResult {
  /** The revision of the stream's last event after the append: pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** The global position of the last appended event. */
  readonly position: Position;
  /**
   * True when the stream already held these events (a retry, or the same append racing itself): nothing
   * was written by this call, and the answer is that of the append that wrote them.
   */
  readonly repeated?: boolean;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive); default 0. */
  readonly fromRevision?: number;
  /** Last revision to read (inclusive). */
  readonly toRevision?: number;
  /** Only events recorded at or before this ISO instant. */
  readonly toInstant?: string;
  /** At most this many events; default and ceiling {@link MAX_READ_COUNT}. */
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events after this position (exclusive); from the very start when absent. */
  readonly after?: Position | null;
  /** At most this many events; default 1,000, ceiling {@link MAX_READ_COUNT}. */
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** The checkpoint: deliver events after this position (exclusive), or from the start when null. */
  readonly after: Position | null;
  /**
   * Receives events in global order, in batches. The next batch is not delivered before the returned
   * promise settles, so a handler that stores its checkpoint with its writes never skips or repeats.
   */
  readonly handle: (events: readonly RecordedEvent[]) => void | Promise<void>;
  /**
   * Called once if the subscription stops for good: on an error that subscribing again cannot mend (a
   * handler's error, data the store cannot read, a refusal), when the checkpoint is beyond the store's
   * last event ({@link CheckpointBeyondHeadError}, checked each time it subscribes), or when a store
   * that resubscribes has not managed to within its give-up time.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Called each time the store lost the subscription (a server restart, a leader change, a reset
   * connection) and will subscribe again from the last position delivered, after a capped, jittered
   * delay. The next `onCaughtUp` says it is back. A store whose subscriptions cannot drop never calls it.
   */
  readonly onRetry?: (retry: SubscriptionRetry) => void;
  /** Called each time the subscription has delivered everything stored so far. */
  readonly onCaughtUp?: (position: Position | null) => void;
  readonly batchSize?: number;
}

export interface SubscriptionRetry {
  /** 1 for the first attempt after a drop; counts up until a subscription delivers or catches up. */
  readonly attempt: number;
  readonly delayMs: number;
  /** Why the subscription was lost, as a port error. */
  readonly error: Error;
  /** The position it will resume after. */
  readonly after: Position | null;
}

export interface Subscription {
  /** Stops delivering; resolves once the batch in flight, if any, has been handled. */
  stop(): Promise<void>;
}

/** Whether a store's appends are being stored; shown by the API's health endpoints. */
export interface StoreHealth {
  /**
   * `ok`: appends are stored. `failing`: the last commit failed and the store tries again with the next
   * append. `failed`: the store cannot recover by itself; restart the process.
   */
  readonly writes: 'ok' | 'failing' | 'failed';
  /** What went wrong, when not ok. */
  readonly reason?: string;
  /** Since when appends have been failing (ISO instant). */
  readonly since?: string;
}

export interface EventStore {
  /**
   * Appends events to a stream if it is at the expected revision, all or nothing.
   *
   * Idempotency, the same in every adapter. Event ids are unique within a stream; the same id in another
   * stream is another event. An append whose events are all stored in this stream already, one after the
   * other and in this order, is a retry: it writes nothing and answers as the first time did (the same
   * revision and position), whatever revision it expects (the one the first attempt expected, the head
   * it has reached since, `no_stream` or `any`) and however long ago, restarts included. An append that
   * shares only some of its ids with what the stream holds, or holds them in another order, is refused
   * with VALIDATION and writes nothing. Otherwise a stream not at the expected revision is a CONFLICT.
   */
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** The stream's events in order; an empty list when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The product's events in global order (never the store's own system events). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** A catch-up subscription: reads from the checkpoint, then switches to live events. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** The position of the last event in the store, or null when it is empty. */
  headPosition(): Promise<Position | null>;
  /**
   * Optional, for stores that can do it cheaply: every event up to `upTo` (inclusive), one stream after
   * another, each stream's events in revision order, so that a consumer rebuilding from zero finishes
   * one stream before the next and never needs to hold many at once. See {@link ScanByStreamOptions}.
   */
  scanByStream?(options: ScanByStreamOptions): Promise<void>;
  /**
   * Optional, with {@link scanByStream}: stream ids that cut the events up to `upTo` into about `parts`
   * runs of whole streams of about the same number of events, in ascending order and distinct (fewer
   * when there are fewer streams), for scans of {@link ScanByStreamOptions.streams} side by side.
   */
  splitStreams?(upTo: Position, parts: number): Promise<string[]>;
  /**
   * The file another connection (on another thread) may open to read this store, or undefined when there
   * is none (a store in memory, or a server).
   */
  readonly file?: string;
  close(): Promise<void>;
  /** Whether appends are being stored, for a store that can tell (the embedded store). */
  health?(): StoreHealth;
}

/** An event a store cannot decode, as its `UnreadableEventError` describes it. */
export interface UnreadableEvent extends Error {
  readonly event: Pick<RecordedEvent, 'id' | 'streamId' | 'type' | 'position'>;
  readonly reason: string;
}

export interface ScanByStreamOptions {
  /** The last position to include (the head read before the scan). */
  readonly upTo: Position;
  readonly batchSize?: number;
  /**
   * Receives the events in batches (a stream may go on into the next batch); the next batch is read
   * after the returned promise settles. Events the store cannot decode are left out of the batch and
   * given to `onUnreadable` first.
   */
  readonly handle: (events: readonly RecordedEvent[]) => void | Promise<void>;
  readonly onUnreadable: (error: UnreadableEvent) => void;
  /** Asked before each batch: true stops the scan (its promise then resolves). */
  readonly stopped?: () => boolean;
  /** Only the streams whose ids are at least `from` and, when given, less than `before` (see splitStreams). */
  readonly streams?: StreamRange;
}

/** A run of streams by id (compared as the store orders them): from `from` on, up to but not `before`. */
export interface StreamRange {
  readonly from: string;
  readonly before?: string;
}

export const MAX_READ_COUNT = 100_000;
/** The largest payload (data and metadata as JSON) one event may have. */
export const MAX_EVENT_BYTES = 256 * 1024;
/** The most events one append may carry. */
export const MAX_EVENTS_PER_APPEND = 1_000;

export const START: Position | null = null;

export function comparePositions(a: Position | null, b: Position | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** A position as text, for checkpoints and cursors: `commit/prepare`. */
export function formatPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): Position {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a position (commit/prepare)`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}
