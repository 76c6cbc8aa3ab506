import { randomUUID } from 'node:crypto';
import { Readable, type ReadableOptions } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_NAME,
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  convertToCommandError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendResult as ClientAppendResult,
  type AppendToStreamOptions,
  type EventData,
  type Filter,
  type ReadAllOptions as ClientReadAllOptions,
  type ReadStreamOptions as ClientReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import {
  DEFAULT_DEADLINE_MS,
  KurrentDbEventStore,
  translateKurrentDbError,
  type KurrentDbClient,
} from '../src/kurrentdb/kurrentdb-event-store.js';
import {
  comparePositions,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
  type Subscription,
  type SubscriptionRetry,
} from '../src/index.js';
import { eventStoreContract, event } from './contract.js';

/*
 * The KurrentDB adapter without a server: a fake client that implements the five client methods the
 * adapter calls, over an in-memory log that behaves as KurrentDB does where the adapter depends on it
 * (inclusive start of $all reads, exact-revision idempotency, caught-up messages, gRPC back-pressure).
 * Errors are the client's real error classes, built the way the client builds them.
 */

const BEYOND_2_53 = 2n ** 60n;
const POSITION_STEP = 137n;

interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly position: { readonly commit: bigint; readonly prepare: bigint };
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
}

interface ServerBehaviour {
  /** Whether an exact-revision retry is answered as a success (as KurrentDB does) or as a conflict. */
  readonly recognisesRetries: boolean;
  /** Writes a system event and an event of a foreign stream after every few appends. */
  readonly noise: boolean;
}

class FakeKurrentServer {
  readonly log: StoredEvent[] = [];
  readonly subscriptions = new Set<FakeSubscription>();
  private nextPosition = BEYOND_2_53;
  private appends = 0;

  constructor(readonly behaviour: ServerBehaviour = { recognisesRetries: true, noise: false }) {}

  revisionOf(stream: string): bigint {
    let revision = -1n;
    for (const stored of this.log) if (stored.streamId === stream) revision = stored.revision;
    return revision;
  }

  /** Stores one event as it is, for seeding: system events, foreign streams, odd payloads. */
  seed(event: Partial<StoredEvent> & { readonly streamId: string; readonly type: string }): StoredEvent {
    const position = event.position ?? this.takePosition();
    const stored: StoredEvent = {
      id: randomUUID(),
      revision: this.revisionOf(event.streamId) + 1n,
      isJson: true,
      data: {},
      metadata: { recordedAt: '2024-01-01T00:00:00.000Z' },
      created: new Date('1999-12-31T23:59:59.000Z'),
      ...event,
      position,
    };
    this.log.push(stored);
    for (const subscription of this.subscriptions) subscription.wake();
    return stored;
  }

  append(stream: string, events: readonly EventData[]): ClientAppendResult {
    let last: StoredEvent | undefined;
    for (const proposed of events) {
      last = this.seed({
        streamId: stream,
        id: proposed.id,
        type: proposed.type,
        // Through JSON, as over the wire.
        data: JSON.parse(JSON.stringify(proposed.data)) as unknown,
        metadata: JSON.parse(JSON.stringify(proposed.metadata)) as unknown,
      });
    }
    this.appends += 1;
    if (this.behaviour.noise && this.appends % 3 === 0) {
      this.seed({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' });
      this.seed({ streamId: 'organisasjon-hod', type: 'ThingHappened' });
      this.seed({ streamId: `$$${stream}`, type: '$metadata' });
    }
    const written = last as StoredEvent;
    return { success: true, nextExpectedRevision: written.revision, position: { ...written.position } };
  }

  /** The last of `ids` when they are stored in `stream` in this order from `revision` on. */
  storedRun(stream: string, ids: readonly string[], revision: bigint | null): StoredEvent | null {
    const inStream = this.log.filter((e) => e.streamId === stream);
    const start = revision === null ? inStream.findIndex((e) => e.id === ids[0]) : Number(revision);
    if (start < 0) return null;
    for (const [index, id] of ids.entries()) if (inStream[start + index]?.id !== id) return null;
    return inStream[start + ids.length - 1] ?? null;
  }

  private takePosition(): { commit: bigint; prepare: bigint } {
    const value = this.nextPosition;
    this.nextPosition += POSITION_STEP;
    return { commit: value, prepare: value };
  }
}

interface ClientBehaviour {
  /** Whether the server applies the stream-name filter (KurrentDB does; off, the adapter's own filter is tested). */
  readonly honourFilter: boolean;
  /** Whether a subscription's start position is inclusive (the harsher case) or exclusive. */
  readonly subscriptionStartInclusive: boolean;
  /** Whether subscriptions report caught-up (servers before caught-up messages do not). */
  readonly emitsCaughtUp: boolean;
}

type Method = 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose';

interface Call {
  readonly method: Method;
  readonly args: readonly unknown[];
}

/** The bridge's errors are plain errors with a name; the client wraps them in its own classes. */
function bridgeError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, metadata: {} });
}

/** The gRPC ServiceError type, as the client's error constructors take it. */
type ServiceError = NonNullable<ConstructorParameters<typeof AccessDeniedError>[0]>;

/** A gRPC ServiceError as @grpc/grpc-js rejects a call with it: code, details, metadata. */
function serviceError(code: number, details: string, metadata: Record<string, string> = {}): ServiceError {
  const names: Record<number, string> = {
    2: 'UNKNOWN',
    4: 'DEADLINE_EXCEEDED',
    5: 'NOT_FOUND',
    7: 'PERMISSION_DENIED',
    9: 'FAILED_PRECONDITION',
    14: 'UNAVAILABLE',
    16: 'UNAUTHENTICATED',
  };
  const error = Object.assign(new Error(`${code} ${names[code] ?? 'ERROR'}: ${details}`), {
    code,
    details,
    metadata: { getMap: () => metadata },
  });
  return error as unknown as ServiceError;
}

function resolvedOf(stored: StoredEvent): AllStreamResolvedEvent {
  return {
    event: {
      streamId: stored.streamId,
      id: stored.id,
      revision: stored.revision,
      type: stored.type,
      created: stored.created,
      isJson: stored.isJson,
      data: stored.data,
      metadata: stored.metadata,
      position: { ...stored.position },
    } as AllStreamResolvedEvent['event'],
    commitPosition: stored.position.commit,
  };
}

