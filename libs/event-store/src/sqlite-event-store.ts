import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
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
  CHANNEL,
  RECORD_PORT,
  WRITER_THREAD_SOURCE,
  appendBound,
  configureConnection,
  createWriter,
  encodeAppend,
  takeOutcome,
  type GroupFailure,
  type WriteOutcome,
  type Writer,
  type WriterThreadData,
} from './sqlite-writer.js';
import {
  normalInstant,
  reusedIdsMessage,
  serialiseAppend,
  validateExpectedRevision,
  validateStreamId,
  type SerialisedEvent,
} from './validation.js';

export interface SqliteEventStoreOptions {
  /** The database file, or `:memory:` for a store that lives as long as the process. */
  readonly path: string;
  /** How often a live subscription looks for events appended by other processes (ms). */
  readonly pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before giving up (ms). */
  readonly busyTimeoutMs?: number;
}

/** An append waiting for its commit. */
interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly SerialisedEvent[];
  readonly expected: ExpectedRevision;
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
  private readonly writer: AppendWriter;
  private readonly busyTimeoutMs: number;
  private sealScheduled = false;
  private writeFailure: { reason: string; since: string } | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly pollIntervalMs: number;
  private closing: Promise<void> | null = null;
  private closed = false;
  /** The file, for a reader on another thread; undefined for a store in memory. */
  readonly file?: string;

  constructor(options: SqliteEventStoreOptions) {
    const memory = options.path === ':memory:';
    if (!memory) this.file = options.path;
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
    const sink: AppendSink = {
      settle: (append, outcome) => this.answer(append, outcome),
      settled: () => this.wakeSubscriptions(),
    };
    this.writer = memory
      ? new SameThreadWriter(this.db, sink)
      : new WriterThread(
          {
            path: options.path,
            busyTimeoutMs: this.busyTimeoutMs,
            driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          },
          sink,
        );
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
      // The same, within a run of streams (see StreamRange): from a stream id on, and before another.
      scanRangeFirst: this.db
        .prepare<[string, string, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id >= ? AND stream_id < ? AND position <= ?
           ORDER BY stream_id, revision LIMIT ?`,
        )
        .raw(true),
      scanRangeNext: this.db
        .prepare<[string, number, string, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE (stream_id, revision) > (?, ?) AND stream_id < ? AND position <= ?
           ORDER BY stream_id, revision LIMIT ?`,
        )
        .raw(true),
      scanFromFirst: this.db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id >= ? AND position <= ?
           ORDER BY stream_id, revision LIMIT ?`,
        )
        .raw(true),
      // The stream of the n-th event in stream order (walking the index alone), for splitStreams.
      streamAtRank: this.db
        .prepare<[number, number], string>(
          `SELECT stream_id FROM events WHERE position <= ? ORDER BY stream_id LIMIT 1 OFFSET ?`,
        )
        .pluck(true),
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
        this.writer.add({ streamId: stream, events: serialised, expected, resolve, reject });
        if (!this.sealScheduled) {
          this.sealScheduled = true;
          setImmediate(this.sealTurn);
        }
      });
    } catch (error) {
      return Promise.reject(translate(error));
    }
  }

  /**
   * Group commit: the appends of one turn of the event loop are committed together, in one transaction
   * made durable by one fsync (with those of earlier turns that queued while the writer was busy); each
   * caller's promise settles only after that commit. The writer takes each append as it is made, so that
   * it writes while this thread is still deciding the rest of the turn, and commits at the turn's end.
   * (Committing the first appends of a burst early made more, smaller commits: slower where fsync is
   * the cost.)
   */
  private readonly sealTurn = (): void => {
    this.sealScheduled = false;
    this.writer.seal();
  };

  /** Answers one append with its outcome, or with the failure of its whole transaction. */
  private answer(append: PendingAppend, outcome: WriteOutcome | GroupFailure | Error): void {
    if ('ok' in outcome) {
      this.writeFailure = null;
      settle(append, outcome);
      return;
    }
    const error =
      outcome instanceof Error ? outcome : sqliteError(outcome.code, outcome.message, this.busyTimeoutMs);
    this.writeFailure = {
      reason: error.message,
      since: this.writeFailure?.since ?? new Date().toISOString(),
    };
    append.reject(error);
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
    const from = options.streams?.from ?? '';
    const before = options.streams?.before;
    const { scanByStreamFirst, scanByStreamNext, scanRangeFirst, scanRangeNext, scanFromFirst } =
      this.statements;
    const first = (): EventRow[] =>
      before !== undefined
        ? scanRangeFirst.all(from, before, upTo, batchSize)
        : from === ''
          ? scanByStreamFirst.all(upTo, batchSize)
          : scanFromFirst.all(from, upTo, batchSize);
    const next = (after: EventRow): EventRow[] =>
      before !== undefined
        ? scanRangeNext.all(after[1], after[2], before, upTo, batchSize)
        : scanByStreamNext.all(after[1], after[2], upTo, batchSize);
    let last: EventRow | undefined;
    while (!options.stopped?.()) {
      let rows: EventRow[];
      try {
        rows = last === undefined ? first() : next(last);
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

  /**
   * Stream ids at even steps through the events up to `upTo` in stream order: a stream's events all fall
   * on one side of each. Steps are counted by the head's position (the number of events up to it, as
   * positions are not reused), so that no count is needed; each cut walks the (stream, revision) index
   * only, which holds the position too.
   */
  splitStreams(upTo: Position, parts: number): Promise<string[]> {
    try {
      this.assertOpen();
      const events = Number(upTo.commit);
      const cuts: string[] = [];
      // Each cut is after the first stream and after the cut before it, so that no run is empty.
      let previous = this.statements.streamAtRank.get(events, 0);
      for (let k = 1; previous !== undefined && k < Math.floor(parts); k++) {
        const at = this.statements.streamAtRank.get(events, Math.floor((events * k) / parts));
        if (at === undefined) break;
        // Ranks go up, so the ids do in SQLite's order (by UTF-8 bytes, which is not JavaScript's).
        if (at !== previous) cuts.push(at);
        previous = at;
      }
      return Promise.resolve(cuts);
    } catch (error) {
      return Promise.reject(translate(error));
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
      // Every append made so far is committed or refused before the writer goes.
      this.sealTurn();
      await this.writer.idle();
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
  const normal = normalInstant(text);
  if (normal === null) throw new InvalidAppendError('toInstant', `"${text}" is not an ISO instant`);
  return normal;
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

/** Where the store hands its checked appends, and how their answers come back. */
interface AppendSink {
  /** One append's outcome, or the failure of the transaction it was in (a port error if an Error). */
  settle(append: PendingAppend, outcome: WriteOutcome | GroupFailure | Error): void;
  /** Called after a batch of appends was settled. */
  settled(): void;
}

/** Where appends are committed. */
interface AppendWriter {
  /** Takes one append; it is committed with the others of its turn and settled through the sink. */
  add(append: PendingAppend): void;
  /** Ends the turn: everything added so far is committed as soon as the writer can. */
  seal(): void;
  /** Resolves once every append added so far has been settled. */
  idle(): Promise<void>;
  /** How many writer threads in a row stopped without committing anything. */
  crashedInARow(): number;
  close(): Promise<void>;
}

/** Commits on the caller's thread: for a `:memory:` store, which no other connection can see. */
class SameThreadWriter implements AppendWriter {
  private readonly writer: Writer;
  private group: PendingAppend[] = [];

  constructor(
    db: Database.Database,
    private readonly sink: AppendSink,
  ) {
    this.writer = createWriter(db);
  }

  add(append: PendingAppend): void {
    this.group.push(append);
  }

  seal(): void {
    const group = this.group;
    if (group.length === 0) return;
    this.group = [];
    const result = this.writer.group(group);
    for (let i = 0; i < group.length; i++) {
      const append = group[i] as PendingAppend;
      this.sink.settle(
        append,
        result.ok
          ? (result.outcomes[i] ?? new StoreUnavailableError('the event store writer gave no answer'))
          : result.failure,
      );
    }
    this.sink.settled();
  }

  idle(): Promise<void> {
    this.seal();
    return Promise.resolve();
  }

  crashedInARow(): number {
    return 0;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The shared memory and the message port between the store and one writer thread. */
interface Channel {
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly ring: Buffer;
  readonly view: DataView;
  readonly numbers: Float64Array;
  readonly port: MessagePort;
}

/** `Atomics.waitAsync` (ES2024), which the configured library does not declare. */
interface AsyncWaiting {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}

/**
 * Commits on a worker thread with its own connection, through memory shared with it (see
 * `sqlite-writer.ts`): each append is written into the ring as it is made, and each turn's end is marked
 * there; the answers are counted in the shared control block, which this thread waits on without
 * blocking (`Atomics.waitAsync`). An append that does not fit into the ring now waits here, in order,
 * until the writer has taken enough; one larger than a ring may hold goes through the message port.
 *
 * A thread that stops (an uncaught error, a crash, terminated) fails the appends it had not answered
 * with UNAVAILABLE, saying that they may or may not be stored (a retry with the same event ids is safe: it
 * is recognised), and the next append starts a new thread. The thread is unreferenced while idle, so
 * that an open store does not keep the process alive, and referenced while it commits, so that a commit
 * under way is not cut off.
 */
class WriterThread implements AppendWriter {
  /** The running thread (tests stop it as a crash would). */
  worker: Worker | null = null;
  private channel: Channel | null = null;
  /** Appends in the ring, oldest first from `head`, not answered yet. */
  private inRing: PendingAppend[] = [];
  private head = 0;
  /** Appends that did not fit into the ring yet, in order. */
  private backlog: PendingAppend[] = [];
  /** The control block's counters as this side last wrote or read them. */
  private written = 0;
  private answered = 0;
  /** Appends written into the ring since the last seal, and in the turn before. */
  private turnAppends = 0;
  private lastTurnAppends = 0;
  private waiting = false;
  private readonly idleWaiters: Array<() => void> = [];
  private crashes = 0;
  private closing = false;

  constructor(
    private readonly data: Omit<WriterThreadData, 'control' | 'ring' | 'outcomes' | 'port'>,
    private readonly sink: AppendSink,
  ) {}

  add(append: PendingAppend): void {
    if (this.closing) {
      append.reject(new StoreUnavailableError('the event store is closed'));
      return;
    }
    const channel = this.channel ?? this.start();
    if (this.outstanding() === 0) channel.worker.ref();
    if (this.backlog.length > 0 || !this.put(channel, append)) this.backlog.push(append);
  }

  seal(): void {
    const channel = this.channel;
    if (!channel) return;
    if (this.backlog.length > 0) this.moveBacklog(channel);
    this.lastTurnAppends = this.turnAppends;
    this.turnAppends = 0;
    if (Atomics.load(channel.control, CHANNEL.sealed) !== this.written) {
      Atomics.store(channel.control, CHANNEL.sealed, this.written);
      signal(channel);
    }
    this.awaitAnswers(channel);
  }

  idle(): Promise<void> {
    if (this.outstanding() === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  crashedInARow(): number {
    return this.crashes;
  }

  async close(): Promise<void> {
    this.closing = true;
    const channel = this.channel;
    if (!channel) return;
    channel.worker.ref();
    const exited = new Promise<void>((resolve) => channel.worker.once('exit', () => resolve()));
    Atomics.store(channel.control, CHANNEL.close, 1);
    signal(channel);
    await exited;
  }

  private outstanding(): number {
    return this.inRing.length - this.head + this.backlog.length;
  }

  /**
   * Writes an append into the ring, or a stand-in for it when it is too large for the ring (it is then
   * sent through the port); false when there is no room now.
   */
  private put(channel: Channel, append: PendingAppend): boolean {
    if (this.inRing.length - this.head >= CHANNEL.outcomeSlots) return false;
    const bound = appendBound(append);
    const viaPort = bound > CHANNEL.inlineMaxBytes;
    const need = viaPort ? 8 : bound;
    const offset = this.written & (CHANNEL.ringBytes - 1);
    const tail = CHANNEL.ringBytes - offset;
    // A record is never split: when the rest of the ring is too short, it starts again at the front.
    const skip = tail < need ? tail : 0;
    const used = (this.written - Atomics.load(channel.control, CHANNEL.read)) | 0;
    if (used + skip + need > CHANNEL.ringBytes) return false;
    let at = offset;
    if (skip > 0) {
      if (tail >= 8) channel.view.setUint32(offset, 0, true);
      at = 0;
    }
    let size: number;
    if (viaPort) {
      const bytes = new ArrayBuffer(bound);
      encodeAppend(Buffer.from(bytes), new DataView(bytes), 0, append);
      channel.port.postMessage(bytes, [bytes]);
      channel.view.setUint32(at, 8, true);
      channel.view.setUint32(at + 4, RECORD_PORT, true);
      size = 8;
    } else {
      size = encodeAppend(channel.ring, channel.view, at, append);
    }
    this.written = (this.written + skip + size) | 0;
    Atomics.store(channel.control, CHANNEL.written, this.written);
    // When the last turn made several appends, the writer is woken as this one starts, so that it opens
    // its transaction and writes while this thread makes the rest, and again whenever it sleeps with
    // some behind it (it also looks for them every `pollMs`; the seal wakes it at once). After a turn of
    // one append, the seal alone wakes it: one wake, not two, per append.
    if (
      this.lastTurnAppends > 1 &&
      (this.turnAppends === 0 ||
        ((this.written - Atomics.load(channel.control, CHANNEL.read)) | 0) > CHANNEL.wakeBehindBytes)
    ) {
      signal(channel);
    }
    this.turnAppends += 1;
    this.inRing.push(append);
    return true;
  }

  private moveBacklog(channel: Channel): void {
    let moved = 0;
    while (moved < this.backlog.length && this.put(channel, this.backlog[moved] as PendingAppend)) moved++;
    if (moved > 0) this.backlog.splice(0, moved);
  }

  /** Waits (without blocking this thread) for the writer to answer the appends in the ring. */
  private awaitAnswers(channel: Channel): void {
    if (this.waiting || this.inRing.length === this.head) return;
    const waited = (Atomics as unknown as AsyncWaiting).waitAsync(
      channel.control,
      CHANNEL.done,
      this.answered,
    );
    if (!waited.async) {
      this.takeAnswers(channel);
      return;
    }
    this.waiting = true;
    void waited.value.then(() => {
      if (this.channel !== channel) return;
      this.waiting = false;
      this.takeAnswers(channel);
    });
  }

  /** Settles the appends the writer has answered, then moves on what waited for room. */
  private takeAnswers(channel: Channel): void {
    const done = Atomics.load(channel.control, CHANNEL.done);
    if (done !== this.answered) {
      this.crashes = 0;
      const error = (): GroupFailure =>
        (receiveMessageOnPort(channel.port)?.message as GroupFailure | undefined) ?? {
          code: '',
          message: 'the writer gave no reason',
        };
      while (this.answered !== done) {
        const append = this.inRing[this.head] as PendingAppend;
        this.inRing[this.head++] = undefined as unknown as PendingAppend;
        const slot = this.answered & (CHANNEL.outcomeSlots - 1);
        this.answered = (this.answered + 1) | 0;
        this.sink.settle(append, takeOutcome(channel.numbers, slot, error));
      }
      if (this.head === this.inRing.length) {
        this.inRing = [];
        this.head = 0;
      }
      this.sink.settled();
    }
    if (this.backlog.length > 0) this.seal();
    else this.awaitAnswers(channel);
    if (this.outstanding() === 0) {
      channel.worker.unref();
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private start(): Channel {
    const control = new SharedArrayBuffer(CHANNEL.controlSlots * 4);
    const ring = new SharedArrayBuffer(CHANNEL.ringBytes);
    const outcomes = new SharedArrayBuffer(CHANNEL.outcomeSlots * 3 * 8);
    const { port1, port2 } = new MessageChannel();
    const workerData: WriterThreadData = { ...this.data, control, ring, outcomes, port: port2 };
    const worker = new Worker(WRITER_THREAD_SOURCE, {
      eval: true,
      workerData,
      transferList: [port2],
      name: 'event-store-writer',
    });
    worker.unref();
    const channel: Channel = {
      worker,
      control: new Int32Array(control),
      ring: Buffer.from(ring),
      view: new DataView(ring),
      numbers: new Float64Array(outcomes),
      port: port1,
    };
    worker.on('error', (error) => this.stopped(channel, error));
    worker.on('exit', (code) => this.stopped(channel, new Error(`it exited with code ${code}`)));
    this.worker = worker;
    this.channel = channel;
    this.written = 0;
    this.answered = 0;
    this.turnAppends = 0;
    this.lastTurnAppends = 0;
    return channel;
  }

  private stopped(channel: Channel, error: Error): void {
    if (this.channel !== channel) return;
    this.channel = null;
    this.worker = null;
    this.waiting = false;
    channel.port.close();
    if (this.closing) return;
    this.crashes += 1;
    const waiting = [...this.inRing.slice(this.head), ...this.backlog];
    this.inRing = [];
    this.head = 0;
    this.backlog = [];
    for (const append of waiting) {
      this.sink.settle(
        append,
        new StoreUnavailableError(
          `the event store writer stopped while committing (${error.message}): the appends may or may not be stored; send them again with the same event ids`,
          { cause: error },
        ),
      );
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** Wakes the writer thread if it sleeps, after the store wrote or sealed (see the writer's `wait`). */
function signal(channel: Channel): void {
  if (Atomics.load(channel.control, CHANNEL.sleeping) === 0) return;
  Atomics.add(channel.control, CHANNEL.signal, 1);
  Atomics.notify(channel.control, CHANNEL.signal);
}
