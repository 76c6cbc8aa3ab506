import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as StreamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import type * as StreamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js';
import type * as SharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import type * as StatusPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js';
import type * as FeaturesPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js';
import type * as FeaturesGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

/*
 * A wire-level stand-in of one insecure KurrentDB node, for tests: a gRPC server built on the generated
 * service code that `@kurrent/kurrentdb-client` ships, so that the real client (its grpc-js transport for
 * appends and subscriptions, its Rust bridge for reads) talks to it as to a server. Its append rules are
 * KurrentDB's (`IndexWriter.CheckCommit`): an exact expected revision below the head is checked event by
 * event for a retry, one equal to the head writes, `any` recognises a retry only from a cache of recent
 * writes that a restart empties; a recognised retry is answered as the first append was, its revision and
 * position, with nothing to tell it from a write (`StorageWriterService.VerifyCommitChecks` replies
 * AlreadyCommitted, `Streams.Append` turns it into the same Success). It keeps its log in memory and has
 * no replication, leader election, storage, TLS or authentication.
 *
 * The generated code is CommonJS that Node loads here directly (outside Jest's module registry), the way
 * the client loads it; the client version is pinned exactly in package.json because this file depends on
 * that code.
 */
const require = createRequire(import.meta.url);
const GENERATED = '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1';
// The client's own copy of grpc-js, so that the server and the client agree on the wire protocol version.
const grpc = require(
  require.resolve('@grpc/grpc-js', { paths: [require.resolve('@kurrent/kurrentdb-client')] }),
) as typeof GrpcJs;
const streamsPb = require(`${GENERATED}/streams_pb`) as typeof StreamsPb;
const streamsGrpc = require(`${GENERATED}/streams_grpc_pb`) as typeof StreamsGrpc;
const sharedPb = require(`${GENERATED}/shared_pb`) as typeof SharedPb;
const statusPb = require(`${GENERATED}/status_pb`) as typeof StatusPb;
const featuresPb = require(`${GENERATED}/serverfeatures_pb`) as typeof FeaturesPb;
const featuresGrpc = require(`${GENERATED}/serverfeatures_grpc_pb`) as typeof FeaturesGrpc;
const anyPb = require('google-protobuf/google/protobuf/any_pb') as typeof AnyPb;
const emptyPb = require('google-protobuf/google/protobuf/empty_pb') as typeof EmptyPb;

type ReadReq = StreamsPb.ReadReq;
type ReadResp = StreamsPb.ReadResp;
type Status = GrpcJs.status;

/** One event as the stand-in stores it. */
export interface StandInEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the epoch, as KurrentDB sends `created`. */
  readonly created: bigint;
}

/**
 * How the stand-in refuses the next append, each as KurrentDB answers it (see its `RpcExceptions` and
 * `Status` in the server's gRPC transport).
 */
export type Refusal =
  | 'not-leader'
  | 'unavailable'
  | 'busy'
  | 'bad-request'
  | 'access-denied'
  | 'maximum-append-size'
  | 'maximum-event-size'
  | 'timeout';

/** The methods it advertises, as a 24.x node does; the client appends through batchAppend when listed. */
const SERVED_METHODS: ReadonlyArray<[service: string, method: string, features: string[]]> = [
  ['event_store.client.streams.streams', 'read', ['all', 'stream', 'position', 'events', 'filter']],
  ['event_store.client.streams.streams', 'append', []],
  ['event_store.client.streams.streams', 'batchappend', []],
  ['event_store.client.server_features.serverfeatures', 'getsupportedmethods', []],
];

const TICKS_PER_MS = 10_000n;
const EPOCH_TICKS = 621_355_968_000_000_000n;
/** Bytes of log a record takes besides its payload, so that positions grow as a real log's do. */
const RECORD_OVERHEAD = 120n;

interface LiveSubscription {
  readonly call: GrpcJs.ServerWritableStream<ReadReq, ReadResp>;
  readonly matches: (event: StandInEvent) => boolean;
  readonly structuredIds: boolean;
  /** Position of the last event considered (sent or filtered out). */
  cursor: bigint;
  live: boolean;
}