class FakeKurrentClient implements KurrentDbClient {
  readonly calls: Call[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  /** Errors the next call of a method fails with (a read fails when iterated, as the client's do). */
  readonly failures = new Map<Method, Error[]>();
  /** Replaces the server's answer to appends. */
  answerAppend: ((stream: string, events: readonly EventData[]) => ClientAppendResult) | null = null;
  disposed = false;
  /** Streams whose next read answers as the stream stood at this revision (see {@link readNextAsOf}). */
  private readonly staleReads = new Map<string, bigint>();

  constructor(
    readonly server: FakeKurrentServer,
    readonly behaviour: ClientBehaviour = {
      honourFilter: true,
      subscriptionStartInclusive: false,
      emitsCaughtUp: true,
    },
  ) {}

  failNext(method: Method, error: Error): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  callsTo(method: Method): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Makes the next read of `stream` answer as the stream stood at `revision` (-1: before it existed): a
   * read served just before the later events were written, as when another attempt of the same append
   * lands between the adapter's look at the stream and its write.
   */
  readNextAsOf(stream: string, revision: bigint): void {
    this.staleReads.set(stream, revision);
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options?: AppendToStreamOptions,
  ): Promise<ClientAppendResult> {
    this.calls.push({ method: 'appendToStream', args: [streamName, events, options] });
    await Promise.resolve();
    this.throwScripted('appendToStream');
    const list = Array.isArray(events) ? events : [events];
    if (this.answerAppend) return this.answerAppend(streamName, list);
    const state = options?.streamState ?? ANY;
    const current = this.server.revisionOf(streamName);
    const ids = list.map((e) => e.id);
    if (state === ANY) {
      // KurrentDB's best-effort retry detection for `any`.
      const previous = this.server.storedRun(streamName, ids, null);
      if (previous) return { success: true, nextExpectedRevision: previous.revision, position: undefined };
      return this.server.append(streamName, list);
    }
    if (state !== NO_STREAM && typeof state !== 'bigint')
      throw new Error(`the fake does not support ${state}`);
    const expected = state === NO_STREAM ? -1n : state;
    if (expected === current) return this.server.append(streamName, list);
    if (this.server.behaviour.recognisesRetries && expected < current) {
      const previous = this.server.storedRun(streamName, ids, expected + 1n);
      if (previous) return { success: true, nextExpectedRevision: previous.revision, position: undefined };
    }
    // As the client's append() builds it from the server's answer.
    throw new WrongExpectedVersionError(undefined, {
      streamName,
      expected: state,
      current: current < 0n ? NO_STREAM : current,
    });
  }

  readStream(
    streamName: string,
    options: ClientReadStreamOptions = {},
  ): AsyncIterableIterator<ResolvedEvent> {
    this.calls.push({ method: 'readStream', args: [streamName, options] });
    const scripted = this.takeScripted('readStream');
    const server = this.server;
    const asOf = this.staleReads.get(streamName);
    this.staleReads.delete(streamName);
    return (async function* () {
      await Promise.resolve();
      if (scripted) throw scripted;
      const events = server.log.filter(
        (e) => e.streamId === streamName && (asOf === undefined || e.revision <= asOf),
      );
      if (events.length === 0) {
        throw new StreamNotFoundError(
          bridgeError('StreamNotFoundError', `stream ${streamName} not found`) as never,
          streamName,
        );
      }
      const from = options.fromRevision ?? START;
      const ordered = options.direction === BACKWARDS ? [...events].reverse() : events;
      const start =
        from === START || from === END
          ? 0
          : ordered.findIndex((e) =>
              options.direction === BACKWARDS ? e.revision <= from : e.revision >= from,
            );
      if (start < 0) return;
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      for (const stored of ordered.slice(start, start + max)) yield resolvedOf(stored);
    })();
  }

  readAll(options: ClientReadAllOptions = {}): AsyncIterableIterator<AllStreamResolvedEvent> {
    this.calls.push({ method: 'readAll', args: [options] });
    const scripted = this.takeScripted('readAll');
    const log = this.server.log;
    const passes = (e: StoredEvent): boolean => this.passes(e, options.filter);
    return (async function* () {
      await Promise.resolve();
      if (scripted) throw scripted;
      const backwards = options.direction === BACKWARDS;
      const from = options.fromPosition ?? (backwards ? END : START);
      const ordered = backwards ? [...log].reverse() : log;
      // $all reads start AT the given position: inclusive.
      const start =
        from === START || from === END
          ? 0
          : ordered.findIndex((e) =>
              backwards ? comparePositions(e.position, from) <= 0 : comparePositions(e.position, from) >= 0,
            );
      if (start < 0) return;
      let left = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      for (const stored of ordered.slice(start)) {
        if (left === 0) return;
        if (!passes(stored)) continue;
        left -= 1;
        yield resolvedOf(stored);
      }
    })();
  }

  subscribeToAll(
    options: SubscribeToAllOptions = {},
    readableOptions: ReadableOptions = {},
  ): AllStreamSubscription {
    this.calls.push({ method: 'subscribeToAll', args: [options, readableOptions] });
    const subscription = new FakeSubscription(this, options, readableOptions);
    this.subscriptions.push(subscription);
    const scripted = this.takeScripted('subscribeToAll');
    if (scripted) setImmediate(() => subscription.destroy(scripted));
    return subscription;
  }

  dispose = (): Promise<void> => {
    this.calls.push({ method: 'dispose', args: [] });
    this.disposed = true;
    return Promise.resolve();
  };

  passes(stored: StoredEvent, filter: Filter | undefined): boolean {
    if (!this.behaviour.honourFilter || !filter || filter.filterOn !== STREAM_NAME) return true;
    if ('prefixes' in filter) return filter.prefixes.some((prefix) => stored.streamId.startsWith(prefix));
    return new RegExp(filter.regex).test(stored.streamId);
  }

  private takeScripted(method: Method): Error | undefined {
    const queue = this.failures.get(method);
    return queue?.shift();
  }

  private throwScripted(method: Method): void {
    const error = this.takeScripted(method);
    if (error) throw error;
  }
}

/** A subscription as the client gives it: an object-mode Readable, paced by its reader. */
class FakeSubscription extends Readable {
  id = randomUUID();
  pushed = 0;
  unsubscribed = false;
  private cursor: number;
  private waiting = false;
  private caughtUpSent = false;
  private scheduled = false;
  private readonly subscriptionFilter: Filter | undefined;

  constructor(
    private readonly client: FakeKurrentClient,
    options: SubscribeToAllOptions,
    readableOptions: ReadableOptions,
  ) {
    super({ ...readableOptions, objectMode: true });
    const from = options.fromPosition ?? START;
    const log = client.server.log;
    this.subscriptionFilter = options.filter;
    if (from === START) this.cursor = 0;
    else if (from === END) this.cursor = log.length;
    else {
      const inclusive = client.behaviour.subscriptionStartInclusive;
      const index = log.findIndex((e) => comparePositions(e.position, from) >= (inclusive ? 0 : 1));
      this.cursor = index < 0 ? log.length : index;
    }
    client.server.subscriptions.add(this);
    // The server confirms every subscription first; the client emits it as 'confirmation'.
    setImmediate(() => this.emit('confirmation'));
  }

