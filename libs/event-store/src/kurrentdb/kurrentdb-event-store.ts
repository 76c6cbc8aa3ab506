import { StoreUnavailableError } from '../errors.js';
import {
  MAX_READ_COUNT,
  type AppendResult,
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
import { serialiseAppend, validateExpectedRevision, validateStreamId } from '../validation.js';
import { KurrentDbAppender } from './appending.js';
import { connect, Deadline, DEFAULT_DEADLINE_MS, ServedStreams } from './connection.js';
import { translateKurrentDbError } from './error-mapping.js';
import {
  DEFAULT_RESUBSCRIBE,
  boundedCount,
  instantOption,
  positionOption,
  revisionOption,
  type CommonOptions,
  type KurrentDbClient,
  type KurrentDbEventStoreOptions,
} from './options.js';
import { KurrentDbReader } from './reading.js';
import { KurrentDbSubscriptions } from './subscriptions.js';

export { DEFAULT_DEADLINE_MS } from './connection.js';
export { translateKurrentDbError } from './error-mapping.js';
export {
  DEFAULT_RESUBSCRIBE,
  type CommonOptions,
  type KurrentDbClient,
  type KurrentDbClientOptions,
  type KurrentDbConnectionOptions,
  type KurrentDbEventStoreOptions,
  type ResubscribeSettings,
} from './options.js';

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
 * - a retry whose ids match only in part is refused as a wrong expected version;
 * - a recognised retry is answered as the first append was, its revision and position, which is also
 *   what a new write answers (`StorageWriterService.VerifyCommitChecks` replies AlreadyCommitted, and the
 *   gRPC transport turns it into the same Success): nothing in the answer says that nothing was written.
 * So the adapter looks for the append's ids in the stream before it sends any append (`no_stream`
 * included), and never sends `any` (it appends at the revision it read); it looks again after a wrong
 * expected version. An append the stream holds already answers as the first time, with `repeated`; one
 * that shares only some ids is refused. An attempt of the same append that lands between the look and
 * the write (two attempts racing each other) is answered by the server as if this call had written it,
 * and so without `repeated`, unless the server gives no position (then the adapter knows).
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
  private readonly served: ServedStreams;
  private readonly reader: KurrentDbReader;
  private readonly appender: KurrentDbAppender;
  private readonly subscriptions: KurrentDbSubscriptions;
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    this.served = new ServedStreams(options.streamPrefixes);
    const resubscribe = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
    const deadline = new Deadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    if ('client' in options) {
      this.client = options.client;
      this.ownsClient = options.ownsClient ?? true;
    } else {
      this.client = connect(options.connectionString);
      this.ownsClient = true;
    }
    this.reader = new KurrentDbReader(this.client, deadline, this.served);
    this.appender = new KurrentDbAppender(this.client, deadline, this.reader);
    this.subscriptions = new KurrentDbSubscriptions(
      this.client,
      deadline,
      this.served,
      this.reader,
      resubscribe,
    );
  }

  static fromConnectionString(connectionString: string, options: CommonOptions): KurrentDbEventStore {
    return new KurrentDbEventStore({ ...options, connectionString });
  }

  /** The stream prefixes this store serves. */
  get streamPrefixes(): readonly string[] {
    return this.served.prefixes;
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    const stream = this.served.validate(streamId);
    const expected = validateExpectedRevision(options?.expectedRevision);
    const serialised = serialiseAppend(events);
    try {
      return await this.appender.append(stream, serialised, expected);
    } catch (error) {
      throw translateKurrentDbError(error, { streamId: stream, expected });
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stream = validateStreamId(streamId);
    const range = {
      from: revisionOption('fromRevision', options.fromRevision) ?? 0,
      to: revisionOption('toRevision', options.toRevision) ?? Number.MAX_SAFE_INTEGER,
      toInstant: options.toInstant === undefined ? null : instantOption(options.toInstant),
      maxCount: boundedCount('maxCount', options.maxCount, MAX_READ_COUNT),
    };
    try {
      return await this.reader.readStream(stream, range);
    } catch (error) {
      throw translateKurrentDbError(error, { streamId: stream });
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = positionOption(options.after ?? null);
    const maxCount = boundedCount('maxCount', options.maxCount, 1000);
    try {
      return await this.reader.readAll(after, maxCount);
    } catch (error) {
      throw translateKurrentDbError(error);
    }
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    try {
      return await this.reader.readHead();
    } catch (error) {
      throw translateKurrentDbError(error);
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const batchSize = boundedCount('batchSize', options.batchSize, 5000);
    const after = positionOption(options.after);
    return this.subscriptions.start(options, batchSize, after);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    if (this.ownsClient) await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}
