import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  AccessDeniedError,
  AppendRecordSizeExceededError,
  CancelledError,
  DeadlineExceededError,
  InvalidArgumentError,
  InvalidTransactionError,
  KurrentDBClient,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  TimeoutError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  convertToCommandError,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AppendResult as ClientAppendResult,
  type AppendStreamState,
  type CurrentStreamState,
  type Direction,
  type EventData,
  type PrefixesFilter,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import {
  CheckpointBeyondHeadError,
  EventStoreError,
  InvalidAppendError,
  StoreUnavailableError,
  UnreadableEventError,
  WrongExpectedRevisionError,
} from '../errors.js';
import {
  MAX_READ_COUNT,
  comparePositions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../port.js';
import {
  reusedIdsMessage,
  serialiseAppend,
  validateExpectedRevision,
  validateStreamId,
  type SerialisedEvent,
} from '../validation.js';

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

/**
 * The default deadline: the client's own default for the calls it bounds. The client sets none on reads
 * (its Rust bridge takes no deadline) nor on a batch append's stream, whose deadline only the server is
 * told of, so the adapter keeps its own.
 */
export const DEFAULT_DEADLINE_MS = 10_000;

/** How many events a read asks for when the first page did not hold enough served events. */
const FOLLOW_UP_PAGE = 100;
/** How many times an append with `any` reads the stream again when another writer came first. */
const ANY_ATTEMPTS = 20;
/** How many events a stream read asks for at a time when it has to filter by instant or read it whole. */
const STREAM_PAGE = 1000;

/** The event shape the client yields, for every read and subscription. */
interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: { readonly commit: bigint; readonly prepare: bigint } | undefined;
}

interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent | undefined;
}

/** Raised inside a subscription when the caller's handler fails, so that its error reaches onError as it is. */
class HandlerFailure extends Error {
  constructor(readonly error: unknown) {
    super('the subscription handler failed');
  }
}