  /** Events arrive later than asked for, as over a network: the buffer runs empty during catch-up. */
  override _read(): void {
    this.waiting = false;
    this.schedulePump();
  }

  wake(): void {
    if (!this.waiting || this.destroyed) return;
    this.waiting = false;
    this.schedulePump();
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.client.server.subscriptions.delete(this);
    await Promise.resolve();
    this.destroy();
  }

  private schedulePump(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.destroyed) return;
    const log = this.client.server.log;
    while (this.cursor < log.length) {
      const stored = log[this.cursor] as StoredEvent;
      this.cursor += 1;
      if (!this.client.passes(stored, this.subscriptionFilter)) continue;
      this.pushed += 1;
      if (!this.push(resolvedOf(stored))) return;
    }
    if (!this.caughtUpSent && this.client.behaviour.emitsCaughtUp) {
      this.caughtUpSent = true;
      this.emit('caughtUp', { date: new Date() });
    }
    this.waiting = true;
  }
}

/** The streams the adapter serves in these tests, as the product configures it. */
const SERVED = ['oppdrag-'];
const streamOf = (label = 's'): string => `oppdrag-${label}-${randomUUID().slice(0, 8)}`;
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function setup(
  client: Partial<ClientBehaviour> = {},
  server: Partial<ServerBehaviour> = {},
): { server: FakeKurrentServer; client: FakeKurrentClient; store: KurrentDbEventStore } {
  const fakeServer = new FakeKurrentServer({ recognisesRetries: true, noise: false, ...server });
  const fakeClient = new FakeKurrentClient(fakeServer, {
    honourFilter: true,
    subscriptionStartInclusive: false,
    emitsCaughtUp: true,
    ...client,
  });
  return {
    server: fakeServer,
    client: fakeClient,
    store: new KurrentDbEventStore({ client: fakeClient, streamPrefixes: SERVED }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

describe('KurrentDB adapter: construction', () => {
  it('serves the stream prefixes it is configured with', () => {
    const { client } = setup();
    expect(new KurrentDbEventStore({ client, streamPrefixes: ['oppdrag-'] }).streamPrefixes).toEqual([
      'oppdrag-',
    ]);
    expect(new KurrentDbEventStore({ client, streamPrefixes: ['a-', 'b-'] }).streamPrefixes).toEqual([
      'a-',
      'b-',
    ]);
  });

  it('refuses prefixes that would read system streams or everything', () => {
    const { client } = setup();
    expect(() => new KurrentDbEventStore({ client, streamPrefixes: [] })).toThrow(RangeError);
    expect(() => new KurrentDbEventStore({ client, streamPrefixes: ['$'] })).toThrow(RangeError);
    expect(() => new KurrentDbEventStore({ client, streamPrefixes: [''] })).toThrow(RangeError);
  });

  it('refuses a deadline that is not a whole number of milliseconds setTimeout can wait', () => {
    const { client } = setup();
    for (const deadlineMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => new KurrentDbEventStore({ client, streamPrefixes: SERVED, deadlineMs })).toThrow(
        RangeError,
      );
    }
    expect(() => new KurrentDbEventStore({ client, streamPrefixes: SERVED, deadlineMs: 1 })).not.toThrow();
  });

  it('builds its own client from a connection string, and refuses one the client cannot parse', async () => {
    const store = KurrentDbEventStore.fromConnectionString('kurrentdb://localhost:2113?tls=false', {
      streamPrefixes: SERVED,
    });
    await store.close();
    expect(
      () => new KurrentDbEventStore({ connectionString: 'localhost:2113', streamPrefixes: SERVED }),
    ).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringMatching(/connection string/) }),
    );
  });

  it('close() disposes a client it owns, not one it was lent, and refuses work afterwards without calling it', async () => {
    const owned = setup();
    await owned.store.close();
    expect(owned.client.disposed).toBe(true);
    const lent = setup();
    const borrower = new KurrentDbEventStore({
      client: lent.client,
      streamPrefixes: SERVED,
      ownsClient: false,
    });
    await borrower.close();
    expect(lent.client.disposed).toBe(false);
    const calls = owned.client.calls.length;
    await expect(owned.store.readStream(streamOf())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(
      owned.store.appendToStream(streamOf(), [event()], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(owned.client.calls).toHaveLength(calls);
  });
});

describe('KurrentDB adapter: appending', () => {
  it('maps each expected revision to the client streamState: a number to a bigint revision, no_stream, and any to the revision it read', async () => {
    const { client, store } = setup();
    const s = streamOf();
    await store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    await store.appendToStream(s, [event()], { expectedRevision: 0 });
    await store.appendToStream(s, [event()], { expectedRevision: 'any' });
    const states = client
      .callsTo('appendToStream')
      .map((c) => (c.args[2] as AppendToStreamOptions).streamState);
    // The server recognises a retry with any only from its cache of recent writes: the adapter never
    // sends any, it appends at the revision it read after looking for the ids in the stream.
    expect(states).toEqual([NO_STREAM, 0n, 1n]);
    expect(typeof states[1]).toBe('bigint');
  });

  it('gives the client the deadline of each append, the default or the one configured', async () => {
    const defaults = setup();
    await defaults.store.appendToStream(streamOf(), [event()], { expectedRevision: 'no_stream' });
    const configured = setup();
    const store = new KurrentDbEventStore({
      client: configured.client,
      streamPrefixes: SERVED,
      deadlineMs: 2_500,
    });
    await store.appendToStream(streamOf(), [event()], { expectedRevision: 'no_stream' });
    const deadlineOf = (client: FakeKurrentClient): unknown =>
      (client.callsTo('appendToStream')[0]?.args[2] as AppendToStreamOptions).deadline;
    expect(deadlineOf(defaults.client)).toBe(DEFAULT_DEADLINE_MS);
    expect(deadlineOf(configured.client)).toBe(2_500);
  });

  it('sends each event as a JSON event with its own id, type, data and metadata, recordedAt normalised', async () => {
    const { client, store } = setup();
    const s = streamOf();
    const e: EventToAppend = {
      id: randomUUID(),
      type: 'OppdragReported',
      data: { text: 'æøå', nested: { list: [1, null, true] } },
      metadata: { recordedAt: '2024-03-01T08:00:00+01:00', commandId: 'c1', actor: { userId: 'u1' } },
    };
    await store.appendToStream(s, [e, event()], { expectedRevision: 'no_stream' });
    const [call] = client.callsTo('appendToStream');
    expect(call?.args[0]).toBe(s);
    const sent = call?.args[1] as EventData[];
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual(
      jsonEvent({
        id: e.id,
        type: 'OppdragReported',
        data: { text: 'æøå', nested: { list: [1, null, true] } },
        metadata: { recordedAt: '2024-03-01T07:00:00.000Z', commandId: 'c1', actor: { userId: 'u1' } },
      }),
    );
    expect(sent[0]?.contentType).toBe('application/json');
  });

  it('answers with the revision as a number and the position exactly, beyond 2^53', async () => {
    const { client, store } = setup();
    const commit = 2n ** 63n + 12_345n;
    const prepare = 2n ** 63n + 12_001n;
    client.answerAppend = () => ({ success: true, nextExpectedRevision: 41n, position: { commit, prepare } });
    const result = await store.appendToStream(streamOf(), [event()], { expectedRevision: 40 });
    expect(result).toEqual({ nextExpectedRevision: 41, position: { commit, prepare } });
    expect(result.position.commit - result.position.prepare).toBe(344n);
  });

  it('refuses appends to streams outside its prefixes, since it would never read them back', async () => {
    const { client, store } = setup();
    await expect(
      store.appendToStream('organisasjon-hod', [event()], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'streamId',
    });
    expect(client.calls).toHaveLength(0);
  });

  describe('refuses bad input before any call to the client', () => {
    const bad: Array<[string, () => [string, EventToAppend[], unknown]]> = [
      ['a malformed stream id', () => ['Not A Stream!', [event()], 'any']],
      ['a system stream id', () => ['$all', [event()], 'any']],
      ['a metadata stream id', () => ['$$oppdrag-x', [event()], 'any']],
      ['no events', () => [streamOf(), [], 'any']],
      ['an event id that is no UUID', () => [streamOf(), [event('ThingHappened', {}, 'not-a-uuid')], 'any']],
      ['a type that is no name', () => [streamOf(), [event('$thing')], 'any']],
      [
        'a payload over the size limit',
        () => [streamOf(), [event('ThingHappened', { blob: 'x'.repeat(300 * 1024) })], 'any'],
      ],
      [
        'a recordedAt that is no instant',
        () => [streamOf(), [{ ...event(), metadata: { recordedAt: 'yesterday' } }], 'any'],
      ],
      [
        'the same id twice',
        () => {
          const e = event();
          return [streamOf(), [e, { ...e }], 'any'];
        },
      ],
      ['a negative expected revision', () => [streamOf(), [event()], -3]],
      ['an expected revision that is no revision', () => [streamOf(), [event()], 'latest']],
      ['a fractional expected revision', () => [streamOf(), [event()], 1.5]],
    ];
    it.each(bad)('%s', async (_label, make) => {
      const { client, store } = setup();
      const [s, events, expected] = make();
      await expect(
        store.appendToStream(s, events, { expectedRevision: expected as number }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(client.calls).toEqual([]);
    });

    it('bad read options too', async () => {
      const { client, store } = setup();
      await expect(store.readStream('Not A Stream!')).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(store.readStream(streamOf(), { fromRevision: -1 })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      await expect(store.readStream(streamOf(), { toInstant: 'soon' })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      await expect(store.readStream(streamOf(), { maxCount: 0 })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      await expect(store.readAll({ maxCount: -5 })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(
        store.readAll({ after: { commit: 5, prepare: 5 } as unknown as Position }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(() => store.subscribeToAll({ after: null, handle: () => undefined, batchSize: 0 })).toThrow(
        expect.objectContaining({ code: 'VALIDATION' }),
      );
      expect(client.calls).toEqual([]);
    });
  });
});

describe('KurrentDB adapter: retried appends', () => {
  it('a retry whose events the stream holds is answered from the stream without being sent, whatever it expects', async () => {
    const { client, store } = setup();
    const s = streamOf();
    const batch = [event(), event()];
    const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    expect(first.repeated).toBeUndefined();
    const sent = client.callsTo('appendToStream').length;
    // KurrentDB would answer the no_stream retry exactly as it answered the first append, with nothing to
    // tell it from a new write: the adapter finds it in the stream instead.
    for (const expectedRevision of ['no_stream', 1, 'any'] as const) {
      expect(await store.appendToStream(s, batch, { expectedRevision })).toEqual({
        ...first,
        repeated: true,
      });
    }
    expect(client.callsTo('appendToStream')).toHaveLength(sent);
    const next = await store.appendToStream(s, [event()], { expectedRevision: 1 });
    expect(next.repeated).toBeUndefined();
    expect(await store.readStream(s)).toHaveLength(3);
  });

  it('a retry stored after the adapter looked, recognised by the server without a position, answers with the first position', async () => {
    const { client, store } = setup({}, { recognisesRetries: true });
    const s = streamOf();
    const batch = [event(), event()];
    const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    // The other attempt lands between the retry's look at the stream and its write.
    client.readNextAsOf(s, -1n);
    const reads = client.callsTo('readStream').length;
    const retry = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    expect(retry).toEqual({ ...first, repeated: true });
    // The server said nothing about the position: after its look, the adapter read the stored events to
    // find it.
    expect(
      client
        .callsTo('readStream')
        .slice(reads)
        .map((c) => {
          const options = c.args[1] as ClientReadStreamOptions;
          return [c.args[0], options.fromRevision, options.maxCount];
        }),
    ).toEqual([
      [s, 0n, 1000],
      [s, 0n, 2],
    ]);
    expect(client.callsTo('appendToStream')).toHaveLength(2);
    expect(await store.readStream(s)).toHaveLength(2);
  });

  it('a retry stored after the adapter looked, refused by the server as a wrong expected version, is found in the stream and answered as the first time', async () => {
    const { client, store } = setup({}, { recognisesRetries: false });
    const s = streamOf();
    const batch = [event()];
    const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    client.readNextAsOf(s, -1n);
    const retry = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    expect(retry).toEqual({ ...first, repeated: true });
    await store.appendToStream(s, [event()], { expectedRevision: 0 });
    const second = [event(), event()];
    const atOne = await store.appendToStream(s, second, { expectedRevision: 1 });
    await store.appendToStream(s, [event()], { expectedRevision: 3 });
    client.readNextAsOf(s, 1n);
    expect(await store.appendToStream(s, second, { expectedRevision: 1 })).toEqual({
      ...atOne,
      repeated: true,
    });
    // Both retries reached the server (their looks missed their events) and were refused.
    expect(client.callsTo('appendToStream')).toHaveLength(6);
    expect(await store.readStream(s)).toHaveLength(5);
  });

  it('a client that answers a conflict instead of throwing it (throwOnAppendFailure off) is read alike', async () => {
    const { client, store } = setup();
    const s = streamOf();
    const batch = [event()];
    const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
    client.answerAppend = (stream) => ({
      success: false,
      nextExpectedRevision: client.server.revisionOf(stream),
      position: undefined,
    });
    client.readNextAsOf(s, -1n);
    expect(await store.appendToStream(s, batch, { expectedRevision: 'no_stream' })).toEqual({
      ...first,
      repeated: true,
    });
    expect(
      await rejection(store.appendToStream(s, [event()], { expectedRevision: 'no_stream' })),
    ).toMatchObject({ code: 'CONFLICT', streamId: s, expected: 'no_stream', actual: 0 });
    expect(await store.readStream(s)).toHaveLength(1);
  });

  it('a conflict that is no retry is a CONFLICT with the actual revision', async () => {
    const { store } = setup({}, { recognisesRetries: false });
    const s = streamOf();
    await store.appendToStream(s, [event(), event(), event()], { expectedRevision: 'no_stream' });
    const error = await rejection(store.appendToStream(s, [event()], { expectedRevision: 0 }));
    expect(error).toMatchObject({ code: 'CONFLICT', streamId: s, expected: 0, actual: 2 });
    expect(error.cause).toBeInstanceOf(WrongExpectedVersionError);
    const missing = streamOf();
    expect(await rejection(store.appendToStream(missing, [event()], { expectedRevision: 4 }))).toMatchObject({
      code: 'CONFLICT',
      expected: 4,
      actual: 'no_stream',
    });
  });

  it('ids stored only in part after the expected revision are refused as a different append', async () => {
    const { store } = setup({}, { recognisesRetries: false });
    const s = streamOf();
    const a = event();
    await store.appendToStream(s, [a], { expectedRevision: 'no_stream' });
    await expect(
      store.appendToStream(s, [a, event()], { expectedRevision: 'no_stream' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'events.id',
    });
  });

  it('a success the server cannot back with stored events is CORRUPT, not a made-up position', async () => {
    const { client, store } = setup();
    const s = streamOf();
    await store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    client.answerAppend = () => ({ success: true, nextExpectedRevision: 0n, position: undefined });
    await expect(store.appendToStream(s, [event()], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'CORRUPT',
    });
  });
});

describe('KurrentDB adapter: reading a stream', () => {
  it('reads forwards from a revision with a count, and maps the events', async () => {
    const { server, client, store } = setup();
    const s = streamOf();
    const commit = 2n ** 62n + 99n;
    const seeded = server.seed({
      streamId: s,
      type: 'OppdragReported',
      data: { a: 1 },
      metadata: { recordedAt: '2024-05-01T10:00:00.000Z', commandId: 'c1' },
      created: new Date('2030-01-01T00:00:00.000Z'),
      position: { commit, prepare: commit - 7n },
    });
    const read = await store.readStream(s, { fromRevision: 0, maxCount: 10 });
    expect(client.callsTo('readStream')[0]?.args).toEqual([
      s,
      { direction: FORWARDS, fromRevision: 0n, maxCount: 10, resolveLinkTos: false },
    ]);
    expect(read).toEqual([
      {
        id: seeded.id,
        streamId: s,
        revision: 0,
        position: { commit, prepare: commit - 7n },
        type: 'OppdragReported',
        data: { a: 1 },
        metadata: { recordedAt: '2024-05-01T10:00:00.000Z', commandId: 'c1' },
        // From our metadata, not the server's `created`.
        recordedAt: '2024-05-01T10:00:00.000Z',
      },
    ]);
  });

  it('a stream that does not exist (the client throws StreamNotFoundError) reads as empty', async () => {
    const { client, store } = setup();
    expect(await store.readStream(streamOf('missing'))).toEqual([]);
    expect(client.callsTo('readStream')).toHaveLength(1);
  });

  it('filters by revision and instant on the client side', async () => {
    const { server, store } = setup();
    const s = streamOf();
    const at = [
      '2024-01-10T10:00:00.000Z',
      '2024-03-01T07:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
      '2024-06-01T00:00:00.000Z',
    ];
    for (const recordedAt of at)
      server.seed({ streamId: s, type: 'ThingHappened', metadata: { recordedAt } });
    const revisions = async (options: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
      (await store.readStream(s, options)).map((e) => e.revision);
    expect(await revisions({ toRevision: 1 })).toEqual([0, 1]);
    expect(await revisions({ fromRevision: 1, toRevision: 2 })).toEqual([1, 2]);
    expect(await revisions({ toInstant: '2024-03-01T06:59:59.999Z' })).toEqual([0, 2]);
    expect(await revisions({ toInstant: '2024-03-01T08:00:00+01:00' })).toEqual([0, 1, 2]);
    expect(await revisions({ toInstant: '2024-03-01T08:00:00+01:00', maxCount: 2 })).toEqual([0, 1]);
    expect(await revisions({ fromRevision: 9 })).toEqual([]);
  });

  it('an event that is not ours to read (binary, no recordedAt, no position) is CORRUPT', async () => {
    const cases: Array<Partial<StoredEvent>> = [
      { isJson: false, data: new Uint8Array([1, 2]) },
      { data: 'not an object' },
      { metadata: { commandId: 'no instant' } },
      { metadata: new Uint8Array([7]) },
    ];
    for (const odd of cases) {
      const { server, store } = setup();
      const s = streamOf();
      server.seed({ streamId: s, type: 'ThingHappened', ...odd });
      await expect(store.readStream(s)).rejects.toMatchObject({ code: 'CORRUPT' });
    }
  });
});

describe('KurrentDB adapter: reading all events', () => {
  function seedMixed(server: FakeKurrentServer): StoredEvent[] {
    const ours: StoredEvent[] = [];
    server.seed({ streamId: '$settings', type: '$settings' });
    ours.push(server.seed({ streamId: 'oppdrag-a', type: 'ThingHappened', data: { n: 0 } }));
    server.seed({ streamId: 'organisasjon-hod', type: 'ThingHappened' });
    server.seed({ streamId: '$$oppdrag-a', type: '$metadata' });
    ours.push(server.seed({ streamId: 'oppdrag-b', type: 'ThingHappened', data: { n: 1 } }));
    server.seed({ streamId: 'oppdrag-a', type: '$>' });
    ours.push(server.seed({ streamId: 'oppdrag-a', type: 'ThingHappened', data: { n: 2 } }));
    server.seed({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' });
    ours.push(server.seed({ streamId: 'oppdrag-c', type: 'ThingHappened', data: { n: 3 } }));
    return ours;
  }

  it('asks the server for the served prefixes only, forwards, from the start', async () => {
    const { server, client, store } = setup();
    const ours = seedMixed(server);
    const read = await store.readAll();
    expect(read.map((e) => e.id)).toEqual(ours.map((e) => e.id));
    expect(client.callsTo('readAll')[0]?.args[0]).toEqual({
      direction: FORWARDS,
      fromPosition: START,
      maxCount: 1000,
      filter: expect.objectContaining({ filterOn: STREAM_NAME, prefixes: ['oppdrag-'] }),
      resolveLinkTos: false,
    });
  });

  it('drops system streams, system events and foreign prefixes even when the server does not filter', async () => {
    const { server, store } = setup({ honourFilter: false });
    const ours = seedMixed(server);
    const read = await store.readAll();
    expect(read.map((e) => e.id)).toEqual(ours.map((e) => e.id));
    expect(read.every((e) => e.streamId.startsWith('oppdrag-') && !e.type.startsWith('$'))).toBe(true);
    // Two served events at a time, across pages of mostly foreign events.
    const firstTwo = await store.readAll({ maxCount: 2 });
    expect(firstTwo.map((e) => e.id)).toEqual(ours.slice(0, 2).map((e) => e.id));
  });

  it('is exclusive of the start position although the client reads from it inclusively', async () => {
    const { server, client, store } = setup({ honourFilter: false });
    const ours = seedMixed(server);
    const after = ours[1]!.position;
    const read = await store.readAll({ after, maxCount: 1 });
    expect(read.map((e) => e.id)).toEqual([ours[2]!.id]);
    const request = client.callsTo('readAll')[0]?.args[0] as ClientReadAllOptions;
    expect(request.fromPosition).toEqual(after);
    expect(request.maxCount).toBe(2);
    const rest = await store.readAll({ after: ours[2]!.position });
    expect(rest.map((e) => e.id)).toEqual([ours[3]!.id]);
    expect(await store.readAll({ after: ours[3]!.position })).toEqual([]);
  });

  it('keeps positions exactly beyond 2^53, commit and prepare apart', async () => {
    const { server, store } = setup();
    const commit = 2n ** 64n - 2n;
    const stored = server.seed({
      streamId: 'oppdrag-x',
      type: 'ThingHappened',
      position: { commit, prepare: commit - 1n },
    });
    const [read] = await store.readAll();
    expect(read?.id).toBe(stored.id);
    expect(read?.position).toEqual({ commit, prepare: commit - 1n });
    expect(await store.headPosition()).toEqual({ commit, prepare: commit - 1n });
  });

  it('headPosition reads $all backwards, one served event, and is null for a store with none', async () => {
    const { server, client, store } = setup();
    expect(await store.headPosition()).toBeNull();
    const ours = seedMixed(server);
    expect(await store.headPosition()).toEqual(ours[3]!.position);
    expect(client.callsTo('readAll').at(-1)?.args[0]).toEqual({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: expect.objectContaining({ filterOn: STREAM_NAME, prefixes: ['oppdrag-'] }),
      resolveLinkTos: false,
    });
    server.seed({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' });
    server.seed({ streamId: 'organisasjon-hod', type: 'ThingHappened' });
    const unfiltered = new KurrentDbEventStore({
      streamPrefixes: SERVED,
      client: new FakeKurrentClient(server, { ...client.behaviour, honourFilter: false }),
    });
    expect(await unfiltered.headPosition()).toEqual(ours[3]!.position);
  });
});

describe('KurrentDB adapter: error mapping', () => {
  const conflict = { code: 'CONFLICT', name: 'WrongExpectedRevisionError' };
  const unavailable = { code: 'UNAVAILABLE', name: 'StoreUnavailableError' };
  const cases: Array<[string, () => unknown, Record<string, unknown>]> = [
    [
      'WrongExpectedVersionError from an append answer (expected 3, actual 5)',
      () => new WrongExpectedVersionError(undefined, { streamName: 'oppdrag-x', expected: 3n, current: 5n }),
      { ...conflict, streamId: 'oppdrag-x', expected: 3, actual: 5 },
    ],
    [
      'WrongExpectedVersionError when the stream does not exist',
      () =>
        new WrongExpectedVersionError(undefined, {
          streamName: 'oppdrag-x',
          expected: 0n,
          current: NO_STREAM,
        }),
      { ...conflict, expected: 0, actual: 'no_stream' },
    ],
    [
      'WrongExpectedVersionError from gRPC error metadata',
      () =>
        convertToCommandError(
          serviceError(9, 'Append failed due to WrongExpectedVersion', {
            exception: 'wrong-expected-version',
            'stream-name': 'oppdrag-y',
            'expected-version': '1',
            'actual-version': '4',
          }),
        ),
      { ...conflict, streamId: 'oppdrag-y', expected: 1, actual: 4 },
    ],
    [
      'WrongExpectedVersionError from a v2 revision conflict (no_stream expected)',
      () =>
        WrongExpectedVersionError.fromRevisionConflict({
          stream: 'oppdrag-z',
          expectedRevision: '-1',
          actualRevision: '2',
        }),
      { ...conflict, streamId: 'oppdrag-z', expected: 'no_stream', actual: 2 },
    ],
    [
      'UnavailableError (gRPC UNAVAILABLE)',
      () => convertToCommandError(serviceError(14, 'No connection established')),
      unavailable,
    ],
    [
      'a raw gRPC UNAVAILABLE the client did not convert',
      () => serviceError(14, 'Connection dropped'),
      unavailable,
    ],
    ['DeadlineExceededError', () => convertToCommandError(serviceError(4, 'Deadline exceeded')), unavailable],
    [
      'NotLeaderError',
      () =>
        convertToCommandError(
          serviceError(5, 'Leader info available', {
            exception: 'not-leader',
            'leader-endpoint-host': 'kurrentdb-2',
            'leader-endpoint-port': '2113',
          }),
        ),
      unavailable,
    ],
    [
      'UnavailableError from the read bridge',
      () => new UnavailableError(bridgeError('UnavailableError', 'connection refused') as never),
      unavailable,
    ],
    [
      'UnknownError on a connect failure (converted to unavailable by the client)',
      () => convertToCommandError(serviceError(2, 'client error (Connect)')),
      unavailable,
    ],
    ['UnknownError', () => new UnknownError(bridgeError('SomethingElse', 'odd') as never), unavailable],
    ['discovery failing', () => new Error('Failed to discover after 10 attempts.'), unavailable],
    [
      'a refused TCP connection',
      () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2113'), { code: 'ECONNREFUSED' }),
      unavailable,
    ],
    [
      'AccessDeniedError (not a transient outage, nor corrupt data)',
      () => convertToCommandError(serviceError(16, 'Access denied')),
      { code: 'ACCESS_DENIED', name: 'EventStoreError', message: expect.stringMatching(/refused access/) },
    ],
    [
      'AccessDeniedError from the metadata exception',
      () => new AccessDeniedError(serviceError(7, 'Access denied', { exception: 'access-denied' })),
      { code: 'ACCESS_DENIED', name: 'EventStoreError' },
    ],
    [
      'a batch append refused as BadRequest (an UnknownError to the client)',
      () => new UnknownError(undefined, 'Could not recognize BadRequest'),
      { code: 'VALIDATION', name: 'InvalidAppendError', field: 'request' },
    ],
    [
      'a batch append refused as MaximumAppendEventSizeExceeded (an UnknownError to the client)',
      () => new UnknownError(undefined, 'Could not recognize MaximumAppendEventSizeExceeded'),
      { code: 'VALIDATION', name: 'InvalidAppendError', field: 'events' },
    ],
    [
      'a batch append answered "Server Is Busy" (an UnknownError to the client)',
      () => new UnknownError(undefined, 'Could not recognize Server Is Busy'),
      unavailable,
    ],
    [
      'a single append refused as an invalid transaction',
      () =>
        convertToCommandError(serviceError(3, 'Invalid Transaction', { exception: 'invalid-transaction' })),
      { code: 'VALIDATION', name: 'InvalidAppendError', field: 'request' },
    ],
    [
      'StreamDeletedError',
      () => StreamDeletedError.fromStreamName('oppdrag-gone'),
      { code: 'CORRUPT', message: expect.stringMatching(/oppdrag-gone was deleted/) },
    ],
    [
      'MaxAppendSizeExceededError',
      () => MaxAppendSizeExceededError.fromMaxAppendSize(1024 * 1024),
      { code: 'VALIDATION', name: 'InvalidAppendError', field: 'events' },
    ],
    [
      'StreamNotFoundError outside a stream read',
      () => new StreamNotFoundError(undefined, 'oppdrag-x'),
      { code: 'CORRUPT' },
    ],
  ];

  it.each(cases)('maps %s', (_label, make, expected) => {
    const thrown = make();
    const mapped = translateKurrentDbError(thrown);
    expect(mapped).toMatchObject(expected);
    // The port's InvalidAppendError takes no cause; every other mapped error keeps the client's.
    if (expected.code !== 'VALIDATION') expect((mapped as { cause?: unknown }).cause).toBeDefined();
  });

  it('leaves the port errors and programming errors as they are', () => {
    const bug = new TypeError('x is not a function');
    expect(translateKurrentDbError(bug)).toBe(bug);
    const own = translateKurrentDbError(serviceError(14, 'gone'));
    expect(translateKurrentDbError(own)).toBe(own);
  });

  it('maps what the client throws on each call', async () => {
    const { client, store } = setup();
    const s = streamOf();
    // An append is tried twice when the client reconnects (see the retry tests): fail both.
    client.failNext('appendToStream', convertToCommandError(serviceError(14, 'No connection established')));
    client.failNext('appendToStream', convertToCommandError(serviceError(14, 'No connection established')));
    await expect(store.appendToStream(s, [event()], { expectedRevision: 'any' })).rejects.toMatchObject(
      unavailable,
    );
    client.failNext(
      'readStream',
      new DeadlineExceededError(bridgeError('DeadlineExceededError', 'too slow') as never),
    );
    await expect(store.readStream(s)).rejects.toMatchObject(unavailable);
    client.failNext(
      'readAll',
      new NotLeaderError(
        serviceError(5, 'not leader', { 'leader-endpoint-host': 'b', 'leader-endpoint-port': '2113' }),
      ),
    );
    await expect(store.readAll()).rejects.toMatchObject(unavailable);
    client.failNext('readAll', new AccessDeniedError());
    await expect(store.headPosition()).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    client.failNext('appendToStream', MaxAppendSizeExceededError.fromMaxAppendSize(10));
    await expect(store.appendToStream(s, [event()], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('a conflict names the stream and the expected revision of the call', async () => {
    const { client, store } = setup();
    const s = streamOf();
    client.failNext(
      'appendToStream',
      new WrongExpectedVersionError(undefined, { streamName: s, expected: 6n, current: 8n }),
    );
    const error = await rejection(store.appendToStream(s, [event()], { expectedRevision: 6 }));
    expect(error).toMatchObject({ code: 'CONFLICT', streamId: s, expected: 6, actual: 8 });
  });
});

describe('KurrentDB adapter: subscriptions', () => {
  async function seedOurs(store: KurrentDbEventStore, n: number): Promise<string> {
    const s = streamOf('sub');
    for (let i = 0; i < n; i += 50) {
      const events = Array.from({ length: Math.min(50, n - i) }, (_, k) =>
        event('ThingHappened', { i: i + k }),
      );
      await store.appendToStream(s, events, { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
    }
    return s;
  }

  it('subscribes with the prefix filter from the checkpoint, and never delivers the checkpoint again', async () => {
    const { client, store } = setup(
      { subscriptionStartInclusive: true, honourFilter: false },
      { noise: true },
    );
    await seedOurs(store, 10);
    const all = await store.readAll();
    const checkpoint = all[3]!.position;
    const seen: RecordedEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        after: checkpoint,
        batchSize: 4,
        handle: (batch) => {
          seen.push(...batch);
        },
        onCaughtUp: () => void subscription.stop().then(resolve),
        onError: reject,
      });
    });
    expect(seen.map((e) => e.id)).toEqual(all.slice(4).map((e) => e.id));
    const [options, readable] = client.callsTo('subscribeToAll')[0]!.args as [
      SubscribeToAllOptions,
      ReadableOptions,
    ];
    expect(options).toEqual({
      fromPosition: checkpoint,
      filter: expect.objectContaining({ filterOn: STREAM_NAME, prefixes: ['oppdrag-'] }),
      resolveLinkTos: false,
    });
    expect(readable).toEqual({ highWaterMark: 4 });
    expect(client.subscriptions[0]?.unsubscribed).toBe(true);
  });

  it('starts from the start of $all without a checkpoint', async () => {
    const { client, store } = setup();
    const subscription = store.subscribeToAll({ after: null, handle: () => undefined });
    await subscription.stop();
    expect((client.callsTo('subscribeToAll')[0]?.args[0] as SubscribeToAllOptions).fromPosition).toBe(START);
  });

  it('delivers batches one at a time and lets the server run ahead only by a buffer', async () => {
    const { client, store } = setup();
    await seedOurs(store, 300);
    let inFlight = 0;
    let maxInFlight = 0;
    let delivered = 0;
    let maxAhead = 0;
    const sizes: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        after: null,
        batchSize: 10,
        handle: async (batch) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          sizes.push(batch.length);
          await wait(1);
          maxAhead = Math.max(maxAhead, client.subscriptions[0]!.pushed - delivered);
          delivered += batch.length;
          inFlight -= 1;
          if (delivered === 300) void subscription.stop().then(resolve);
        },
        onError: reject,
      });
    });
    expect(maxInFlight).toBe(1);
    expect(sizes.every((n) => n >= 1 && n <= 10)).toBe(true);
    // The handler holds one batch; the stream buffers at most about one more.
    expect(maxAhead).toBeLessThanOrEqual(21);
  });

  it('reports caught-up once everything stored has been handled, with the last position', async () => {
    const { store } = setup();
    await seedOurs(store, 120);
    const head = await store.headPosition();
    let handledWhenCaughtUp = -1;
    let handled = 0;
    const reported = await new Promise<Position | null>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        after: null,
        batchSize: 7,
        handle: async (batch) => {
          await wait(0);
          handled += batch.length;
        },
        onCaughtUp: (position) => {
          handledWhenCaughtUp = handled;
          void subscription.stop().then(() => resolve(position));
        },
        onError: reject,
      });
    });
    expect(handledWhenCaughtUp).toBe(120);
    expect(reported).toEqual(head);
  });

  it('reports caught-up on servers that never send caught-up messages', async () => {
    const { store } = setup({ emitsCaughtUp: false });
    await seedOurs(store, 30);
    let handled = 0;
    await new Promise<void>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        after: null,
        handle: (batch) => {
          handled += batch.length;
        },
        onCaughtUp: () => void subscription.stop().then(resolve),
        onError: reject,
      });
    });
    expect(handled).toBe(30);
  });

  it('delivers live events after catching up', async () => {
    const { store } = setup();
    const s = await seedOurs(store, 5);
    const seen: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        after: null,
        handle: (batch) => {
          seen.push(...batch.map((e) => e.data.i as number));
          if (seen.length === 7) void subscription.stop().then(resolve);
        },
        onCaughtUp: () => {
          void store.appendToStream(s, [event('ThingHappened', { i: 5 }), event('ThingHappened', { i: 6 })], {
            expectedRevision: 4,
          });
        },
        onError: reject,
      });
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a dropped subscription is resumed from the last delivered position after a back-off, each attempt reported', async () => {
    const server = new FakeKurrentServer({ recognisesRetries: true, noise: false });
    const client = new FakeKurrentClient(server, {
      honourFilter: true,
      subscriptionStartInclusive: false,
      emitsCaughtUp: true,
    });
    const store = new KurrentDbEventStore({
      client,
      streamPrefixes: SERVED,
      resubscribe: { firstDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 10_000 },
    });
    await seedOurs(store, 3);
    client.failNext('subscribeToAll', convertToCommandError(serviceError(14, 'Connection dropped')));
    client.failNext('subscribeToAll', convertToCommandError(serviceError(14, 'Connection dropped')));
    const retries: SubscriptionRetry[] = [];
    const errors: unknown[] = [];
    const seen: number[] = [];
    const started = Date.now();
    const subscription = await new Promise<Subscription>((resolve) => {
      const running: Subscription = store.subscribeToAll({
        after: null,
        handle: (batch) => {
          seen.push(...batch.map((e) => e.data.i as number));
        },
        onRetry: (retry) => retries.push(retry),
        onError: (error) => errors.push(error),
        onCaughtUp: () => resolve(running),
      });
    });
    await subscription.stop();
    expect(seen).toEqual([0, 1, 2]);
    expect(errors).toEqual([]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries[0]?.error).toMatchObject(unavailableError());
    // Jittered between half and all of each capped step: 20 ms, then 40 ms.
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(10);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(20);
    expect(retries[1]?.delayMs).toBeGreaterThanOrEqual(20);
    expect(retries[1]?.delayMs).toBeLessThanOrEqual(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(client.callsTo('subscribeToAll')).toHaveLength(3);
    expect(client.subscriptions.every((s) => s.destroyed)).toBe(true);
  });

  it('a subscription that cannot be resumed within the give-up time reaches onError once, as a port error', async () => {
    const server = new FakeKurrentServer({ recognisesRetries: true, noise: false });
    const client = new FakeKurrentClient(server, {
      honourFilter: true,
      subscriptionStartInclusive: false,
      emitsCaughtUp: true,
    });
    const store = new KurrentDbEventStore({
      client,
      streamPrefixes: SERVED,
      resubscribe: { firstDelayMs: 5, maxDelayMs: 10, giveUpAfterMs: 100 },
    });
    await seedOurs(store, 3);
    for (let i = 0; i < 100; i++) {
      client.failNext('subscribeToAll', convertToCommandError(serviceError(14, 'Connection dropped')));
    }
    const retries: SubscriptionRetry[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      store.subscribeToAll({
        after: null,
        handle: () => undefined,
        onRetry: (retry) => retries.push(retry),
        onError: (error) => {
          errors.push(error);
          resolve();
        },
      });
    });
    await wait(20);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      ...unavailableError(),
      message: expect.stringMatching(/could not be resumed for \d+ ms/),
    });
    expect(retries.length).toBeGreaterThan(3);
    expect(retries.every((r) => r.delayMs <= 10)).toBe(true);
    expect(client.subscriptions.every((s) => s.destroyed)).toBe(true);
  });

  it("a handler's error reaches onError as it is, and nothing more is delivered", async () => {
    const { store } = setup();
    await seedOurs(store, 50);
    const failure = new Error('projection failed');
    let batches = 0;
    const error = await new Promise<unknown>((resolve) => {
      store.subscribeToAll({
        after: null,
        batchSize: 5,
        handle: () => {
          batches += 1;
          throw failure;
        },
        onError: resolve,
      });
    });
    await wait(20);
    expect(error).toBe(failure);
    expect(batches).toBe(1);
  });

  it('stop() waits for the batch in flight, unsubscribes, and close() stops every subscription', async () => {
    const { client, store } = setup();
    await seedOurs(store, 50);
    let finished = false;
    let started!: () => void;
    const firstBatch = new Promise<void>((resolve) => (started = resolve));
    const subscription = store.subscribeToAll({
      after: null,
      batchSize: 5,
      handle: async () => {
        started();
        await wait(30);
        finished = true;
      },
    });
    await firstBatch;
    await subscription.stop();
    expect(finished).toBe(true);
    expect(client.subscriptions[0]?.unsubscribed).toBe(true);
    const other = store.subscribeToAll({ after: null, handle: () => wait(1) });
    await store.close();
    expect(client.subscriptions[1]?.unsubscribed).toBe(true);
    expect(client.disposed).toBe(true);
    await other.stop();
  });
});

function unavailableError(): Record<string, unknown> {
  return { code: 'UNAVAILABLE', name: 'StoreUnavailableError' };
}

/*
 * The whole contract suite over the simulated server, with the server's filter off, system and foreign
 * events interleaved, an inclusive subscription start and exact-revision retries answered as conflicts:
 * the adapter's own filtering, paging, exclusivity and retry recognition carry every test. This checks
 * the adapter's logic, not KurrentDB: `kurrentdb-stand-in.spec.ts` runs the same suite through the real
 * client against the wire-level stand-in, and `kurrentdb.spec.ts` against a real server.
 */
describe('KurrentDB adapter over a simulated server', () => {
  const server = new FakeKurrentServer({ recognisesRetries: false, noise: true });
  const open = (): Promise<EventStore> =>
    Promise.resolve(
      new KurrentDbEventStore({
        streamPrefixes: SERVED,
        client: new FakeKurrentClient(server, {
          honourFilter: false,
          subscriptionStartInclusive: true,
          emitsCaughtUp: true,
        }),
      }),
    );
  eventStoreContract('KurrentDB adapter (simulated server)', () => ({
    category: 'oppdrag',
    open,
    reopen: open,
    dispose: () => Promise.resolve(),
  }));
});
