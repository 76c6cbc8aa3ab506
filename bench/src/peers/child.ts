import Database from 'better-sqlite3';
import { decodeEvent, evolve, initialState, oppdragIdFromStream, type OppdragState } from '#domain';
import { SqliteEventStore, type Position } from '#event-store';
import { now } from '../stats.js';
import type { AppendCounts } from '../suites/append.js';
import { loadEmmett, type EmmettEvent, type EmmettStore, type Emmett } from './emmett.js';
import { evolveStored, peerAppends, peerFold, peerLongStream } from './workloads.js';

/**
 * The peer benchmark's work, each run in a process of its own. Prints one JSON line with the result.
 *
 *   child.js ours-fold <events.db>
 *       the project's store: every event in global order, each stream folded with evolve
 *   child.js emmett-size <emmett dir> <sqlite|postgres> <file|connection string> <events.db> <counts> <tag>
 *       fill Emmett's store with the events of events.db, then appends, commands and the full fold
 *   child.js emmett-stream <emmett dir> <sqlite|postgres> <file|connection string> <aggregate.db> <runs>
 *       the long stream of aggregate.db into Emmett's store, then read + fold + decide, median of runs
 */

type StoreKind = 'sqlite' | 'postgres';
const BATCH = 5000;
/** Events per commit when the SQLite store is filled, as the project's own fill groups them. */
const FILL_PER_COMMIT = 1000;
/** Events per append call when a long stream is filled. */
const FILL_SLICE = 500;
/** Streams appended at once when the PostgreSQL store is filled (one transaction per stream there). */
const FILL_IN_FLIGHT = 16;

interface SourceStream {
  readonly name: string;
  readonly events: EmmettEvent[];
}

/** The streams of a project store, each with its events in order, streams in order of first event. */
function readSource(path: string, where = '', params: unknown[] = []): SourceStream[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<unknown[], { stream_id: string; type: string; data: string; metadata: string }>(
        `SELECT stream_id, type, data, metadata FROM events ${where} ORDER BY position`,
      )
      .iterate(...params);
    const streams = new Map<string, EmmettEvent[]>();
    for (const row of rows) {
      let list = streams.get(row.stream_id);
      if (!list) streams.set(row.stream_id, (list = []));
      list.push({
        type: row.type,
        data: JSON.parse(row.data) as Record<string, unknown>,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
      });
    }
    return [...streams].map(([name, events]) => ({ name, events }));
  } finally {
    db.close();
  }
}

/** Emmett takes the stream type from the name's first part, as the project names streams `oppdrag-<id>`. */
const streamType = (name: string): string => name.split('-')[0] ?? 'oppdrag';

async function fillSqlite(
  emmett: Emmett,
  fileName: string,
  streams: readonly SourceStream[],
): Promise<number> {
  const connection = emmett.sqlite.sqliteConnection({ fileName });
  const t0 = now();
  try {
    for (let i = 0; i < streams.length;) {
      let events = 0;
      const group: SourceStream[] = [];
      while (i < streams.length && events < FILL_PER_COMMIT) {
        const s = streams[i++]!;
        group.push(s);
        events += s.events.length;
      }
      await connection.withTransaction(async () => {
        for (const s of group) {
          // In slices: one append binds several SQL variables per event, and SQLite caps them per statement.
          for (let from = 0; from < s.events.length; from += FILL_SLICE) {
            const slice = s.events.slice(from, from + FILL_SLICE);
            const result = await emmett.sqlite.appendToStream(connection, s.name, streamType(s.name), slice);
            if (!result.success) throw new Error(`fill: append to ${s.name} refused`);
          }
        }
      });
    }
  } finally {
    connection.close();
  }
  return now() - t0;
}

async function fillPostgres(store: EmmettStore, streams: readonly SourceStream[]): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < streams.length; i = next++) {
      const s = streams[i]!;
      for (let from = 0; from < s.events.length; from += FILL_PER_COMMIT)
        await store.appendToStream(s.name, s.events.slice(from, from + FILL_PER_COMMIT));
    }
  };
  const t0 = now();
  await Promise.all(Array.from({ length: FILL_IN_FLIGHT }, worker));
  return now() - t0;
}

interface Opened {
  readonly store: EmmettStore;
  fill(streams: readonly SourceStream[]): Promise<number>;
  fold(): Promise<{ events: number; streams: number; ms: number }>;
  close(): Promise<void>;
}

