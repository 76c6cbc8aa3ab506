import type { MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { ExpectedRevision } from './port.js';

/**
 * The writing half of the embedded store: the code that checks revisions and event ids, inserts, commits
 * and fsyncs. It runs on a worker thread (a file store), so that the event loop goes on deciding and
 * answering while the disk works, or on the caller's thread (a `:memory:` store, which only one
 * connection can see).
 *
 * The worker runs the source text of {@link configureConnection}, {@link createWriter}, the record codec
 * ({@link decodeAppend}, {@link putOutcome}) and {@link runWriterThread} (see {@link WRITER_THREAD_SOURCE}),
 * so that it needs no compiled file of its own next to this one (tests run the TypeScript sources). These
 * functions therefore refer to nothing outside themselves but their parameters and Node's built-in modules.
 *
 * The store and its writer thread share memory (see {@link CHANNEL}) instead of sending messages: the
 * store writes each append into a ring of bytes as it is made and marks the end of each turn of its
 * event loop (a seal); the thread takes the appends as they come, inside one transaction, and commits at
 * the seal; the outcomes come back as numbers in a second ring. Each side waits on `Atomics` counters
 * rather than a message port (a message costs a clone and an event dispatch on both threads), and the
 * store wakes the thread only when it sleeps: waking a thread is what costs most here (tens of
 * microseconds of the waker's time on a virtual machine).
 */

/** One event ready to store. The worker gets data and metadata as their UTF-8 bytes, never decoded. */
export interface StoredFields {
  readonly id: string;
  readonly type: string;
  readonly data: string | Uint8Array;
  readonly metadata: string | Uint8Array;
  readonly recordedAt: string;
}

/** One append, checked and serialised on the caller's thread. */
export interface WriteRequest {
  readonly streamId: string;
  readonly events: readonly StoredFields[];
  readonly expected: ExpectedRevision;
}

/** Why one append of a group was refused; the caller turns it into the port's error. */
export type WriteRefusal =
  | { readonly kind: 'conflict'; readonly actual: number | 'no_stream' }
  | { readonly kind: 'reused-ids' }
  | { readonly kind: 'sqlite'; readonly code: string; readonly message: string };

export type WriteOutcome =
  | {
      readonly ok: true;
      readonly nextExpectedRevision: number;
      readonly position: number;
      readonly repeated: boolean;
    }
  | { readonly ok: false; readonly refusal: WriteRefusal };

/** A SQLite error that ended the whole transaction: nothing of its appends was stored. */
export interface GroupFailure {
  readonly code: string;
  readonly message: string;
}

/** A group is committed whole, with some appends refused, or not at all. */
export type GroupResult =
  | { readonly ok: true; readonly outcomes: readonly WriteOutcome[] }
  | { readonly ok: false; readonly failure: GroupFailure };

export interface ConnectionSettings {
  readonly busyTimeoutMs: number;
}

/**
 * Where things are in the memory the store shares with its writer thread. The control block holds 32-bit
 * counters that only grow (wrapping at 2^32; only differences are compared): bytes written into the ring
 * by the store, the written count at the last seal, bytes taken by the writer, appends answered, and a
 * signal the store bumps to wake the writer; then a close request and whether the writer sleeps.
 */
export const CHANNEL = {
  written: 0,
  sealed: 1,
  read: 2,
  done: 3,
  signal: 4,
  close: 5,
  /** 1 while the writer sleeps (or is about to): only then does the store wake it. */
  sleeping: 6,
  controlSlots: 8,
  /** The ring of appends (a power of two). */
  ringBytes: 4 * 1024 * 1024,
  /** An append that may need more bytes than this goes through the message port instead. */
  inlineMaxBytes: 1024 * 1024,
  /** Outcome slots, three numbers each (a power of two): at most this many appends are unanswered. */
  outcomeSlots: 8192,
  /**
   * Inside a transaction, the writer looks for the store's next appends every `pollMs` while it waits for
   * the turn to end, twice as long after each look that found nothing, up to `maxPollMs`, rather than
   * being woken for each: the seal wakes it at once. (Waiting by spinning was slower: the two threads
   * often share a processor.)
   */
  pollMs: 0.05,
  maxPollMs: 5,
  /** The store wakes a sleeping writer in the middle of a turn when this many bytes wait for it. */
  wakeBehindBytes: 8 * 1024,
} as const;

export type ChannelLayout = typeof CHANNEL;

/** The record kinds in the ring: an append, or a stand-in for one sent through the message port. */
export const RECORD_INLINE = 1;
export const RECORD_PORT = 2;

export interface WriterThreadData extends ConnectionSettings {
  readonly path: string;
  /** The resolved path of `better-sqlite3`, loaded by the worker with its own `require`. */
  readonly driver: string;
  readonly control: SharedArrayBuffer;
  readonly ring: SharedArrayBuffer;
  readonly outcomes: SharedArrayBuffer;
  /** Appends too large for the ring come in, texts of SQLite errors go out (in the order of outcomes). */
  readonly port: MessagePort;
}

/** The settings of every connection to a store file, reader or writer. */
export function configureConnection(db: Database.Database, settings: ConnectionSettings): void {
  db.pragma('journal_mode = WAL');
  // Durable when the commit returns.
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  // Checkpoint the WAL into the database every ~40 MB instead of every ~4 MB: small commits dirty random
  // index pages (event ids are hashes), and each checkpoint rewrites and fsyncs them; fewer, larger
  // checkpoints write a page touched by many commits once. Commits stay durable (FULL).
  db.pragma('wal_autocheckpoint = 10000');
}

/** Writes appends inside transactions it opens and commits. */
export interface Writer {
  /** Opens a write transaction (waiting up to the busy timeout for another process's lock). */
  begin(): void;
  /**
   * Writes one append inside the open transaction, or refuses it having written nothing. Throws when an
   * error ended the whole transaction.
   */
  append(request: WriteRequest): WriteOutcome;
  commit(): void;
  /** Undoes the open transaction, if there is one. */
  rollback(): void;
  /** A group of appends in one transaction: committed whole, with some refused, or not at all. */
  group(requests: readonly WriteRequest[]): GroupResult;
  /** The code and text of an error that ended a transaction. */
  describe(error: unknown): GroupFailure;
}

/**
 * Returns the writer of a connection. A refused append leaves nothing behind and the others go on: its
 * checks only read, and its rows are written by one INSERT statement, which SQLite undoes whole when it
 * fails. An error that ends the whole transaction fails the whole transaction.
 */
export function createWriter(db: Database.Database): Writer {
  /** Multi-row INSERT statements up to this many rows are prepared once and kept. */
  const CACHED_INSERT_ROWS = 64;
  const streamRevision = db
    .prepare<[string], number | null>('SELECT max(revision) FROM events WHERE stream_id = ?')
    .pluck(true);
  const byEventId = db.prepare<[string, string], { revision: number; position: number }>(
    'SELECT revision, position FROM events WHERE stream_id = ? AND event_id = ?',
  );
  const beginStatement = db.prepare('BEGIN IMMEDIATE');
  const commitStatement = db.prepare('COMMIT');
  const rollbackStatement = db.prepare('ROLLBACK');
  const inserts = new Map<number, Database.Statement>();

  const codeOf = (error: unknown): string => {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : '';
  };
  const messageOf = (error: unknown): string => {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : String(error);
  };

  /**
   * The INSERT of `rows` rows; kept for the common small appends, prepared on each use for larger ones.
   * Data and metadata come as text or as their UTF-8 bytes, which CAST stores as the same text.
   */
  const insertStatement = (rows: number): Database.Statement => {
    let statement = inserts.get(rows);
    if (!statement) {
      statement = db.prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES ${Array.from(
          { length: rows },
          () => '(?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ?)',
        ).join(', ')}`,
      );
      if (rows <= CACHED_INSERT_ROWS) inserts.set(rows, statement);
    }
    return statement;
  };

  /** Writes the events of one append with a single INSERT statement. */
  const insertRows = (request: WriteRequest, firstRevision: number): Database.RunResult => {
    const values: unknown[] = new Array<unknown>(request.events.length * 7);
    let i = 0;
    let revision = firstRevision;
    for (const event of request.events) {
      values[i++] = request.streamId;
      values[i++] = revision++;
      values[i++] = event.id;
      values[i++] = event.type;
      values[i++] = event.data;
      values[i++] = event.metadata;
      values[i++] = event.recordedAt;
    }
    return insertStatement(request.events.length).run(values);
  };

  /**
   * When every event of this append is already stored, in this stream and in this order, the append was
   * made before (a retried command): answer as the first time and write nothing. When only some are, or
   * not in this order, the ids were reused: refuse. Null when none is stored.
   */
  const previousAppend = (request: WriteRequest): WriteOutcome | null => {
    const stored = request.events.map((event) => byEventId.get(request.streamId, event.id));
    if (stored.every((found) => found === undefined)) return null;
    const first = stored[0];
    for (let index = 0; index < stored.length; index++) {
      const found = stored[index];
      if (!first || !found || found.revision !== first.revision + index) {
        return { ok: false, refusal: { kind: 'reused-ids' } };
      }
    }
    const last = stored[stored.length - 1] as { revision: number; position: number };
    return { ok: true, nextExpectedRevision: last.revision, position: last.position, repeated: true };
  };

  /**
   * The last revision of streams this connection wrote or looked up (-1: none), so that an append to a
   * stream it knows needs no query for its head. It holds only while no other connection has committed:
   * `PRAGMA data_version` changes exactly then, and it is read at the start of every transaction (which
   * holds the write lock, so nothing else commits during it). A transaction that does not commit empties
   * it. Should it still be wrong, the unique (stream, revision) index refuses the insert and the head is
   * read again.
   */
  const heads = new Map<string, number>();
  const HEADS_KEPT = 10_000;
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck(true);
  let seenVersion: number | undefined;

  const appendOne = (request: WriteRequest, known = true): WriteOutcome => {
    let current = known ? heads.get(request.streamId) : undefined;
    const cached = current !== undefined;
    if (current === undefined) {
      current = streamRevision.get(request.streamId) ?? -1;
      if (heads.size >= HEADS_KEPT) heads.clear();
      heads.set(request.streamId, current);
    }
    const actual: number | 'no_stream' = current < 0 ? 'no_stream' : current;
    const expected = request.expected;
    // A retry is recognised by its event ids, whatever revision it expects (see the port): looked up
    // before a conflict is reported, and after an insert refused for a taken event id. An append at the
    // expected revision with fresh ids, the common case, needs no lookup of its ids.
    if (expected !== 'any' && expected !== actual) {
      if (cached) return appendOne(request, false);
      return previousAppend(request) ?? { ok: false, refusal: { kind: 'conflict', actual } };
    }
    const first = current + 1;
    let info: Database.RunResult;
    try {
      info = insertRows(request, first);
    } catch (error) {
      // The statement wrote nothing. A taken id means a retry or reused ids; the lookup says which.
      if (codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
        if (messageOf(error).includes('event_id')) {
          const previous = previousAppend(request);
          if (previous) return previous;
        } else if (cached) {
          return appendOne(request, false);
        }
      }
      throw error;
    }
    const last = first + request.events.length - 1;
    heads.set(request.streamId, last);
    return { ok: true, nextExpectedRevision: last, position: Number(info.lastInsertRowid), repeated: false };
  };

  const writer: Writer = {
    begin: () => {
      beginStatement.run();
      const version = dataVersion.get();
      if (version !== seenVersion) {
        heads.clear();
        seenVersion = version;
      }
    },
    append: (request) => {
      try {
        return appendOne(request);
      } catch (error) {
        if (!db.inTransaction) throw error;
        return { ok: false, refusal: { kind: 'sqlite', code: codeOf(error), message: messageOf(error) } };
      }
    },
    commit: () => {
      commitStatement.run();
    },
    rollback: () => {
      heads.clear();
      if (db.inTransaction) rollbackStatement.run();
    },
    group: (requests) => {
      try {
        writer.begin();
        const outcomes = requests.map((request) => writer.append(request));
        writer.commit();
        return { ok: true, outcomes };
      } catch (error) {
        try {
          writer.rollback();
        } catch {
          // The failure below is what the caller needs to know.
        }
        return { ok: false, failure: writer.describe(error) };
      }
    },
    describe: (error) => ({ code: codeOf(error), message: messageOf(error) }),
  };
  return writer;
}

/**
 * The most bytes {@link encodeAppend} takes for an append: its header, a length per field, three bytes per
 * UTF-16 unit (the most UTF-8 needs for one), and up to three bytes that round it to a multiple of four.
 */
export function appendBound(request: WriteRequest): number {
  let units = request.streamId.length;
  for (const event of request.events) {
    units +=
      event.id.length +
      event.type.length +
      event.data.length +
      event.metadata.length +
      event.recordedAt.length;
  }
  return 27 + request.events.length * 20 + units * 3;
}

/**
 * Writes one append as a record at `offset` and returns its size (a multiple of 4): its size and kind
 * (32 bits each), the expected revision (a double: -1 for no stream, -2 for any), the stream id, the
 * event count, then per event its id, type, data, metadata and instant, each as a 32-bit byte length and
 * the bytes. Ids, types, stream ids and instants are ASCII (their checks allow nothing else) and are
 * written as Latin-1; data and metadata (JSON text) as UTF-8. The space must have been checked with
 * {@link appendBound}. Data and metadata must be strings here.
 */
export function encodeAppend(buffer: Buffer, view: DataView, offset: number, request: WriteRequest): number {
  let at = offset + 8;
  const expected = request.expected;
  view.setFloat64(at, expected === 'no_stream' ? -1 : expected === 'any' ? -2 : expected, true);
  at += 8;
  let length = buffer.write(request.streamId, at + 4, 'latin1');
  view.setUint32(at, length, true);
  at += 4 + length;
  view.setUint32(at, request.events.length, true);
  at += 4;
  for (const event of request.events) {
    length = buffer.write(event.id, at + 4, 'latin1');
    view.setUint32(at, length, true);
    at += 4 + length;
    length = buffer.write(event.type, at + 4, 'latin1');
    view.setUint32(at, length, true);
    at += 4 + length;
    length = buffer.write(event.data as string, at + 4, 'utf8');
    view.setUint32(at, length, true);
    at += 4 + length;
    length = buffer.write(event.metadata as string, at + 4, 'utf8');
    view.setUint32(at, length, true);
    at += 4 + length;
    length = buffer.write(event.recordedAt, at + 4, 'latin1');
    view.setUint32(at, length, true);
    at += 4 + length;
  }
  const size = (at - offset + 3) & ~3;
  view.setUint32(offset, size, true);
  view.setUint32(offset + 4, RECORD_INLINE, true);
  return size;
}

/**
 * The append of a record made by {@link encodeAppend}. Its data and metadata are views of the record's
 * bytes (not copies): they are valid until the ring's space is handed back.
 */
export function decodeAppend(buffer: Buffer, view: DataView, offset: number): WriteRequest {
  let at = offset + 8;
  const code = view.getFloat64(at, true);
  at += 8;
  const expected: ExpectedRevision = code === -1 ? 'no_stream' : code === -2 ? 'any' : code;
  let length = view.getUint32(at, true);
  const streamId = buffer.toString('latin1', at + 4, at + 4 + length);
  at += 4 + length;
  const count = view.getUint32(at, true);
  at += 4;
  const events = new Array<StoredFields>(count);
  for (let e = 0; e < count; e++) {
    length = view.getUint32(at, true);
    const id = buffer.toString('latin1', at + 4, at + 4 + length);
    at += 4 + length;
    length = view.getUint32(at, true);
    const type = buffer.toString('latin1', at + 4, at + 4 + length);
    at += 4 + length;
    length = view.getUint32(at, true);
    const data = buffer.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    length = view.getUint32(at, true);
    const metadata = buffer.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    length = view.getUint32(at, true);
    const recordedAt = buffer.toString('latin1', at + 4, at + 4 + length);
    at += 4 + length;
    events[e] = { id, type, data, metadata, recordedAt };
  }
  return { streamId, events, expected };
}

/**
 * Puts an outcome into slot `slot`, three numbers: stored `0, next revision, position`; a repeat `1, next
 * revision, position`; a conflict `2, actual revision (-1: no stream)`; reused ids `3`; a SQLite error of
 * this append `4` (its code and text follow through the port); the whole transaction failed `5` (the
 * same). Returns the error to send through the port, if any.
 */
export function putOutcome(numbers: Float64Array, slot: number, outcome: WriteOutcome): GroupFailure | null {
  const at = slot * 3;
  if (outcome.ok) {
    numbers[at] = outcome.repeated ? 1 : 0;
    numbers[at + 1] = outcome.nextExpectedRevision;
    numbers[at + 2] = outcome.position;
    return null;
  }
  const refusal = outcome.refusal;
  if (refusal.kind === 'conflict') {
    numbers[at] = 2;
    numbers[at + 1] = refusal.actual === 'no_stream' ? -1 : refusal.actual;
    return null;
  }
  if (refusal.kind === 'reused-ids') {
    numbers[at] = 3;
    return null;
  }
  numbers[at] = 4;
  return { code: refusal.code, message: refusal.message };
}

/** The outcome in slot `slot`; `error` gives the text that came through the port for kinds 4 and 5. */
export function takeOutcome(
  numbers: Float64Array,
  slot: number,
  error: () => GroupFailure,
): WriteOutcome | GroupFailure {
  const at = slot * 3;
  const kind = numbers[at] as number;
  const a = numbers[at + 1] as number;
  if (kind === 0 || kind === 1) {
    return { ok: true, nextExpectedRevision: a, position: numbers[at + 2] as number, repeated: kind === 1 };
  }
  if (kind === 2) return { ok: false, refusal: { kind: 'conflict', actual: a < 0 ? 'no_stream' : a } };
  if (kind === 3) return { ok: false, refusal: { kind: 'reused-ids' } };
  const failure = error();
  return kind === 4 ? { ok: false, refusal: { kind: 'sqlite', ...failure } } : failure;
}

/**
 * The worker's main: opens its own connection to the store file and commits what the store writes into
 * the ring, one transaction at a time, until asked to close. A transaction starts as soon as an append
 * arrives, takes the appends as they come, and commits at the first seal after its start that it has
 * reached (or at the latest one already made when it started, so that appends that queued while the last
 * commit was under way share this one). Its parameters are the functions above (the worker has no module
 * to import them from).
 */
export function runWriterThread(
  configure: typeof configureConnection,
  create: typeof createWriter,
  decode: typeof decodeAppend,
  put: typeof putOutcome,
  layout: ChannelLayout,
  inline: number,
): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const { createRequire } = process.getBuiltinModule('node:module');
  const data = threads.workerData as WriterThreadData;
  const port = data.port;
  const control = new Int32Array(data.control);
  const ring = Buffer.from(data.ring);
  const view = new DataView(data.ring);
  const numbers = new Float64Array(data.outcomes);
  const Driver = createRequire(data.driver)(data.driver) as typeof Database;
  const db = new Driver(data.path);
  configure(db, data);
  const writer = create(db);

  /**
   * Waits until the store has written or sealed beyond what this thread has seen (`written`, `sealed`),
   * or asked it to close, or (given `pollMs`) that long has passed. It says that it sleeps before it
   * looks a last time, and the store looks whether it sleeps after it wrote: one of the two sees the
   * other (the atomics are sequentially consistent), so no seal goes unseen.
   */
  const wait = (written: number, sealed: number, pollMs?: number): void => {
    const seen = Atomics.load(control, layout.signal);
    Atomics.store(control, layout.sleeping, 1);
    if (
      Atomics.load(control, layout.written) === written &&
      Atomics.load(control, layout.sealed) === sealed &&
      Atomics.load(control, layout.close) === 0
    ) {
      Atomics.wait(control, layout.signal, seen, pollMs);
    }
    Atomics.store(control, layout.sleeping, 0);
  };

  let read = 0;
  let done = 0;
  /** Where the record being handled ends. */
  let after = 0;
  /** The next append in the ring (passing over the end of the ring where the store wrapped). */
  const next = (): WriteRequest => {
    for (;;) {
      const offset = read & (layout.ringBytes - 1);
      const tail = layout.ringBytes - offset;
      const size = tail < 8 ? 0 : view.getUint32(offset, true);
      if (size === 0) {
        read = (read + tail) | 0;
        continue;
      }
      after = (read + size) | 0;
      if (view.getUint32(offset + 4, true) !== inline) {
        const bytes = (threads.receiveMessageOnPort(port)?.message ?? null) as ArrayBuffer | null;
        if (!bytes) throw new Error('an append sent through the port did not arrive');
        return decode(Buffer.from(bytes), new DataView(bytes), 0);
      }
      return decode(ring, view, offset);
    }
  };

  for (;;) {
    const written = Atomics.load(control, layout.written);
    if (read === written) {
      if (Atomics.load(control, layout.close) === 1) break;
      wait(written, Atomics.load(control, layout.sealed));
      continue;
    }
    const start = read;
    let failure: unknown = null;
    try {
      writer.begin();
    } catch (error) {
      failure = error;
    }
    const outcomes: Array<WriteOutcome | null> = [];
    let target: number | null = null;
    let pollMs: number = layout.pollMs;
    for (;;) {
      const sealed = Atomics.load(control, layout.sealed);
      if (target === null && ((sealed - start) | 0) > 0) target = sealed;
      if (read === target) break;
      const available = Atomics.load(control, layout.written);
      if (read !== available) {
        const request = next();
        if (failure === null) {
          try {
            outcomes.push(writer.append(request));
          } catch (error) {
            failure = error;
          }
        } else outcomes.push(null);
        // The append's bytes were copied by the insert: the store may write over them.
        read = after;
        Atomics.store(control, layout.read, read);
        pollMs = layout.pollMs;
        continue;
      }
      wait(available, sealed, pollMs);
      pollMs = Math.min(pollMs * 2, layout.maxPollMs);
    }
    if (failure === null) {
      try {
        writer.commit();
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== null) {
      try {
        writer.rollback();
      } catch {
        // Every append of the transaction is answered with the failure below.
      }
    }
    for (let i = 0; i < outcomes.length; i++) {
      const slot = (done + i) & (layout.outcomeSlots - 1);
      const outcome = outcomes[i];
      if (failure !== null || !outcome) {
        numbers[slot * 3] = 5;
        port.postMessage(writer.describe(failure));
      } else {
        const error = put(numbers, slot, outcome);
        if (error) port.postMessage(error);
      }
    }
    done = (done + outcomes.length) | 0;
    Atomics.store(control, layout.done, done);
    Atomics.notify(control, layout.done);
  }
  db.close();
  port.close();
}

/** The worker's source text: the functions above, then a call of the last. */
export const WRITER_THREAD_SOURCE = `'use strict';
const configureConnection = ${configureConnection.toString()};
const createWriter = ${createWriter.toString()};
const decodeAppend = ${decodeAppend.toString()};
const putOutcome = ${putOutcome.toString()};
(${runWriterThread.toString()})(configureConnection, createWriter, decodeAppend, putOutcome, ${JSON.stringify(CHANNEL)}, ${RECORD_INLINE});
`;
