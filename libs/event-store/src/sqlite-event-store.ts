import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  CheckpointBeyondHeadError,
  EventStoreError,
  InvalidAppendError,
  StoreBusyError,
  StoreUnavailableError,
  UnreadableEventError,
  WrongExpectedRevisionError,
} from './errors.js';
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
  type ScanByStreamOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreHealth,
  type SubscribeOptions,
  type Subscription,
} from './port.js';
import {
  WRITER_THREAD_SOURCE,
  configureConnection,
  createWriter,
  decodeOutcome,
  encodeGroup,
  type EncodedOutcomes,
  type FromWriter,
  type GroupResult,
  type ToWriter,
  type WriteOutcome,
  type WriteRequest,
  type WriterThreadData,
} from './sqlite-writer.js';
import {
  reusedIdsMessage,
  serialiseAppend,
  validateExpectedRevision,
  validateStreamId,
} from './validation.js';

export interface SqliteEventStoreOptions {
  /** The database file, or `:memory:` for a store that lives as long as the process. */
  readonly path: string;
  /** How often a live subscription looks for events appended by other processes (ms). */
  readonly pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before giving up (ms). */
  readonly busyTimeoutMs?: number;
}

interface PendingAppend extends WriteRequest {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** A stored row as read in raw mode, in the order of {@link COLUMNS}. */
type EventRow = [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL CHECK (revision >= 0),
  event_id    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
-- Event ids are unique within a stream (the port's idempotency promise); files made before that had
-- them unique in the whole store, under another index.
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_event_id ON events (stream_id, event_id);
DROP INDEX IF EXISTS events_event_id;
CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO store_info (key, value) VALUES ('schema_version', '1');
`;

/** Whether a file holds the whole current schema, so that opening it needs no write (and no write lock). */
const SCHEMA_CURRENT = `SELECT
  (SELECT count(*) FROM sqlite_master WHERE type = 'index'
     AND name IN ('events_stream_revision', 'events_stream_event_id')) = 2
  AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'events_event_id')
  AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_info')`;

/** After this many writer threads in a row stopped without committing anything, the store has failed. */
const WRITER_CRASHES_BEFORE_FAILED = 3;

/**
 * The embedded event store: one SQLite file in WAL mode. An append is one transaction, durable when it
 * returns (synchronous=FULL), and appends arriving together share one commit; the unique index on
 * (stream, revision) enforces optimistic concurrency in the database itself, so it holds across
 * processes sharing the file.
 *
 * Commits run on a worker thread with a connection of their own (see `sqlite-writer.ts`): while one group
 * is being committed and fsynced, or waits for another process's write lock, the appends that arrive
 * form the next group, and this thread goes on reading (WAL readers are not blocked by a writer) and
 * answering. A `:memory:` store, which only its own connection can see, commits on this thread.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writer: GroupWriter;
  private readonly busyTimeoutMs: number;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** Groups handed to the writer and not answered yet. */
  private inFlight = 0;
  /** Called when nothing is pending or being committed (see {@link drain}). */
  private readonly idleWaiters: Array<() => void> = [];
  private writeFailure: { reason: string; since: string } | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly pollIntervalMs: number;
  private closing: Promise<void> | null = null;
  private closed = false;

  constructor(options: SqliteEventStoreOptions) {
    const memory = options.path === ':memory:';
    if (!memory) mkdirSync(dirname(options.path), { recursive: true });
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    try {
      this.db = new Database(options.path);
      configureConnection(this.db, { busyTimeoutMs: this.busyTimeoutMs });
      // A file that has the schema is opened without writing, so that another process holding the write
      // lock does not hold up the start.
      if (!this.db.prepare<[], number>(SCHEMA_CURRENT).pluck(true).get()) this.db.exec(SCHEMA);
    } catch (error) {
      throw new StoreUnavailableError(
        `cannot open the event store at ${options.path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.writer = memory
      ? new SameThreadWriter(this.db)
      : new WriterThread({
          path: options.path,
          busyTimeoutMs: this.busyTimeoutMs,
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        });
    this.statements = {
      // Reads return rows as arrays (better-sqlite3's raw mode), which is cheaper than an object per row.
      readStream: this.db
        .prepare<[string, number, number, string, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? AND revision <= ? AND recorded_at <= ?
           ORDER BY revision LIMIT ?`,
        )
        .raw(true),
      // The common read (a whole stream, no instant, the default bound): a constant LIMIT, because
      // binding the LIMIT as a parameter made each call about 20 µs slower here.
      readWholeStream: this.db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? AND revision <= ?
           ORDER BY revision LIMIT ${MAX_READ_COUNT}`,
        )
        .raw(true),
      readAll: this.db
        .prepare<[number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
        )
        .raw(true),
      // Stream by stream through the (stream_id, revision) index, from after the last row of a batch.
      scanByStreamFirst: this.db
        .prepare<[number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE position <= ? ORDER BY stream_id, revision LIMIT ?`,
        )
        .raw(true),
      scanByStreamNext: this.db
        .prepare<[string, number, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE (stream_id, revision) > (?, ?) AND position <= ?
           ORDER BY stream_id, revision LIMIT ?`,
        )
        .raw(true),
      head: this.db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events'),
    };
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    try {
      this.assertOpen();
      const stream = validateStreamId(streamId);
      const expected = validateExpectedRevision(options?.expectedRevision);
      const serialised = serialiseAppend(events);
      return new Promise<AppendResult>((resolve, reject) => {
        this.pending.push({ streamId: stream, events: serialised, expected, resolve, reject });
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => {
            this.flushScheduled = false;
            this.flush();
          });
        }
      });
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  /**
   * Group commit: hands the appends of this turn of the event loop to the writer, which commits
   * everything that reached it while it was busy in one transaction made durable by one fsync; each
   * caller's promise settles only after that commit. Groups are committed in the order they are handed
   * over. A group is handed over without waiting for the one before, so that the writer can start the
   * next commit as soon as it has answered the last. (Handing over the first appends of a burst early,
   * to overlap deciding with committing, made more, smaller commits: slower where fsync is the cost.)
   */
  private flush(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    this.inFlight += 1;
    this.writer.commit(group.map(({ streamId, events, expected }) => ({ streamId, events, expected }))).then(
      (result) => this.settleGroup(group, result),
      (error: unknown) => this.settleGroup(group, translate(error)),
    );
  }

  private settleGroup(group: readonly PendingAppend[], result: GroupResult | Error): void {
    this.inFlight -= 1;
    if (!(result instanceof Error) && result.ok) {
      this.writeFailure = null;
      for (let i = 0; i < group.length; i++) settle(group[i] as PendingAppend, result.outcomes[i]);
      this.wakeSubscriptions();
    } else {
      const error =
        result instanceof Error
          ? result
          : sqliteError(result.failure.code, result.failure.message, this.busyTimeoutMs);
      this.writeFailure = {
        reason: error.message,
        since: this.writeFailure?.since ?? new Date().toISOString(),
      };
      for (const append of group) append.reject(error);
    }
    if (this.inFlight === 0 && this.pending.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once every append made so far has been committed or refused. */
  private async drain(): Promise<void> {
    while (this.inFlight > 0 || this.pending.length > 0) {
      this.flush();
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    try {
      this.assertOpen();
      const stream = validateStreamId(streamId);
      const toInstant = options.toInstant === undefined ? null : normaliseInstant(options.toInstant);
      const maxCount = boundedCount(options.maxCount, MAX_READ_COUNT);
      const fromRevision = options.fromRevision ?? 0;
      const toRevision = options.toRevision ?? Number.MAX_SAFE_INTEGER;
      const rows =
        toInstant === null && maxCount === MAX_READ_COUNT
          ? this.statements.readWholeStream.all(stream, fromRevision, toRevision)
          : this.statements.readStream.all(
              stream,
              fromRevision,
              toRevision,
              toInstant ?? '9999-12-31T23:59:59.999Z',
              maxCount,
            );
      return Promise.resolve(rows.map(toRecorded));
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    try {
      this.assertOpen();
      return Promise.resolve(this.readAllSync(options.after ?? null, boundedCount(options.maxCount, 1000)));
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  async scanByStream(options: ScanByStreamOptions): Promise<void> {
    this.assertOpen();
    const batchSize = boundedCount(options.batchSize, 5000);
    const upTo = Number(options.upTo.commit);
    let last: EventRow | undefined;
    while (!options.stopped?.()) {
      let rows: EventRow[];
      try {
        rows =
          last === undefined
            ? this.statements.scanByStreamFirst.all(upTo, batchSize)
            : this.statements.scanByStreamNext.all(last[1], last[2], upTo, batchSize);
      } catch (error) {
        throw translate(error);
      }
      if (rows.length === 0) return;
      last = rows[rows.length - 1];
      const events: RecordedEvent[] = [];
      for (const row of rows) {
        try {
          events.push(toRecorded(row));
        } catch (error) {
          if (!(error instanceof UnreadableEventError)) throw error;
          options.onUnreadable(error);
        }
      }
      await options.handle(events);
    }
  }

  headPosition(): Promise<Position | null> {
    try {
      this.assertOpen();
      const head = this.statements.head.get()?.position ?? null;
      return Promise.resolve(head === null ? null : positionOf(head));
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const batchSize = boundedCount(options.batchSize, 5000);
    let stopped = false;
    let wake: (() => void) | null = null;
    const run = async (): Promise<void> => {
      let checkpoint = options.after;
      if (checkpoint !== null) {
        const head = this.statements.head.get()?.position ?? null;
        const last = head === null ? null : positionOf(head);
        if (comparePositions(checkpoint, last) > 0) throw new CheckpointBeyondHeadError(checkpoint, last);
      }
      let reportedCaughtUp = false;
      while (!stopped) {
        const batch = this.readAllSync(checkpoint, batchSize);
        if (batch.length > 0) {
          reportedCaughtUp = false;
          await options.handle(batch);
          checkpoint = (batch[batch.length - 1] as RecordedEvent).position;
          continue;
        }
        if (!reportedCaughtUp) {
          options.onCaughtUp?.(checkpoint);
          reportedCaughtUp = true;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, this.pollIntervalMs);
          function done(): void {
            clearTimeout(timer);
            resolve();
          }
          wake = done;
          this.waiters.add(done);
        });
        if (wake) this.waiters.delete(wake);
        wake = null;
      }
    };
    const running = run().catch((error: unknown) => {
      stopped = true;
      if (options.onError) options.onError(error);
    });
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        wake?.();
        await running;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      await this.drain();
      this.closed = true;
      try {
        await this.writer.close();
      } finally {
        this.db.close();
      }
    })();
    return this.closing;
  }

  /**
   * Whether appends are being stored. `failing` after a commit failed (another process held the write
   * lock past the busy timeout, the disk was full, the writer thread stopped): the next append tries
   * again, and the first that is stored clears it. `failed` when the writer thread stopped again and again
   * without storing anything: the process should be restarted.
   */
  health(): StoreHealth {
    if (this.writer.crashedInARow() >= WRITER_CRASHES_BEFORE_FAILED) {
      return {
        writes: 'failed',
        reason: this.writeFailure?.reason ?? 'the writer thread keeps stopping',
        since: this.writeFailure?.since ?? new Date().toISOString(),
      };
    }
    if (this.writeFailure) return { writes: 'failing', ...this.writeFailure };
    return { writes: 'ok' };
  }

  /** Runs `PRAGMA integrity_check`; used by recovery tests and the `doctor` command. */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /**
   * Events after `after` in order. An event that cannot be decoded ends the batch before it, and is raised
   * only when it comes first, so that everything stored before it is delivered (see
   * {@link UnreadableEventError}).
   */
  private readAllSync(after: Position | null, maxCount: number): RecordedEvent[] {
    const rows = this.statements.readAll.all(after === null ? 0 : Number(after.commit), maxCount);
    const events: RecordedEvent[] = [];
    for (const row of rows) {
      try {
        events.push(toRecorded(row));
      } catch (error) {
        if (events.length === 0) throw error;
        break;
      }
    }
    return events;
  }

  private wakeSubscriptions(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

function positionOf(sequence: number): Position {
  const value = BigInt(sequence);
  return { commit: value, prepare: value };
}

function toRecorded(row: EventRow): RecordedEvent {
  let data: Record<string, unknown>;
  let metadata: EventMetadata;
  try {
    data = JSON.parse(row[5]) as Record<string, unknown>;
    metadata = JSON.parse(row[6]) as EventMetadata;
  } catch (error) {
    throw new UnreadableEventError(
      { id: row[3], streamId: row[1], type: row[4], position: positionOf(row[0]) },
      'its payload is not JSON',
      { cause: error },
    );
  }
  return {
    id: row[3],
    streamId: row[1],
    revision: row[2],
    position: positionOf(row[0]),
    type: row[4],
    data,
    metadata,
    recordedAt: row[7],
  };
}

function boundedCount(requested: number | undefined, fallback: number): number {
  if (requested === undefined) return fallback;
  if (!Number.isInteger(requested) || requested < 1)
    throw new InvalidAppendError('maxCount', 'must be a whole number from 1');
  return Math.min(requested, MAX_READ_COUNT);
}

function normaliseInstant(text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new InvalidAppendError('toInstant', `"${text}" is not an ISO instant`);
  return new Date(ms).toISOString();
}

/**
 * Whether a thrown value is an error. `instanceof Error` does not do: better-sqlite3's errors inherit from
 * the Error of the context that loaded the addon first, which need not be this one (vm contexts, as in
 * test runners); they are no native errors either, so anything with a string name and message counts.
 */
function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { name, message } = value as { name?: unknown; message?: unknown };
  return typeof name === 'string' && typeof message === 'string';
}

/** The port's answer to one append of a committed group. */
function settle(append: PendingAppend, outcome: WriteOutcome | undefined): void {
  if (!outcome) {
    append.reject(new StoreUnavailableError('the event store writer gave no answer for an append'));
  } else if (outcome.ok) {
    const position = positionOf(outcome.position);
    append.resolve(
      outcome.repeated
        ? { nextExpectedRevision: outcome.nextExpectedRevision, position, repeated: true }
        : { nextExpectedRevision: outcome.nextExpectedRevision, position },
    );
  } else {
    const refusal = outcome.refusal;
    if (refusal.kind === 'conflict') {
      append.reject(new WrongExpectedRevisionError(append.streamId, append.expected, refusal.actual));
    } else if (refusal.kind === 'reused-ids') {
      append.reject(new InvalidAppendError('events.id', reusedIdsMessage(append.streamId)));
    } else {
      append.reject(sqliteError(refusal.code, refusal.message));
    }
  }
}

/** A SQLite error as the port's error; `busyTimeoutMs` says how long the writer waited for the lock. */
function sqliteError(code: string, message: string, busyTimeoutMs?: number, cause?: unknown): Error {
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreBusyError(busyTimeoutMs ?? null, { cause: cause ?? message });
  }
  return new StoreUnavailableError(`the event store failed: ${message}`, { cause: cause ?? message });
}

function translate(error: unknown): Error {
  if (error instanceof EventStoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_'))
    return sqliteError(code, (error as Error).message, undefined, error);
  return isError(error) ? error : new Error(String(error));
}

/** Where groups of appends are committed. */
interface GroupWriter {
  /** Commits one group; rejects (with a port error) only when the writer itself stopped. */
  commit(group: readonly WriteRequest[]): Promise<GroupResult>;
  /** How many writer threads in a row stopped without committing anything. */
  crashedInARow(): number;
  close(): Promise<void>;
}

/** Commits on the caller's thread: for a `:memory:` store, which no other connection can see. */
class SameThreadWriter implements GroupWriter {
  private readonly write: (group: readonly WriteRequest[]) => GroupResult;

  constructor(db: Database.Database) {
    this.write = createWriter(db);
  }

  commit(group: readonly WriteRequest[]): Promise<GroupResult> {
    return Promise.resolve(this.write(group));
  }

  crashedInARow(): number {
    return 0;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Commits on a worker thread with its own connection. Groups are sent as they come; the thread commits
 * all that reached it while it was busy in one transaction, and answers each group in order. A thread
 * that stops (an uncaught error, a crash, terminated) fails the groups it had not answered with
 * UNAVAILABLE, saying that they may or may not be stored (a retry with the same event ids is safe: it is
 * recognised), and the next group starts a new thread. The thread is unreferenced while idle, so that an
 * open store does not keep the process alive, and referenced while it commits, so that a commit under way
 * is not cut off.
 */
class WriterThread implements GroupWriter {
  private worker: Worker | null = null;
  private readonly inFlight = new Map<
    number,
    {
      readonly size: number;
      readonly resolve: (result: GroupResult) => void;
      readonly reject: (error: Error) => void;
    }
  >();
  private nextId = 1;
  private crashes = 0;
  private closing = false;

  constructor(private readonly data: WriterThreadData) {}

  commit(group: readonly WriteRequest[]): Promise<GroupResult> {
    return new Promise<GroupResult>((resolve, reject) => {
      if (this.closing) {
        reject(new StoreUnavailableError('the event store is closed'));
        return;
      }
      const worker = this.worker ?? this.start();
      const id = this.nextId++;
      this.inFlight.set(id, { size: group.length, resolve, reject });
      if (this.inFlight.size === 1) worker.ref();
      worker.postMessage({ type: 'write', id, group: encodeGroup(group) } satisfies ToWriter);
    });
  }

  crashedInARow(): number {
    return this.crashes;
  }

  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWriter);
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(WRITER_THREAD_SOURCE, {
      eval: true,
      workerData: this.data,
      name: 'event-store-writer',
    });
    worker.unref();
    worker.on('message', (message: FromWriter) => {
      if (message.type !== 'written') return;
      let offset = 0;
      for (const id of message.ids) {
        const waiting = this.inFlight.get(id);
        if (!waiting) continue;
        this.inFlight.delete(id);
        waiting.resolve(
          message.outcomes
            ? { ok: true, outcomes: groupOutcomes(message.outcomes, offset, waiting.size) }
            : { ok: false, failure: message.failure ?? { code: '', message: 'the writer gave no reason' } },
        );
        offset += waiting.size;
      }
      this.crashes = 0;
      if (this.inFlight.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`it exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private stopped(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.closing) return;
    this.crashes += 1;
    const waiting = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const group of waiting) {
      group.reject(
        new StoreUnavailableError(
          `the event store writer stopped while committing (${error.message}): the appends may or may not be stored; send them again with the same event ids`,
          { cause: error },
        ),
      );
    }
  }
}

/** The outcomes of `size` appends from `offset` of outcomes packed by the writer thread. */
function groupOutcomes(packed: EncodedOutcomes, offset: number, size: number): WriteOutcome[] {
  const outcomes: WriteOutcome[] = [];
  for (let i = 0; i < size; i++) {
    const outcome = decodeOutcome(packed, offset + i);
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}
