import Database from 'better-sqlite3';
import { SqliteEventStore } from '#event-store';
import { OppdragProjector, ReadModelStore } from '#projections';

/**
 * Work the benchmark runs in a process of its own, so that each figure (and each peak RSS) is measured
 * cleanly. Prints one JSON line with the result.
 *
 *   child.js replay <events.db> <readmodels.db>   rebuild all read models from zero
 *   child.js scan <events.db>                     raw ordered scan, then scan + JSON.parse (the ceiling)
 *   child.js read-events <events.db>              one raw scan + JSON.parse pass, then exit
 *   child.js read-summaries <readmodels.db>       read and JSON.parse every stored summary (what a warm
 *                                                 start-up reads), then exit
 */

const BATCH = 5000;

/** position, stream_id, revision, event_id, type, data, metadata, recorded_at */
type Row = [number, string, number, string, string, string, string, string];

function rss(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS * 1024;
}

async function replay(eventsPath: string, readModelPath: string): Promise<object> {
  const store = new SqliteEventStore({ path: eventsPath });
  const readModels = new ReadModelStore(readModelPath);
  const projector = new OppdragProjector(store, readModels);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await projector.start();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const position = Number(projector.position()?.commit ?? 0n);
  const views = projector.summaries.size;
  const peak = rss();
  await projector.stop();
  readModels.close();
  await store.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, events: position, views, maxRssBytes: peak };
}

/** Reads every row in global order, in batches as the store does, optionally parsing the payloads. */
function pass(
  db: Database.Database,
  parse: boolean,
): { ms: number; cpuMs: number; rows: number; parseMs: number } {
  // Rows as arrays (better-sqlite3's raw mode): the fastest way it reads them.
  const select = db
    .prepare<[number, number], Row>(
      'SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?',
    )
    .raw(true);
  let after = 0;
  let rows = 0;
  let parseMs = 0;
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (;;) {
    const batch = select.all(after, BATCH);
    if (batch.length === 0) break;
    if (parse) {
      const p0 = performance.now();
      for (const row of batch) {
        const data = JSON.parse(row[5]) as Record<string, unknown>;
        const metadata = JSON.parse(row[6]) as Record<string, unknown>;
        if (data && metadata) sink += 1;
      }
      parseMs += performance.now() - p0;
    }
    rows += batch.length;
    after = (batch[batch.length - 1] as Row)[0];
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (parse && sink !== rows) throw new Error('parse pass lost rows');
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, rows, parseMs };
}

function scan(eventsPath: string): object {
  const db = new Database(eventsPath, { readonly: true });
  try {
    const scanOnly = pass(db, false);
    const scanParse = pass(db, true);
    return {
      rows: scanOnly.rows,
      scanMs: scanOnly.ms,
      scanCpuMs: scanOnly.cpuMs,
      scanParseMs: scanParse.ms,
      scanParseCpuMs: scanParse.cpuMs,
      parseMs: scanParse.parseMs,
      maxRssBytes: rss(),
    };
  } finally {
    db.close();
  }
}

function readEvents(eventsPath: string): object {
  const db = new Database(eventsPath, { readonly: true });
  try {
    const result = pass(db, true);
    return { rows: result.rows, ms: result.ms, maxRssBytes: rss() };
  } finally {
    db.close();
  }
}

function readSummaries(readModelPath: string): object {
  const db = new Database(readModelPath, { readonly: true });
  try {
    const t0 = performance.now();
    const summaries: unknown[] = [];
    for (const text of db.prepare<[], string>('SELECT summary FROM oppdrag_summary').pluck().iterate())
      summaries.push(JSON.parse(text));
    return { summaries: summaries.length, ms: performance.now() - t0, maxRssBytes: rss() };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  let result: object;
  if (mode === 'replay' && a && b) result = await replay(a, b);
  else if (mode === 'scan' && a) result = scan(a);
  else if (mode === 'read-events' && a) result = readEvents(a);
  else if (mode === 'read-summaries' && a) result = readSummaries(a);
  else throw new Error(`usage: child.js replay|scan|read-events|read-summaries <paths> (got ${mode})`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