export class KurrentDbStandIn {
  /** Everything stored, in log order. Survives {@link restart}, not {@link truncate}. */
  readonly log: StandInEvent[] = [];
  private readonly streams = new Map<string, StandInEvent[]>();
  /** The server's cache of recently committed event ids (`_committedEvents`): emptied by a restart. */
  private readonly recent = new Map<string, StandInEvent>();
  private readonly subscriptions = new Set<LiveSubscription>();
  private readonly refusals: Refusal[] = [];
  private server: GrpcJs.Server | null = null;
  private nextPosition = 1_000n;
  private answerDelayMs = 0;
  private appendDelayMs = 0;
  private readsHeld = false;
  private subscriptionsHeld = false;
  /** Subscriptions accepted while held: never confirmed, ended by a restart or stop. */
  private readonly heldCalls = new Set<GrpcJs.ServerWritableStream<ReadReq, ReadResp>>();
  private subscriptionsRefused = false;
  /** How many appends (each call or batch) reached the log, refused or not. */
  appendCalls = 0;
  /** How many subscriptions the stand-in has accepted. */
  subscriptionCalls = 0;

  private constructor(private port: number) {}

  /** Starts a node on a free loopback port, with a few system events as a fresh node has. */
  static async start(): Promise<KurrentDbStandIn> {
    const standIn = new KurrentDbStandIn(0);
    await standIn.listen();
    standIn.writeSystemEvent('$settings', '$settings');
    standIn.writeSystemEvent('$scavenges', '$scavengeIndexInitialized');
    return standIn;
  }

  /** `kurrentdb://127.0.0.1:<port>?tls=false`, with any extra settings appended. */
  connectionString(settings = ''): string {
    return `kurrentdb://127.0.0.1:${this.port}?tls=false${settings ? `&${settings}` : ''}`;
  }

  /** The position of the last event in the log (system events included). */
  head(): bigint | null {
    return this.log.at(-1)?.position ?? null;
  }

  /** Ends every subscription in progress with UNAVAILABLE, as a node does when it steps down or resets. */
  dropSubscriptions(): void {
    for (const subscription of [...this.subscriptions]) {
      this.subscriptions.delete(subscription);
      // grpc-js sends a server stream's 'error' as the call's status, then ends it.
      subscription.call.emit('error', serviceError(grpc.status.UNAVAILABLE, 'Server Is Not Ready'));
    }
  }

  /**
   * Stops the node (every connection reset) and starts it again on the same port: the log stays, the cache
   * of recent writes is gone. `downMs` keeps it down that long.
   */
  async restart(downMs = 0): Promise<void> {
    await this.shutdown();
    this.recent.clear();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.listen();
  }

  /** Keeps only the events at or before `position`, as a node restored from an older backup. */
  truncate(position: bigint | null): void {
    const kept = this.log.filter((event) => position !== null && event.position <= position);
    this.log.length = 0;
    this.log.push(...kept);
    this.streams.clear();
    this.recent.clear();
    for (const event of kept) this.streamOf(event.streamId).push(event);
  }

  /** Refuses the next appends, one refusal each, in order. */
  refuseNextAppends(...refusals: Refusal[]): void {
    this.refusals.push(...refusals);
  }

  /** Refuses new subscriptions with UNAVAILABLE, as a node that is not ready does, or accepts them again. */
  refuseSubscriptions(refused: boolean): void {
    this.subscriptionsRefused = refused;
  }

  /** Delays every answer by this many milliseconds (0 to stop). */
  delayAnswers(ms: number): void {
    this.answerDelayMs = ms;
  }

  /**
   * Delays the writes of appends, and so their answers, by this many milliseconds more (0 to stop); reads
   * answer at once. So does a KurrentDB node whose writes wait: it answers an append only once its commit
   * is replicated and indexed (`RequestManagerBase.AllEventsWritten` waits on the commit source), while
   * its readers answer from what is indexed already.
   */
  delayAppendAnswers(ms: number): void {
    this.appendDelayMs = ms;
  }

  /** Makes reads that are not subscriptions wait for ever (until the caller gives up), or answer again. */
  holdReads(held: boolean): void {
    this.readsHeld = held;
  }

  /**
   * Leaves new subscriptions unanswered (no confirmation, no event, until the caller gives up), or answers
   * them again. Subscriptions already confirmed go on.
   */
  holdSubscriptions(held: boolean): void {
    this.subscriptionsHeld = held;
  }