/**
 * The production event store: KurrentDB (formerly EventStoreDB) over gRPC.
 *
 * Optimistic concurrency is the server's: an append carries the expected revision as the client's
 * `streamState`, and the server refuses it when the stream is elsewhere.
 *
 * Idempotency. The port promises more than the server keeps (read in KurrentDB's
 * `IndexWriter.CheckCommit`, and kept by the tests' stand-in):
 * - with an exact expected revision below the head (a number or `no_stream`), a retry whose events sit
 *   right after that revision, in the same order, is answered as a success and writes nothing;
 * - with an expected revision equal to the head, the events are written again, duplicates and all;
 * - with `any`, a retry is recognised only from a cache of recent writes (not after a restart, nor once the
 *   ids have left the cache); one it misses is written again;
 * - a retry whose ids match only in part is refused as a wrong expected version.
 * So the adapter looks for the append's ids in the stream before it sends an exact revision, and never
 * sends `any` (it appends at the revision it read); it looks again after a wrong expected version. An
 * append the stream holds already answers as the first time; one that shares only some ids is refused.
 *
 * Subscriptions survive the server: one it drops is subscribed again from the last delivered position
 * (see {@link ResubscribeSettings}), and an append that failed on a leader change is sent once more.
 *
 * No call waits for the server for ever: appends, each answer of a read and a subscription's confirmation
 * have a deadline (`deadlineMs`), past which the call fails with UNAVAILABLE. A read past its deadline
 * cannot be cancelled through the client's Rust bridge: it is left to end by itself, and what it brings
 * is dropped. An append past its deadline may still be written; a retry with the same event ids is safe.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDbClient;
  private readonly ownsClient: boolean;
  private readonly prefixes: readonly string[];
  private readonly subscriptions = new Set<Subscription>();
  private readonly resubscribe: ResubscribeSettings;
  private readonly deadlineMs: number;
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    this.prefixes = validatePrefixes(options.streamPrefixes);
    this.resubscribe = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
    this.deadlineMs = validateDeadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    if ('client' in options) {
      this.client = options.client;
      this.ownsClient = options.ownsClient ?? true;
    } else {
      this.client = connect(options.connectionString);
      this.ownsClient = true;
    }
  }

  static fromConnectionString(connectionString: string, options: CommonOptions): KurrentDbEventStore {
    return new KurrentDbEventStore({ ...options, connectionString });
  }

  /** The stream prefixes this store serves. */
  get streamPrefixes(): readonly string[] {
    return this.prefixes;
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    const stream = this.validateServedStream(streamId);
    const expected = validateExpectedRevision(options?.expectedRevision);
    const serialised = serialiseAppend(events);
    const proposed = serialised.map((event, index) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: JSON.parse(event.data) as Record<string, unknown>,
        metadata: toStoredMetadata(JSON.parse(event.metadata) as Record<string, unknown>, index),
      }),
    );
    try {
      try {
        return await this.appendChecked(stream, serialised, proposed, expected);
      } catch (error) {
        // After a leader change (or a reset connection) the client has already picked the node to talk
        // to next, and the same event ids make a second attempt safe: it is recognised if the first
        // one was written after all.
        if (!isReconnection(error)) throw error;
        return await this.appendChecked(stream, serialised, proposed, expected);
      }
    } catch (error) {
      throw translateKurrentDbError(error, { streamId: stream, expected });
    }
  }

  /**
   * One attempt at an append that keeps the port's idempotency promise where the server does not: the
   * server recognises a retry only when its events sit right after the revision it expects (or, with
   * `any`, while their ids are in its cache of recent writes), and writes them again otherwise. So the
   * adapter looks for the ids in the stream first, and never sends `any`: it appends at the revision it
   * read instead, reading again when another writer came first.
   */
  private async appendChecked(
    stream: string,
    events: readonly SerialisedEvent[],
    proposed: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      let state: AppendStreamState = toStreamState(expected);
      if (expected !== 'no_stream') {
        const stored = await this.readWholeStream(stream);
        const previous = findAppend(stream, stored, events);
        if (previous) return previous;
        if (expected === 'any') state = stored.length === 0 ? NO_STREAM : BigInt(stored.length - 1);
      }
      let result: ClientAppendResult;
      try {
        result = await this.answer(
          `an append to ${stream}`,
          // The client bounds the call itself only when it appends through grpc-js's unary call; through a
          // batch append it tells the server the deadline but waits for its answer for ever.
          this.client.appendToStream(stream, [...proposed], {
            streamState: state,
            deadline: this.deadlineMs,
          }),
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const previous = findAppend(stream, await this.readWholeStream(stream), events);
        if (previous) return previous;
        if (expected === 'any' && attempt < ANY_ATTEMPTS) continue;
        throw error;
      }
      if (!result.success) {
        // Only a client built with throwOnAppendFailure=false answers a conflict like this.
        const previous = findAppend(stream, await this.readWholeStream(stream), events);
        if (previous) return previous;
        if (expected === 'any' && attempt < ANY_ATTEMPTS) continue;
        throw new WrongExpectedRevisionError(stream, expected, toActualRevision(result.nextExpectedRevision));
      }
      return await this.completeAppend(stream, events, result);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stream = validateStreamId(streamId);
    const from = revisionOption('fromRevision', options.fromRevision) ?? 0;
    const to = revisionOption('toRevision', options.toRevision) ?? Number.MAX_SAFE_INTEGER;
    const toInstant = options.toInstant === undefined ? null : instantOption(options.toInstant);
    const maxCount = boundedCount('maxCount', options.maxCount, MAX_READ_COUNT);
    try {
      const found: RecordedEvent[] = [];
      let next = from;
      while (found.length < maxCount && next <= to) {
        const wanted = Math.min(toInstant === null ? maxCount - found.length : STREAM_PAGE, to - next + 1);
        const page = await this.readStreamPage(stream, next, wanted);
        for (const event of page) {
          if (event.revision > to) break;
          if (toInstant !== null && Date.parse(event.recordedAt) > toInstant) continue;
          found.push(event);
          if (found.length === maxCount) break;
        }
        const last = page[page.length - 1];
        if (page.length < wanted || last === undefined) break;
        next = last.revision + 1;
      }
      return found;
    } catch (error) {
      throw translateKurrentDbError(error, { streamId: stream });
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = positionOption(options.after ?? null);
    const maxCount = boundedCount('maxCount', options.maxCount, 1000);
    try {
      const found: RecordedEvent[] = [];
      // The client's fromPosition is inclusive: ask for one more, the event at `after` is dropped.
      const firstPage = after === null ? maxCount : maxCount + 1;
      for await (const event of this.scanAll(FORWARDS, after, firstPage)) {
        try {
          found.push(this.toRecorded(event));
        } catch (error) {
          // An event that cannot be decoded ends the answer before it, and is raised when it comes first.
          if (error instanceof UnreadableEventError && found.length > 0) break;
          throw error;
        }
        if (found.length === maxCount) break;
      }
      return found;
    } catch (error) {
      throw translateKurrentDbError(error);
    }
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    try {
      return await this.readHead();
    } catch (error) {
      throw translateKurrentDbError(error);
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const batchSize = boundedCount('batchSize', options.batchSize, 5000);
    const after = positionOption(options.after);
    const settings = this.resubscribe;
    let stopped = false;
    /** Wakes whatever the subscription waits for (the next event, or the delay before resubscribing). */
    let wake: (() => void) | null = null;
    const poke = (): void => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const state = { checkpoint: after, attempt: 0, failingSince: null as number | null };

    const run = async (): Promise<void> => {
      while (!stopped) {
        try {
          await this.follow(state, options, batchSize, {
            stopped: () => stopped,
            sleep: (resolve) => {
              wake = resolve;
            },
          });
          return;
        } catch (error) {
          if (stopped) return;
          if (error instanceof HandlerFailure) throw error;
          const failure = translateKurrentDbError(error);
          if (!(failure instanceof StoreUnavailableError)) throw failure;
          state.attempt += 1;
          state.failingSince ??= Date.now();
          const failingFor = Date.now() - state.failingSince;
          if (failingFor >= settings.giveUpAfterMs) {
            throw new StoreUnavailableError(
              `the subscription could not be resumed for ${failingFor} ms (${state.attempt - 1} attempts): ${failure.message}`,
              { cause: failure },
            );
          }
          const delayMs = backoff(state.attempt, settings);
          options.onRetry?.({ attempt: state.attempt, delayMs, error: failure, after: state.checkpoint });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delayMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    };

    const running = run()
      .catch((error: unknown) => {
        if (stopped) return;
        stopped = true;
        options.onError?.(error instanceof HandlerFailure ? error.error : translateKurrentDbError(error));
      })
      .finally(() => this.subscriptions.delete(subscription));

    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        poke();
        await running;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * One subscription of the client, from the checkpoint, until it fails or the caller stops: delivers
   * batches, moves the checkpoint, reports catching up. Throws what ended it.
   */
  private async follow(
    state: { checkpoint: Position | null; attempt: number; failingSince: number | null },
    options: SubscribeOptions,
    batchSize: number,
    control: { readonly stopped: () => boolean; readonly sleep: (resolve: () => void) => void },
  ): Promise<void> {
    // Checked each time, since a store can be restored under a running subscriber too. It also tells
    // when a server that never sends caughtUp (before caught-up messages existed) is caught up: once the
    // subscription has delivered the head the store had when it started.
    const head = await this.readHead();
    if (state.checkpoint !== null && comparePositions(state.checkpoint, head) > 0) {
      throw new CheckpointBeyondHeadError(state.checkpoint, head);
    }
    const from = state.checkpoint;
    const source = this.client.subscribeToAll(
      { fromPosition: from === null ? START : { ...from }, filter: this.filter(), resolveLinkTos: false },
      { highWaterMark: batchSize },
    );
    let ended = false;
    // Set by the listeners below, which TypeScript does not follow into.
    let failure = null as { error: unknown } | null;
    let serverCaughtUp = false;
    /** Whether the server has answered the subscription at all: its confirmation, an event or caught-up. */
    let confirmed = false;
    let wake: (() => void) | null = null;
    const poke = (): void => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const setUp = setTimeout(() => {
      if (confirmed) return;
      failure ??= { error: this.deadlinePassed('a subscription') };
      poke();
    }, this.deadlineMs);
    const listeners = {
      confirmation: (): void => {
        confirmed = true;
      },
      readable: (): void => {
        confirmed = true;
        poke();
      },
      caughtUp: (): void => {
        confirmed = true;
        serverCaughtUp = true;
        poke();
      },
      error: (error: Error): void => {
        failure ??= { error };
        poke();
      },
      end: (): void => {
        ended = true;
        poke();
      },
    };
    source.on('confirmation', listeners.confirmation);
    source.on('readable', listeners.readable);
    source.on('caughtUp', listeners.caughtUp);
    source.on('error', listeners.error);
    source.on('end', listeners.end);
    source.on('close', listeners.end);
    /** The subscription works again: a later drop starts the back-off afresh. */
    const working = (): void => {
      state.attempt = 0;
      state.failingSince = null;
    };
    try {
      let reported = false;
      while (!control.stopped()) {
        if (failure) throw failure.error;
        const batch: RecordedEvent[] = [];
        let unreadable: UnreadableEventError | null = null;
        while (batch.length < batchSize) {
          const item = source.read() as ClientResolvedEvent | null;
          if (item === null) break;
          const event = item.event;
          if (!event || !this.serves(event)) continue;
          let recorded: RecordedEvent;
          try {
            recorded = this.toRecorded(event);
          } catch (error) {
            // Deliver everything before an event that cannot be decoded, then raise it: the subscriber
            // may skip exactly that one and resume after it (see UnreadableEventError).
            if (!(error instanceof UnreadableEventError)) throw error;
            unreadable = error;
            break;
          }
          const last = batch[batch.length - 1]?.position ?? state.checkpoint;
          // Never deliver anything at or before the checkpoint, whatever the server's start semantics.
          if (last !== null && comparePositions(recorded.position, last) <= 0) continue;
          batch.push(recorded);
        }
        if (batch.length > 0) {
          reported = false;
          working();
          try {
            await options.handle(batch);
          } catch (error) {
            throw new HandlerFailure(error);
          }
          state.checkpoint = (batch[batch.length - 1] as RecordedEvent).position;
          if (unreadable) throw unreadable;
          continue;
        }
        if (unreadable) throw unreadable;
        if (!reported && (serverCaughtUp || head === null || comparePositions(state.checkpoint, head) >= 0)) {
          reported = true;
          working();
          options.onCaughtUp?.(state.checkpoint);
          continue;
        }
        if (ended) throw new StoreUnavailableError('KurrentDB ended the subscription');
        await new Promise<void>((resolve) => {
          wake = resolve;
          // The caller's stop wakes this wait too.
          control.sleep(() => {
            poke();
          });
        });
      }
    } finally {
      clearTimeout(setUp);
      source.off('confirmation', listeners.confirmation);
      source.off('readable', listeners.readable);
      source.off('caughtUp', listeners.caughtUp);
      source.off('error', listeners.error);
      source.off('end', listeners.end);
      source.off('close', listeners.end);
      // A late error from the cancelled call must not go unhandled.
      source.on('error', () => undefined);
      try {
        await source.unsubscribe();
      } catch {
        // The call never started or is gone already: nothing to cancel.
      }
      source.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsClient) await this.client.dispose();
  }

  /** Reads up to `count` events of a stream from a revision; a stream that does not exist has none. */
  private async readStreamPage(
    stream: string,
    fromRevision: number,
    count: number,
  ): Promise<RecordedEvent[]> {
    const page: RecordedEvent[] = [];
    try {
      const events = this.client.readStream(stream, {
        direction: FORWARDS,
        fromRevision: BigInt(fromRevision),
        maxCount: count,
        resolveLinkTos: false,
      });
      for await (const resolved of this.bounded(`a read of ${stream}`, events)) {
        if (resolved.event) page.push(this.toRecorded(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return page;
  }

  /**
   * The served events of $all strictly beyond `from` in `direction`, paging as needed. The server filters
   * by prefix; the adapter filters again, and drops the event at `from` (the client's start is inclusive).
   */
  private async *scanAll(
    direction: Direction,
    from: Position | null,
    firstPage: number,
  ): AsyncGenerator<ClientRecordedEvent, void, undefined> {
    let boundary = from;
    let pageSize = firstPage;
    for (;;) {
      const start: ReadPosition =
        boundary === null ? (direction === FORWARDS ? START : END) : { ...boundary };
      const page = this.client.readAll({
        direction,
        fromPosition: start,
        maxCount: pageSize,
        filter: this.filter(),
        resolveLinkTos: false,
      });
      let read = 0;
      let last: Position | null = null;
      for await (const resolved of this.bounded('a read of $all', page)) {
        read += 1;
        const event = resolved.event as ClientRecordedEvent | undefined;
        const position = event?.position;
        if (!event || !position) continue;
        last = position;
        if (boundary !== null) {
          const order = comparePositions(position, boundary);
          if (direction === FORWARDS ? order <= 0 : order >= 0) continue;
        }
        if (this.serves(event)) yield event;
      }
      if (read < pageSize || last === null) return;
      boundary = last;
      pageSize = Math.max(pageSize, FOLLOW_UP_PAGE);
    }
  }

  /**
   * Waits for one answer of the server, or fails with UNAVAILABLE once the deadline has passed. An answer
   * that comes later is dropped.
   */
  private async answer<T>(what: string, pending: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(this.deadlinePassed(what)), this.deadlineMs);
    });
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
      pending.catch(() => undefined);
    }
  }

  /**
   * One read of the client, each of its answers within the deadline. The client's Rust bridge sets no
   * deadline on reads, and a read the server never answers would wait for ever.
   */
  private async *bounded<T>(what: string, read: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const iterator = read[Symbol.asyncIterator]();
    let done = false;
    try {
      for (;;) {
        const next = await this.answer(what, iterator.next());
        if (next.done === true) {
          done = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // A caller that stops early ends the client's read. Not awaited: after a deadline the client's
      // generator is still waiting for the server, and would end only then.
      if (!done) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }

  private deadlinePassed(what: string): StoreUnavailableError {
    return new StoreUnavailableError(
      `KurrentDB did not answer ${what} within the deadline of ${this.deadlineMs} ms`,
    );
  }

  private async readHead(): Promise<Position | null> {
    for await (const event of this.scanAll(BACKWARDS, null, 1)) {
      return this.toRecorded(event).position;
    }
    return null;
  }

  /** The result of an accepted append, with the position looked up when the server gave none. */
  private async completeAppend(
    stream: string,
    events: readonly SerialisedEvent[],
    result: ClientAppendResult,
  ): Promise<AppendResult> {
    const nextExpectedRevision = toSafeNumber(result.nextExpectedRevision, 'revision');
    if (result.position) {
      return {
        nextExpectedRevision,
        position: { commit: result.position.commit, prepare: result.position.prepare },
      };
    }
    // The server answers a recognised retry without a position when it cannot read its last event back
    // (IndexWriter.CheckCommit): find the stored events.
    const first = nextExpectedRevision - events.length + 1;
    const stored = first >= 0 ? await this.readStreamPage(stream, first, events.length) : [];
    const same = stored.length === events.length && stored.every((event, i) => event.id === events[i]?.id);
    if (!same) {
      throw new EventStoreError(
        'CORRUPT',
        `KurrentDB accepted an append to ${stream} at revision ${nextExpectedRevision} but its events are not stored there`,
      );
    }
    return {
      nextExpectedRevision,
      position: (stored[stored.length - 1] as RecordedEvent).position,
      repeated: true,
    };
  }

  /** Every event of a stream, paging as needed; none when it does not exist. */
  private async readWholeStream(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await this.readStreamPage(stream, events.length, STREAM_PAGE);
      events.push(...page);
      if (page.length < STREAM_PAGE) return events;
    }
  }

  private toRecorded(event: ClientRecordedEvent): RecordedEvent {
    const at = `event ${event.id} in ${event.streamId}`;
    /** An event that cannot be decoded: unreadable where its place in the log is known, else corrupt. */
    const undecodable = (reason: string): EventStoreError =>
      event.position
        ? new UnreadableEventError(
            {
              id: event.id,
              streamId: event.streamId,
              type: event.type,
              position: { commit: event.position.commit, prepare: event.position.prepare },
            },
            reason,
          )
        : new EventStoreError('CORRUPT', `${at} ${reason}`);
    if (!event.isJson || !isPlainObject(event.data))
      throw undecodable('does not hold a JSON object as its data');
    const metadata = event.metadata;
    if (
      !isPlainObject(metadata) ||
      typeof metadata.recordedAt !== 'string' ||
      Number.isNaN(Date.parse(metadata.recordedAt))
    ) {
      throw undecodable('has no JSON metadata with a recordedAt instant');
    }
    if (!event.position) {
      throw new EventStoreError(
        'CORRUPT',
        `${at} came without a log position (KurrentDB 22.6 or later is required)`,
      );
    }
    return {
      id: event.id,
      streamId: event.streamId,
      revision: toSafeNumber(event.revision, 'revision'),
      position: { commit: event.position.commit, prepare: event.position.prepare },
      type: event.type,
      data: event.data,
      metadata: fromStoredMetadata(metadata) as EventMetadata,
      recordedAt: new Date(Date.parse(metadata.recordedAt)).toISOString(),
    };
  }

  /** A product event: in a served stream, and neither a system stream nor a system event. */
  private serves(event: { readonly streamId: string; readonly type: string }): boolean {
    return (
      !event.streamId.startsWith('$') &&
      !event.type.startsWith('$') &&
      this.prefixes.some((prefix) => event.streamId.startsWith(prefix))
    );
  }

  private filter(): PrefixesFilter {
    return streamNameFilter({ prefixes: [...this.prefixes] });
  }

  private validateServedStream(streamId: string): string {
    const stream = validateStreamId(streamId);
    if (!this.prefixes.some((prefix) => stream.startsWith(prefix))) {
      throw new InvalidAppendError(
        'streamId',
        `"${stream}" is outside the streams this store serves (${this.prefixes.join(', ')}): it would never be read back`,
      );
    }
    return stream;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

/**
 * Whether the client gave up on the node it talked to and will pick one again for the next call: a
 * leader change (it was told the new leader) or a node it can no longer reach.
 */
function isReconnection(error: unknown): boolean {
  return error instanceof NotLeaderError || error instanceof UnavailableError;
}

/**
 * What the server said, in the words the client kept. The client turns the refusals its generated code
 * has no type for into an UnknownError: inside a batch append it keeps only `Could not recognize
 * <status message>` (KurrentDB's `Status` helpers name the refusal there), from a single append only
 * the gRPC status.
 */
function unknownRefusal(error: UnknownError): 'busy' | 'bad-request' | 'too-large' | null {
  const details = (error as { details?: unknown }).details;
  const text = `${error.message} ${typeof details === 'string' ? details : ''}`;
  if (/Server Is (Too )?Busy|Server Is Not Ready/i.test(text)) return 'busy';
  if (/MaximumAppend(Event)?Size|Maximum Append (Event )?Size/i.test(text)) return 'too-large';
  if (/\bBadRequest\b|Invalid Transaction/i.test(text)) return 'bad-request';
  if ((error as { code?: unknown }).code === GRPC_INVALID_ARGUMENT) return 'bad-request';
  return null;
}

const GRPC_INVALID_ARGUMENT = 3;

/**
 * Translates whatever the client threw into the port's errors, each as what it is: a conflict; a
 * refusal of the request itself (VALIDATION: sending it again cannot help); a store that cannot answer
 * now (UNAVAILABLE: try again); a store that refuses this client access (ACCESS_DENIED: fix the
 * credentials); or what the store should not hold or say (CORRUPT). Port errors pass through; errors this
 * function does not recognise (a bug, not the store) pass through unchanged.
 */
export function translateKurrentDbError(
  thrown: unknown,
  context: { readonly streamId?: string; readonly expected?: ExpectedRevision } = {},
): Error {
  if (thrown instanceof EventStoreError) return thrown;
  if (!(thrown instanceof Error)) {
    return new EventStoreError('CORRUPT', `KurrentDB client failed: ${String(thrown)}`, { cause: thrown });
  }
  // A raw gRPC error becomes the client's own error class, as the client does for its calls.
  const error = isCommandError(thrown) ? thrown : convertToCommandError(thrown);
  const cause = { cause: error };
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      context.streamId ?? error.streamName,
      context.expected ?? fromClientState(error.expectedState),
      toActualRevision(error.actualState),
      cause,
    );
  }
  if (
    error instanceof UnavailableError ||
    error instanceof NotLeaderError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError
  ) {
    return new StoreUnavailableError(`KurrentDB is unavailable (${error.type}): ${error.message}`, cause);
  }
  if (
    error instanceof MaxAppendSizeExceededError ||
    error instanceof AppendRecordSizeExceededError ||
    error instanceof TransactionMaxSizeExceededError
  ) {
    return new InvalidAppendError('events', `the append is larger than KurrentDB accepts (${error.type})`);
  }
  if (error instanceof InvalidArgumentError || error instanceof InvalidTransactionError) {
    return new InvalidAppendError('request', `KurrentDB refused the request: ${error.message}`);
  }
  if (error instanceof UnknownError) {
    switch (unknownRefusal(error)) {
      case 'busy':
        return new StoreUnavailableError(`KurrentDB is busy: ${error.message}`, cause);
      case 'too-large':
        return new InvalidAppendError(
          'events',
          `the append is larger than KurrentDB accepts: ${error.message}`,
        );
      case 'bad-request':
        return new InvalidAppendError('request', `KurrentDB refused the request: ${error.message}`);
      case null:
        // Nothing says more; the server's own unknown failures (an unexpected result in an election,
        // say) pass, and a retry with the same event ids is safe.
        return new StoreUnavailableError(`KurrentDB failed: ${error.message}`, cause);
    }
  }
  if (error instanceof AccessDeniedError) {
    return new EventStoreError(
      'ACCESS_DENIED',
      'KurrentDB refused access: check the credentials in the connection string and the ACLs',
      cause,
    );
  }
  if (error instanceof StreamDeletedError || error instanceof StreamTombstonedError) {
    const stream =
      context.streamId ?? (error instanceof StreamDeletedError ? error.streamName : error.stream);
    return new EventStoreError(
      'CORRUPT',
      `stream ${stream} was deleted in KurrentDB; the store is append-only`,
      cause,
    );
  }
  if (isCommandError(error)) {
    return new EventStoreError(
      'CORRUPT',
      `unexpected KurrentDB error (${error.type}): ${error.message}`,
      cause,
    );
  }
  if (isConnectionFailure(error)) {
    return new StoreUnavailableError(`cannot reach KurrentDB: ${error.message}`, cause);
  }
  return error;
}

/** Capped exponential back-off with jitter: a random delay between half and all of the capped step. */
function backoff(attempt: number, settings: ResubscribeSettings): number {
  const step = Math.min(settings.maxDelayMs, settings.firstDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(step / 2 + Math.random() * (step / 2));
}

function isConnectionFailure(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE'].includes(
      code,
    )
  ) {
    return true;
  }
  return /^Failed to discover/.test(error.message);
}

function connect(connectionString: string): KurrentDbClient {
  try {
    return KurrentDBClient.connectionString(connectionString);
  } catch (error) {
    throw new StoreUnavailableError(
      `the KurrentDB connection string is not valid: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

function fromClientState(state: AppendStreamState): ExpectedRevision {
  if (typeof state === 'bigint') return state < 0n ? 'no_stream' : toSafeNumber(state, 'revision');
  return state === NO_STREAM ? 'no_stream' : 'any';
}

function toActualRevision(state: CurrentStreamState): number | 'no_stream' {
  if (typeof state === 'bigint' && state >= 0n) return toSafeNumber(state, 'revision');
  return 'no_stream';
}

function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreError(
      'CORRUPT',
      `KurrentDB reported a ${what} of ${value}, beyond what this store handles`,
    );
  }
  return Number(value);
}

/**
 * The earlier append these events repeat, if the stream holds them all, one after the other in this
 * order; null when it holds none of them. Holding only some is a reuse of ids, refused (see the port).
 */
function findAppend(
  stream: string,
  stored: readonly RecordedEvent[],
  events: readonly SerialisedEvent[],
): AppendResult | null {
  const byId = new Map(stored.map((event) => [event.id, event]));
  const found = events.map((event) => byId.get(event.id));
  if (found.every((event) => event === undefined)) return null;
  const first = found[0];
  for (const [index, event] of found.entries()) {
    if (!first || !event || event.revision !== first.revision + index) {
      throw new InvalidAppendError('events.id', reusedIdsMessage(stream));
    }
  }
  const last = found[found.length - 1] as RecordedEvent;
  return { nextExpectedRevision: last.revision, position: last.position, repeated: true };
}

/**
 * The metadata fields KurrentDB gives a meaning of its own (its projections, `$by_correlation_id` among
 * them, read them), under the port's name and the server's.
 */
const SERVER_METADATA_NAMES = [
  ['correlationId', '$correlationId'],
  ['causationId', '$causationId'],
] as const;

/**
 * The metadata as KurrentDB keeps it: a correlation or causation id (a string, as the server reads it)
 * under the server's name. The server's names themselves are refused: they would be read back under the
 * port's.
 */
function toStoredMetadata(metadata: Record<string, unknown>, index: number): Record<string, unknown> {
  const stored = { ...metadata };
  for (const [portName, serverName] of SERVER_METADATA_NAMES) {
    if (serverName in stored) {
      throw new InvalidAppendError(
        `events[${index}].metadata.${serverName}`,
        `is the store's own name for ${portName}: give ${portName}`,
      );
    }
    const value = stored[portName];
    if (typeof value !== 'string') continue;
    delete stored[portName];
    stored[serverName] = value;
  }
  return stored;
}

/**
 * The metadata under the port's names: the server's names, and the port's, under which events were stored
 * before the adapter used the server's (and which it still uses for an id that is not a string). An event
 * that holds both keeps both.
 */
function fromStoredMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const read = { ...metadata };
  for (const [portName, serverName] of SERVER_METADATA_NAMES) {
    if (!(serverName in read) || portName in read) continue;
    read[portName] = read[serverName];
    delete read[serverName];
  }
  return read;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function validateDeadline(ms: number): number {
  // setTimeout takes at most 2^31 - 1 ms.
  if (!Number.isInteger(ms) || ms < 1 || ms > 2 ** 31 - 1) {
    throw new RangeError(
      `deadlineMs must be a whole number of milliseconds from 1 to ${2 ** 31 - 1} (got ${String(ms)})`,
    );
  }
  return ms;
}

function validatePrefixes(prefixes: readonly string[]): readonly string[] {
  const given: readonly unknown[] = Array.isArray(prefixes) ? prefixes : [];
  if (given.length === 0) throw new RangeError('streamPrefixes needs at least one prefix');
  const list: string[] = [];
  for (const prefix of given) {
    if (typeof prefix !== 'string' || prefix.length === 0 || prefix.startsWith('$')) {
      throw new RangeError(
        `"${String(prefix)}" is not a stream prefix: it must be non-empty and not start with $`,
      );
    }
    list.push(prefix);
  }
  return Object.freeze(list);
}

function boundedCount(field: string, requested: number | undefined, fallback: number): number {
  if (requested === undefined) return fallback;
  if (!Number.isInteger(requested) || requested < 1)
    throw new InvalidAppendError(field, 'must be a whole number from 1');
  return Math.min(requested, MAX_READ_COUNT);
}

function revisionOption(field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidAppendError(field, 'must be a revision (a whole number from 0)');
  return value;
}

function instantOption(text: string): number {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new InvalidAppendError('toInstant', `"${String(text)}" is not an ISO instant`);
  return ms;
}

function positionOption(position: Position | null): Position | null {
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
