import type Database from 'better-sqlite3';
import type { ExpectedRevision } from './port.js';
import type { SerialisedEvent } from './validation.js';

/**
 * The writing half of the embedded store: the code that checks revisions and event ids, inserts, commits
 * and fsyncs. It runs on a worker thread (a file store), so that the event loop goes on deciding and
 * answering while the disk works, or on the caller's thread (a `:memory:` store, which only one
 * connection can see).
 *
 * The worker runs the source text of {@link configureConnection}, {@link createWriter}, the message codec
 * ({@link decodeGroup}, {@link encodeOutcomes}) and {@link runWriterThread} (see
 * {@link WRITER_THREAD_SOURCE}), so that it needs no compiled file of its own next to this one (tests run the
 * TypeScript sources). These functions therefore refer to nothing outside themselves but their parameters
 * and Node's built-in modules; messages to and from them are plain data: a group goes over as one string,
 * its outcomes come back as one transferred buffer of numbers.
 */

/** One append, checked and serialised on the caller's thread. */
export interface WriteRequest {
  readonly streamId: string;
  readonly events: readonly SerialisedEvent[];
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

/** A SQLite error that ended the whole group's transaction: nothing of the group was stored. */
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

export interface WriterThreadData extends ConnectionSettings {
  readonly path: string;
  /** The resolved path of `better-sqlite3`, loaded by the worker with its own `require`. */
  readonly driver: string;
}

/**
 * A group as the writer thread receives it: the appends of {@link encodeGroup}, one string. A string is
 * copied whole by `postMessage`, where an array of objects is cloned field by field (several times the
 * cost, on both threads).
 */
export type ToWriter =
  { readonly type: 'write'; readonly id: number; readonly group: string } | { readonly type: 'close' };

/**
 * The answer to every group committed in one transaction: their ids in order, and the outcomes of all
 * their appends in that order, as {@link encodeOutcomes} packs them (or the failure of all of them).
 */
export type FromWriter =
  | {
      readonly type: 'written';
      readonly ids: readonly number[];
      readonly outcomes: EncodedOutcomes | null;
      readonly failure: GroupFailure | null;
    }
  | { readonly type: 'closed' };

/** Outcomes packed three numbers each (see {@link encodeOutcomes}), and the texts of SQLite errors. */
export interface EncodedOutcomes {
  readonly numbers: Float64Array<ArrayBuffer>;
  readonly errors: readonly GroupFailure[];
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

/**
 * Returns the function that commits a group of appends in one transaction, made durable by one fsync. A
 * refused append of a group leaves nothing behind and the others go on: its checks only read, and its
 * rows are written by one INSERT statement, which SQLite undoes whole when it fails. An error that ends
 * the whole transaction fails the whole group.
 */
export function createWriter(db: Database.Database): (group: readonly WriteRequest[]) => GroupResult {
  /** Multi-row INSERT statements up to this many rows are prepared once and kept. */
  const CACHED_INSERT_ROWS = 64;
  const streamRevision = db
    .prepare<[string], number | null>('SELECT max(revision) FROM events WHERE stream_id = ?')
    .pluck(true);
  const byEventId = db.prepare<[string, string], { revision: number; position: number }>(
    'SELECT revision, position FROM events WHERE stream_id = ? AND event_id = ?',
  );
  const inserts = new Map<number, Database.Statement>();

  const codeOf = (error: unknown): string => {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : '';
  };
  const messageOf = (error: unknown): string => {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : String(error);
  };

  /** The INSERT of `rows` rows; kept for the common small appends, prepared on each use for larger ones. */
  const insertStatement = (rows: number): Database.Statement => {
    let statement = inserts.get(rows);
    if (!statement) {
      statement = db.prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES ${Array.from(
          { length: rows },
          () => '(?, ?, ?, ?, ?, ?, ?)',
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

  const appendOne = (request: WriteRequest): WriteOutcome => {
    const current = streamRevision.get(request.streamId) ?? null;
    const actual: number | 'no_stream' = current === null ? 'no_stream' : current;
    const expected = request.expected;
    // A retry is recognised by its event ids, whatever revision it expects (see the port): looked up
    // before a conflict is reported, and after an insert refused for a taken event id. An append at the
    // expected revision with fresh ids, the common case, needs no lookup of its ids.
    if (expected !== 'any' && expected !== actual) {
      return previousAppend(request) ?? { ok: false, refusal: { kind: 'conflict', actual } };
    }
    const first = current === null ? 0 : current + 1;
    let info: Database.RunResult;
    try {
      info = insertRows(request, first);
    } catch (error) {
      // The statement wrote nothing. A taken id means a retry or reused ids; the lookup says which.
      if (codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE' && messageOf(error).includes('event_id')) {
        const previous = previousAppend(request);
        if (previous) return previous;
      }
      throw error;
    }
    return {
      ok: true,
      nextExpectedRevision: first + request.events.length - 1,
      position: Number(info.lastInsertRowid),
      repeated: false,
    };
  };

  const appendGroup = db.transaction((group: readonly WriteRequest[]): WriteOutcome[] => {
    const outcomes = new Array<WriteOutcome>(group.length);
    for (let i = 0; i < group.length; i++) {
      try {
        outcomes[i] = appendOne(group[i] as WriteRequest);
      } catch (error) {
        if (!db.inTransaction) throw error;
        outcomes[i] = {
          ok: false,
          refusal: { kind: 'sqlite', code: codeOf(error), message: messageOf(error) },
        };
      }
    }
    return outcomes;
  });

  return (group) => {
    try {
      return { ok: true, outcomes: appendGroup.immediate(group) };
    } catch (error) {
      return { ok: false, failure: { code: codeOf(error), message: messageOf(error) } };
    }
  };
}

/**
 * Packs a group into one string: per append its stream, expected revision (a number, `n` for no stream,
 * `a` for any) and event count, then five fields per event, all separated by U+0001. No field can hold
 * that character: stream ids, event ids, types and instants are checked against patterns that exclude it,
 * and `JSON.stringify` escapes every control character.
 */
export function encodeGroup(group: readonly WriteRequest[]): string {
  const parts: Array<string | number> = [];
  for (const request of group) {
    const expected = request.expected;
    parts.push(
      request.streamId,
      expected === 'no_stream' ? 'n' : expected === 'any' ? 'a' : expected,
      request.events.length,
    );
    for (const event of request.events) {
      parts.push(event.id, event.type, event.data, event.metadata, event.recordedAt);
    }
  }
  return parts.join('\u0001');
}

/** The appends of a string made by {@link encodeGroup}. */
export function decodeGroup(text: string): WriteRequest[] {
  const parts = text.split('\u0001');
  const group: WriteRequest[] = [];
  let i = 0;
  while (i < parts.length) {
    const streamId = parts[i++] as string;
    const code = parts[i++] as string;
    const expected: ExpectedRevision = code === 'n' ? 'no_stream' : code === 'a' ? 'any' : Number(code);
    const count = Number(parts[i++]);
    const events = new Array<SerialisedEvent>(count);
    for (let e = 0; e < count; e++) {
      events[e] = {
        id: parts[i] as string,
        type: parts[i + 1] as string,
        data: parts[i + 2] as string,
        metadata: parts[i + 3] as string,
        recordedAt: parts[i + 4] as string,
      };
      i += 5;
    }
    group.push({ streamId, events, expected });
  }
  return group;
}

/**
 * Packs outcomes three numbers each: stored `0, next revision, position`; a repeat `1, next revision,
 * position`; a conflict `2, actual revision (-1: no stream), 0`; reused ids `3, 0, 0`; a SQLite error
 * `4, its index in errors, 0`.
 */
export function encodeOutcomes(outcomes: readonly WriteOutcome[]): EncodedOutcomes {
  const numbers = new Float64Array(outcomes.length * 3);
  const errors: GroupFailure[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i] as WriteOutcome;
    const at = i * 3;
    if (outcome.ok) {
      numbers[at] = outcome.repeated ? 1 : 0;
      numbers[at + 1] = outcome.nextExpectedRevision;
      numbers[at + 2] = outcome.position;
    } else if (outcome.refusal.kind === 'conflict') {
      numbers[at] = 2;
      numbers[at + 1] = outcome.refusal.actual === 'no_stream' ? -1 : outcome.refusal.actual;
    } else if (outcome.refusal.kind === 'reused-ids') {
      numbers[at] = 3;
    } else {
      numbers[at] = 4;
      numbers[at + 1] = errors.length;
      errors.push({ code: outcome.refusal.code, message: outcome.refusal.message });
    }
  }
  return { numbers, errors };
}

/** The outcome of the `index`-th append of outcomes packed by {@link encodeOutcomes}. */
export function decodeOutcome(packed: EncodedOutcomes, index: number): WriteOutcome | undefined {
  const at = index * 3;
  if (at + 2 >= packed.numbers.length) return undefined;
  const kind = packed.numbers[at] as number;
  const a = packed.numbers[at + 1] as number;
  if (kind === 0 || kind === 1) {
    return {
      ok: true,
      nextExpectedRevision: a,
      position: packed.numbers[at + 2] as number,
      repeated: kind === 1,
    };
  }
  if (kind === 2) return { ok: false, refusal: { kind: 'conflict', actual: a < 0 ? 'no_stream' : a } };
  if (kind === 3) return { ok: false, refusal: { kind: 'reused-ids' } };
  const error = packed.errors[a] ?? { code: '', message: 'the writer gave no reason' };
  return { ok: false, refusal: { kind: 'sqlite', code: error.code, message: error.message } };
}

/**
 * The worker's main: opens its own connection to the store file and commits each group it is sent,
 * one at a time, answering with the outcome. Its parameters are the functions above (the worker has
 * no module to import them from).
 */
export function runWriterThread(
  configure: typeof configureConnection,
  create: typeof createWriter,
  decode: typeof decodeGroup,
  encode: typeof encodeOutcomes,
): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const { createRequire } = process.getBuiltinModule('node:module');
  const data = threads.workerData as WriterThreadData;
  const port = threads.parentPort;
  if (!port) throw new Error('the event store writer runs on a worker thread');
  const Driver = createRequire(data.driver)(data.driver) as typeof Database;
  const db = new Driver(data.path);
  configure(db, data);
  const write = create(db);
  // Everything that arrived while the last commit was under way is committed together, in order, and
  // answered with one message.
  port.on('message', (first: ToWriter) => {
    const ids: number[] = [];
    let group: WriteRequest[] = [];
    let close = false;
    for (let message: ToWriter | undefined = first; message;) {
      if (message.type === 'close') close = true;
      else {
        ids.push(message.id);
        const requests = decode(message.group);
        if (group.length === 0) group = requests;
        else for (const request of requests) group.push(request);
      }
      const next = threads.receiveMessageOnPort(port);
      message = next ? (next.message as ToWriter) : undefined;
    }
    if (ids.length > 0) {
      const result = write(group);
      if (result.ok) {
        const outcomes = encode(result.outcomes);
        port.postMessage({ type: 'written', ids, outcomes, failure: null } satisfies FromWriter, [
          outcomes.numbers.buffer,
        ]);
      } else {
        port.postMessage({
          type: 'written',
          ids,
          outcomes: null,
          failure: result.failure,
        } satisfies FromWriter);
      }
    }
    if (close) {
      db.close();
      port.postMessage({ type: 'closed' } satisfies FromWriter);
      port.close();
    }
  });
}

/** The worker's source text: the functions above, then a call of the last. */
export const WRITER_THREAD_SOURCE = `'use strict';
const configureConnection = ${configureConnection.toString()};
const createWriter = ${createWriter.toString()};
const decodeGroup = ${decodeGroup.toString()};
const encodeOutcomes = ${encodeOutcomes.toString()};
(${runWriterThread.toString()})(configureConnection, createWriter, decodeGroup, encodeOutcomes);
`;