  /** Stores an event as it is, bypassing the append rules: system events, foreign streams, odd payloads. */
  seed(event: {
    readonly streamId: string;
    readonly type: string;
    readonly data?: Uint8Array | string;
    readonly metadata?: Uint8Array | string;
    readonly contentType?: string;
    readonly id?: string;
  }): StandInEvent {
    const bytes = (value: Uint8Array | string | undefined, fallback: string): Uint8Array =>
      typeof value === 'string' ? Buffer.from(value) : (value ?? Buffer.from(fallback));
    return this.write(event.streamId, [
      {
        id: event.id ?? randomUUID(),
        type: event.type,
        contentType: event.contentType ?? 'application/json',
        data: bytes(event.data, '{}'),
        metadata: bytes(event.metadata, JSON.stringify({ recordedAt: new Date().toISOString() })),
      },
    ]).at(-1) as StandInEvent;
  }

  async stop(): Promise<void> {
    await this.shutdown();
  }

  private writeSystemEvent(streamId: string, type: string): void {
    this.seed({ streamId, type, metadata: '' });
  }

  private async listen(): Promise<void> {
    const server = new grpc.Server();
    server.addService(streamsGrpc.StreamsService, {
      read: (call: GrpcJs.ServerWritableStream<ReadReq, ReadResp>) => this.read(call),
      append: (
        call: GrpcJs.ServerReadableStream<StreamsPb.AppendReq, StreamsPb.AppendResp>,
        callback: GrpcJs.sendUnaryData<StreamsPb.AppendResp>,
      ) => this.append(call, callback),
      batchAppend: (call: GrpcJs.ServerDuplexStream<StreamsPb.BatchAppendReq, StreamsPb.BatchAppendResp>) =>
        this.batchAppend(call),
    });
    server.addService(featuresGrpc.ServerFeaturesService, {
      getSupportedMethods: (
        _call: GrpcJs.ServerUnaryCall<SharedPb.Empty, FeaturesPb.SupportedMethods>,
        callback: GrpcJs.sendUnaryData<FeaturesPb.SupportedMethods>,
      ) => {
        const methods = new featuresPb.SupportedMethods();
        methods.setEventStoreServerVersion('24.10.0');
        methods.setMethodsList(
          SERVED_METHODS.map(([service, method, features]) => {
            const supported = new featuresPb.SupportedMethod();
            supported.setServiceName(service);
            supported.setMethodName(method);
            supported.setFeaturesList(features);
            return supported;
          }),
        );
        callback(null, methods);
      },
    });
    this.port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${this.port}`, grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      );
    });
    this.server = server;
  }

  private async shutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const subscription of this.subscriptions) subscription.call.destroy();
    this.subscriptions.clear();
    for (const call of this.heldCalls) call.destroy();
    this.heldCalls.clear();
    server.forceShutdown();
    // Let the transport close its sockets before the port is bound again.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async delay(append = false): Promise<void> {
    const ms = this.answerDelayMs + (append ? this.appendDelayMs : 0);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  // ---- appends ----------------------------------------------------------------------------------------

  private append(
    call: GrpcJs.ServerReadableStream<StreamsPb.AppendReq, StreamsPb.AppendResp>,
    callback: GrpcJs.sendUnaryData<StreamsPb.AppendResp>,
  ): void {
    let options: StreamsPb.AppendReq.Options | undefined;
    const proposed: Proposed[] = [];
    call.on('data', (request: StreamsPb.AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      const message = request.getProposedMessage();
      if (message) proposed.push(fromProposed(message));
    });
    call.on('end', () => {
      void (async () => {
        await this.delay(true);
        if (!options) return callback(serviceError(grpc.status.INVALID_ARGUMENT, 'no options'));
        const stream = Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString();
        const expected = fromAppendOptions(options);
        this.appendCalls += 1;
        const refusal = this.refusals.shift();
        if (refusal) return callback(rpcRefusal(refusal, this.port));
        const outcome = this.commit(stream, expected, proposed);
        const response = new streamsPb.AppendResp();
        if (outcome.kind === 'wrong-expected-version') {
          const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
          if (expected === ANY) wrong.setExpectedAny(new sharedPb.Empty());
          else if (expected === NO_STREAM) wrong.setExpectedNoStream(new sharedPb.Empty());
          else wrong.setExpectedRevision(expected.toString());
          if (outcome.current < 0n) wrong.setCurrentNoStream(new sharedPb.Empty());
          else wrong.setCurrentRevision(outcome.current.toString());
          response.setWrongExpectedVersion(wrong);
        } else {
          const success = new streamsPb.AppendResp.Success();
          success.setCurrentRevision(outcome.revision.toString());
          const position = new streamsPb.AppendResp.Position();
          position.setCommitPosition(outcome.position.toString());
          position.setPreparePosition(outcome.position.toString());
          success.setPosition(position);
          response.setSuccess(success);
        }
        callback(null, response);
      })();
    });
  }

  private batchAppend(
    call: GrpcJs.ServerDuplexStream<StreamsPb.BatchAppendReq, StreamsPb.BatchAppendResp>,
  ): void {
    const pending = new Map<string, { options: StreamsPb.BatchAppendReq.Options; proposed: Proposed[] }>();
    call.on('data', (request: StreamsPb.BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = correlation ? uuidText(correlation) : '';
      const options = request.getOptions();
      if (options) pending.set(key, { options, proposed: [] });
      const write = pending.get(key);
      if (!write) return;
      write.proposed.push(...request.getProposedMessagesList().map(fromProposed));
      if (!request.getIsFinal()) return;
      pending.delete(key);
      void (async () => {
        await this.delay(true);
        const identifier = write.options.getStreamIdentifier();
        const stream = Buffer.from(identifier?.getStreamName_asU8() ?? []).toString();
        const response = new streamsPb.BatchAppendResp();
        if (correlation) response.setCorrelationId(correlation);
        if (identifier) response.setStreamIdentifier(identifier);
        this.appendCalls += 1;
        const refusal = this.refusals.shift();
        if (refusal === 'not-leader' || refusal === 'unavailable') {
          // A node that is not (or no longer) the leader fails the whole call, as the server's
          // `ConvertMessage` throws for NotHandled/NotLeader.
          call.emit('error', rpcRefusal(refusal, this.port));
          return;
        }
        if (refusal) {
          response.setError(batchRefusal(refusal));
          call.write(response);
          return;
        }
        const expected = fromBatchOptions(write.options);
        const outcome = this.commit(stream, expected, write.proposed);
        if (outcome.kind === 'wrong-expected-version') {
          response.setError(wrongExpectedVersionStatus(outcome.current, expected));
        } else {
          const success = new streamsPb.BatchAppendResp.Success();
          success.setCurrentRevision(outcome.revision.toString());
          const position = new sharedPb.AllStreamPosition();
          position.setCommitPosition(outcome.position.toString());
          position.setPreparePosition(outcome.position.toString());
          success.setPosition(position);
          response.setSuccess(success);
        }
        call.write(response);
      })();
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  /** KurrentDB's commit check (`IndexWriter.CheckCommit`), then the write. */
  private commit(
    stream: string,
    expected: Expected,
    proposed: readonly Proposed[],
  ):
    | { kind: 'written' | 'idempotent'; revision: bigint; position: bigint }
    | { kind: 'wrong-expected-version'; current: bigint } {
    const events = this.streams.get(stream) ?? [];
    const current = BigInt(events.length) - 1n;
    const wrong = { kind: 'wrong-expected-version' as const, current };
    const written = (): { kind: 'written'; revision: bigint; position: bigint } => {
      const stored = this.write(stream, proposed);
      const last = stored.at(-1) as StandInEvent;
      return { kind: 'written', revision: last.revision, position: last.position };
    };
    if (expected === ANY) {
      // Weak check: only the cache of recent writes is consulted.
      let found: StandInEvent | null = null;
      for (const [index, event] of proposed.entries()) {
        const cached = this.recent.get(event.id);
        if (cached && cached.streamId === stream) {
          found = cached;
          continue;
        }
        if (index > 0) return wrong; // CorruptedIdempotency answers as a consistency check failure
        return written();
      }
      if (found) return { kind: 'idempotent', revision: found.revision, position: found.position };
      return written();
    }
    const expectedRevision = expected === NO_STREAM ? -1n : expected;
    if (expectedRevision < current) {
      let revision = expectedRevision;
      let last: StandInEvent | undefined;
      for (const [index, event] of proposed.entries()) {
        revision += 1n;
        const stored = events[Number(revision)];
        if (stored && stored.id === event.id) {
          last = stored;
          continue;
        }
        if (index > 0) return wrong;
        return wrong;
      }
      if (!last) return wrong;
      return { kind: 'idempotent', revision: last.revision, position: last.position };
    }
    if (expectedRevision > current) return wrong;
    return written();
  }

  private write(stream: string, proposed: readonly Proposed[]): StandInEvent[] {
    const events = this.streamOf(stream);
    const created = BigInt(Date.now()) * TICKS_PER_MS + EPOCH_TICKS;
    const stored: StandInEvent[] = [];
    for (const event of proposed) {
      const record: StandInEvent = {
        streamId: stream,
        id: event.id,
        revision: BigInt(events.length),
        position: this.nextPosition,
        type: event.type,
        contentType: event.contentType,
        data: event.data,
        metadata: event.metadata,
        created,
      };
      this.nextPosition += RECORD_OVERHEAD + BigInt(event.data.length + event.metadata.length);
      events.push(record);
      this.log.push(record);
      this.recent.set(record.id, record);
      stored.push(record);
    }
    for (const subscription of this.subscriptions) this.pump(subscription);
    return stored;
  }

  private streamOf(stream: string): StandInEvent[] {
    let events = this.streams.get(stream);
    if (!events) {
      events = [];
      this.streams.set(stream, events);
    }
    return events;
  }

  // ---- reads and subscriptions ------------------------------------------------------------------------

  private read(call: GrpcJs.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', serviceError(grpc.status.INVALID_ARGUMENT, 'no options'));
      return;
    }
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    if (options.hasSubscription()) {
      this.subscribe(call, options, structuredIds);
      return;
    }
    void (async () => {
      await this.delay();
      if (this.readsHeld) return; // never answered: the caller's deadline, if any, ends the call
      const count = Number(BigInt(options.getCount() || '0'));
      const forwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS;
      if (options.hasStream()) {
        const streamOptions = options.getStream() as StreamsPb.ReadReq.Options.StreamOptions;
        const name = Buffer.from(streamOptions.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString();
        const events = this.streams.get(name);
        if (!events || events.length === 0) {
          const response = new streamsPb.ReadResp();
          const notFound = new streamsPb.ReadResp.StreamNotFound();
          notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
          response.setStreamNotFound(notFound);
          call.write(response);
          call.end();
          return;
        }
        let from: number;
        if (streamOptions.hasStart()) from = forwards ? 0 : -1;
        else if (streamOptions.hasEnd()) from = forwards ? events.length : events.length - 1;
        else from = Number(BigInt(streamOptions.getRevision()));
        const selected = forwards
          ? events.slice(from, from + count)
          : events.slice(Math.max(0, Math.min(from, events.length - 1) - count + 1), from + 1).reverse();
        for (const event of selected) call.write(eventResponse(event, structuredIds));
        call.end();
        return;
      }
      const all = options.getAll() as StreamsPb.ReadReq.Options.AllOptions;
      const matches = filterOf(options);
      const from = all.hasPosition()
        ? BigInt((all.getPosition() as StreamsPb.ReadReq.Options.Position).getCommitPosition())
        : null;
      let sent = 0;
      const ordered = forwards ? this.log : [...this.log].reverse();
      for (const event of ordered) {
        if (sent >= count) break;
        if (from !== null && all.hasPosition()) {
          // Forwards from a position includes it; backwards from a position starts before it.
          if (forwards ? event.position < from : event.position >= from) continue;
        } else if (all.hasEnd() && forwards) break;
        if (!matches(event)) continue;
        call.write(eventResponse(event, structuredIds));
        sent += 1;
      }
      call.end();
    })();
  }

  private subscribe(
    call: GrpcJs.ServerWritableStream<ReadReq, ReadResp>,
    options: StreamsPb.ReadReq.Options,
    structuredIds: boolean,
  ): void {
    if (!options.hasAll()) {
      call.emit('error', serviceError(grpc.status.UNIMPLEMENTED, 'the stand-in subscribes to $all only'));
      return;
    }
    this.subscriptionCalls += 1;
    if (this.subscriptionsRefused) {
      call.emit('error', serviceError(grpc.status.UNAVAILABLE, 'Server Is Not Ready'));
      return;
    }
    if (this.subscriptionsHeld) {
      this.heldCalls.add(call);
      const forget = (): void => {
        this.heldCalls.delete(call);
      };
      call.on('cancelled', forget);
      call.on('close', forget);
      return;
    }
    const all = options.getAll() as StreamsPb.ReadReq.Options.AllOptions;
    let cursor: bigint;
    if (all.hasPosition()) {
      cursor = BigInt((all.getPosition() as StreamsPb.ReadReq.Options.Position).getCommitPosition());
    } else if (all.hasEnd()) {
      cursor = this.head() ?? -1n;
    } else {
      cursor = -1n;
    }
    const subscription: LiveSubscription = {
      call,
      matches: filterOf(options),
      structuredIds,
      cursor,
      live: false,
    };
    const confirmation = new streamsPb.ReadResp();
    const confirmed = new streamsPb.ReadResp.SubscriptionConfirmation();
    confirmed.setSubscriptionId(randomUUID());
    confirmation.setConfirmation(confirmed);
    call.write(confirmation);
    this.subscriptions.add(subscription);
    const forget = (): void => {
      this.subscriptions.delete(subscription);
    };
    call.on('cancelled', forget);
    call.on('close', forget);
    call.on('error', forget);
    this.pump(subscription);
  }

  /** Sends a subscription every event after its cursor (a subscription's start is exclusive). */
  private pump(subscription: LiveSubscription): void {
    if (!this.subscriptions.has(subscription)) return;
    for (const event of this.log) {
      if (event.position <= subscription.cursor) continue;
      subscription.cursor = event.position;
      if (subscription.matches(event))
        subscription.call.write(eventResponse(event, subscription.structuredIds));
    }
    if (!subscription.live) {
      subscription.live = true;
      const response = new streamsPb.ReadResp();
      response.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
      subscription.call.write(response);
    }
  }
}

// ---- wire helpers ---------------------------------------------------------------------------------------

const ANY = 'any' as const;
const NO_STREAM = 'no_stream' as const;
type Expected = bigint | typeof ANY | typeof NO_STREAM;

interface Proposed {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

function fromProposed(
  message: StreamsPb.AppendReq.ProposedMessage | StreamsPb.BatchAppendReq.ProposedMessage,
): Proposed {
  const metadata = message.getMetadataMap();
  const id = message.getId();
  return {
    id: id ? uuidText(id) : randomUUID(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function fromAppendOptions(options: StreamsPb.AppendReq.Options): Expected {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return NO_STREAM;
  return ANY;
}

function fromBatchOptions(options: StreamsPb.BatchAppendReq.Options): Expected {
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  if (options.hasNoStream()) return NO_STREAM;
  return ANY;
}

function uuidText(uuid: SharedPb.UUID): string {
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured();
  const hex = (bits: string): string => BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0');
  const text =
    hex(structured?.getMostSignificantBits() ?? '0') + hex(structured?.getLeastSignificantBits() ?? '0');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function uuidMessage(id: string, structured: boolean): SharedPb.UUID {
  const uuid = new sharedPb.UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const hex = id.replace(/-/g, '');
  const parts = new sharedPb.UUID.Structured();
  parts.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString());
  parts.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  uuid.setStructured(parts);
  return uuid;
}

function eventResponse(event: StandInEvent, structuredIds: boolean): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(event.id, structuredIds));
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Buffer.from(event.streamId));
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.created.toString());
  recorded.setCustomMetadata(event.metadata);
  recorded.setData(event.data);
  const read = new streamsPb.ReadResp.ReadEvent();
  read.setEvent(recorded);
  read.setCommitPosition(event.position.toString());
  const response = new streamsPb.ReadResp();
  response.setEvent(read);
  return response;
}

function filterOf(options: StreamsPb.ReadReq.Options): (event: StandInEvent) => boolean {
  const filter = options.getFilter();
  if (!filter) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : null;
  return (event) => {
    const subject = onStream ? event.streamId : event.type;
    if (prefixes.length > 0 && !prefixes.some((prefix) => subject.startsWith(prefix))) return false;
    return regex === null || regex.test(subject);
  };
}

function serviceError(
  code: Status,
  details: string,
  metadata: Record<string, string> = {},
): Partial<GrpcJs.StatusObject> & Error {
  const meta = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) meta.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata: meta });
}

/** A refusal as the Append call's status, as `RpcExceptions` builds it. */
function rpcRefusal(refusal: Refusal, port: number): Partial<GrpcJs.StatusObject> & Error {
  switch (refusal) {
    case 'not-leader':
      return serviceError(grpc.status.NOT_FOUND, 'Leader info available', {
        exception: 'not-leader',
        'leader-endpoint-host': '127.0.0.1',
        'leader-endpoint-port': String(port),
      });
    case 'unavailable':
      return serviceError(grpc.status.UNAVAILABLE, 'Server Is Not Ready');
    case 'busy':
      return serviceError(grpc.status.UNAVAILABLE, 'Server Is Too Busy');
    case 'bad-request':
      return serviceError(grpc.status.INVALID_ARGUMENT, 'Invalid Transaction', {
        exception: 'invalid-transaction',
      });
    case 'access-denied':
      return serviceError(grpc.status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' });
    case 'maximum-append-size':
      return serviceError(grpc.status.INVALID_ARGUMENT, 'Maximum Append Size of 1048576 Exceeded.', {
        exception: 'maximum-append-size-exceeded',
        'maximum-append-size': '1048576',
      });
    case 'maximum-event-size':
      return serviceError(
        grpc.status.INVALID_ARGUMENT,
        'Event exceeds Maximum Append Event Size of 1048576.',
        {
          exception: 'maximum-append-event-size-exceeded',
        },
      );
    case 'timeout':
      return serviceError(grpc.status.ABORTED, 'Operation timed out: commit timeout');
  }
}

/** A refusal inside a BatchAppend answer, as the server's `Status` helpers build it. */
function batchRefusal(refusal: Exclude<Refusal, 'not-leader' | 'unavailable'>): StatusPb.Status {
  const status = new statusPb.Status();
  const details = new anyPb.Any();
  switch (refusal) {
    case 'busy':
      status.setCode(13);
      status.setMessage('Server Is Busy');
      details.pack(new emptyPb.Empty().serializeBinary(), 'google.protobuf.Empty');
      break;
    case 'bad-request': {
      const bad = new sharedPb.BadRequest();
      bad.setMessage('Required field StreamIdentifier not set.');
      status.setCode(3);
      status.setMessage('BadRequest');
      details.pack(bad.serializeBinary(), 'event_store.client.BadRequest');
      break;
    }
    case 'access-denied':
      status.setCode(7);
      status.setMessage('AccessDenied');
      details.pack(new sharedPb.AccessDenied().serializeBinary(), 'event_store.client.AccessDenied');
      break;
    case 'maximum-append-size': {
      const size = new sharedPb.MaximumAppendSizeExceeded();
      size.setMaxappendsize(1_048_576);
      status.setCode(3);
      status.setMessage('MaximumAppendSizeExceeded');
      details.pack(size.serializeBinary(), 'event_store.client.MaximumAppendSizeExceeded');
      break;
    }
    case 'maximum-event-size':
      // The client's generated code predates this detail type: it arrives under its name only.
      status.setCode(3);
      status.setMessage('MaximumAppendEventSizeExceeded');
      details.pack(
        new emptyPb.Empty().serializeBinary(),
        'event_store.client.MaximumAppendEventSizeExceeded',
      );
      break;
    case 'timeout':
      status.setCode(4);
      status.setMessage('Timeout');
      details.pack(new sharedPb.Timeout().serializeBinary(), 'event_store.client.Timeout');
      break;
  }
  status.setDetails(details);
  return status;
}

function wrongExpectedVersionStatus(current: bigint, expected: Expected): StatusPb.Status {
  const wrong = new sharedPb.WrongExpectedVersion();
  if (current < 0n) wrong.setCurrentNoStream(new emptyPb.Empty());
  else wrong.setCurrentStreamRevision(current.toString());
  if (expected === ANY) wrong.setExpectedAny(new emptyPb.Empty());
  else if (expected === NO_STREAM) wrong.setExpectedNoStream(new emptyPb.Empty());
  else wrong.setExpectedStreamPosition(expected.toString());
  const details = new anyPb.Any();
  details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  const status = new statusPb.Status();
  status.setCode(6);
  status.setMessage('WrongExpectedVersion');
  status.setDetails(details);
  return status;
}