/** Emmett's store of either kind, as its documentation opens it (default options). */
async function open(emmett: Emmett, kind: StoreKind, target: string): Promise<Opened> {
  if (kind === 'sqlite') {
    const store = emmett.sqlite.getSQLiteEventStore({ fileName: target });
    await store.schema?.migrate();
    return {
      store,
      fill: (streams) => fillSqlite(emmett, target, streams),
      fold: async () => {
        const connection = emmett.sqlite.sqliteConnection({ fileName: target });
        try {
          return await peerFold((after) =>
            emmett.sqlite.readMessagesBatch(connection, { after, batchSize: BATCH }),
          );
        } finally {
          connection.close();
        }
      },
      close: async () => {},
    };
  }
  const store = emmett.postgres.getPostgreSQLEventStore(target);
  await store.schema?.migrate();
  return {
    store,
    fill: (streams) => fillPostgres(store, streams),
    fold: async () => {
      const pool = emmett.dumbo.dumbo({ connectionString: target });
      try {
        return await peerFold((after) =>
          emmett.postgres.readMessagesBatch(pool.execute, { after, batchSize: BATCH }),
        );
      } finally {
        await pool.close();
      }
    },
    close: () => store.close(),
  };
}

/** The durability of Emmett's SQLite connections, as a new one of them reports it. */
async function sqliteSynchronous(emmett: Emmett, fileName: string): Promise<number> {
  const connection = emmett.sqlite.sqliteConnection({ fileName });
  try {
    const [row] = await connection.query<{ synchronous: number }>('PRAGMA synchronous');
    return row?.synchronous ?? Number.NaN;
  } finally {
    connection.close();
  }
}

async function emmettSize(
  dir: string,
  kind: StoreKind,
  target: string,
  source: string,
  counts: AppendCounts,
  tag: string,
): Promise<object> {
  const emmett = loadEmmett(dir);
  const opened = await open(emmett, kind, target);
  try {
    const streams = readSource(source);
    const fillMs = await opened.fill(streams);
    const fillEvents = streams.reduce((n, s) => n + s.events.length, 0);
    const handler = emmett.core.CommandHandler<OppdragState>({ evolve: evolveStored, initialState });
    const appends = await peerAppends(opened.store, handler, counts, tag);
    const fold = await opened.fold();
    const synchronous = kind === 'sqlite' ? await sqliteSynchronous(emmett, target) : undefined;
    return { versions: emmett.versions, fillEvents, fillMs, appends, fold, synchronous };
  } finally {
    await opened.close();
  }
}

async function emmettStream(
  dir: string,
  kind: StoreKind,
  target: string,
  source: string,
  runs: number,
): Promise<object> {
  const emmett = loadEmmett(dir);
  const opened = await open(emmett, kind, target);
  try {
    // The aggregate's history, without the rows its raw reference inserted afterwards.
    const [stream] = readSource(source, 'WHERE revision < ?', [1_000_000]);
    if (!stream) throw new Error(`${source} holds no stream`);
    await opened.fill([stream]);
    const result = await peerLongStream(opened.store, stream.name, oppdragIdFromStream(stream.name), runs);
    return { versions: emmett.versions, ...result };
  } finally {
    await opened.close();
  }
}

/** The project's side of the full fold: its store's readAll, the same decoder and evolve. */
async function oursFold(path: string): Promise<object> {
  const store = new SqliteEventStore({ path });
  const states = new Map<string, OppdragState>();
  let events = 0;
  const t0 = now();
  let after: Position | null = null;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: BATCH });
    for (const e of batch)
      states.set(e.streamId, evolve(states.get(e.streamId) ?? initialState(), decodeEvent(e.type, e.data)));
    events += batch.length;
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.position;
  }
  const ms = now() - t0;
  await store.close();
  return { events, streams: states.size, ms };
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const arg = (i: number): string => {
    const value = args[i];
    if (value === undefined) throw new Error(`${command}: argument ${i + 1} is missing`);
    return value;
  };
  const kind = (): StoreKind => {
    const value = arg(1);
    if (value !== 'sqlite' && value !== 'postgres')
      throw new Error(`store: sqlite or postgres, not ${value}`);
    return value;
  };
  let result: object;
  if (command === 'ours-fold') result = await oursFold(arg(0));
  else if (command === 'emmett-size')
    result = await emmettSize(arg(0), kind(), arg(2), arg(3), JSON.parse(arg(4)) as AppendCounts, arg(5));
  else if (command === 'emmett-stream')
    result = await emmettStream(arg(0), kind(), arg(2), arg(3), Number(arg(4)));
  else throw new Error(`unknown command ${String(command)}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
