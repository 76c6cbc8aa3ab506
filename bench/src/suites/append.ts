import { ManualClock, OppdragCommandHandler } from '#application';
import type { EventToAppend, SqliteEventStore } from '#event-store';
import { lifecycle, lifecycleEvents, todayOf, type Lifecycle } from '../data/lifecycle.js';
import { RowReader, unitsByCommand, type EventRow, type RawStore } from '../raw.js';
import { now } from '../stats.js';

export interface AppendCounts {
  readonly singleSequential: number;
  readonly singleConcurrent: number;
  readonly commandsSequential: number;
  readonly commandsConcurrent: number;
  /** Appends (or commands) in flight in the concurrent runs. */
  readonly inFlight: number;
}

export interface Measured {
  /** Events (or commands) done. */
  readonly count: number;
  readonly events: number;
  readonly ms: number;
  /** The raw reference: the same rows into the raw database, grouped as described. */
  readonly referenceMs: number;
  readonly referenceGrouping: string;
}

export interface AppendResults {
  readonly singleSequential: Measured;
  readonly singleConcurrent: Measured;
  readonly commandsSequential: Measured;
  readonly commandsConcurrent: Measured;
}

/** One event of a fresh lifecycle, with the revision its stream is at before it. */
export interface Single {
  readonly streamId: string;
  readonly event: EventToAppend;
  readonly expected: number | 'no_stream';
}

/** Single events of fresh lifecycles, one append each, in stream order. */
export function singles(tag: string, count: number, nowMs: number): Single[][] {
  const today = todayOf(nowMs);
  const nowIso = new Date(nowMs).toISOString();
  const streams: Single[][] = [];
  let total = 0;
  for (let i = 0; total < count; i++) {
    const life = lifecycle(tag, i, today);
    const list: Single[] = [];
    let revision = -1;
    for (const events of lifecycleEvents(life, nowIso)) {
      for (const event of events) {
        if (total >= count) break;
        list.push({ streamId: life.streamId, event, expected: revision < 0 ? 'no_stream' : revision });
        revision += 1;
        total += 1;
      }
    }
    streams.push(list);
  }
  return streams;
}

/** Fresh lifecycles whose commands add up to at least `commands`, one oppdrag each. */
export function lifecycles(prefix: string, commands: number, nowMs: number): Lifecycle[] {
  const today = todayOf(nowMs);
  const out: Lifecycle[] = [];
  let total = 0;
  for (let i = 0; total < commands; i++) {
    const life = lifecycle(prefix, i, today);
    out.push(life);
    total += life.commands.length;
  }
  return out;
}

/**
 * Appends and commands on top of an existing store: single-event appends (each durable on return),
 * sequential and with `inFlight` in flight (sharing the group commit), and whole commands through the
 * command handler (load, fold, decide, append), sequential and concurrent. Each is followed by its raw
 * reference: the very rows it wrote, inserted with plain better-sqlite3 in transactions of the same size.
 */
export async function appendBench(
  store: SqliteEventStore,
  storePath: string,
  raw: RawStore,
  counts: AppendCounts,
  tag: string,
): Promise<AppendResults> {
  const reader = new RowReader(storePath);
  const nowMs = Date.now();
  const written = (from: number): EventRow[] => reader.rows(from, reader.head() + 1);
  try {
    // 1. Single events, sequential: every append awaited before the next.
    let head = reader.head();
    const seqStreams = singles(`${tag}-s`, counts.singleSequential, nowMs);
    let t0 = now();
    for (const stream of seqStreams) {
      for (const s of stream) {
        await store.appendToStream(s.streamId, [s.event], { expectedRevision: s.expected });
      }
    }
    let ms = now() - t0;
    let rows = written(head + 1);
    const singleSequential: Measured = {
      count: rows.length,
      events: rows.length,
      ms,
      referenceMs: raw.insertUnits(
        rows.map((r) => [r]),
        1,
      ),
      referenceGrouping: '1 row per transaction',
    };

    // 2. Single events, concurrent: `inFlight` streams appended at once, each event awaited.
    head = reader.head();
    const concStreams = singles(`${tag}-c`, counts.singleConcurrent, nowMs);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let s = next++; s < concStreams.length; s = next++) {
        for (const e of concStreams[s] as Single[]) {
          await store.appendToStream(e.streamId, [e.event], { expectedRevision: e.expected });
        }
      }
    };
    t0 = now();
    await Promise.all(Array.from({ length: counts.inFlight }, worker));
    ms = now() - t0;
    rows = written(head + 1);
    const singleConcurrent: Measured = {
      count: rows.length,
      events: rows.length,
      ms,
      referenceMs: raw.insertUnits(
        rows.map((r) => [r]),
        counts.inFlight,
      ),
      referenceGrouping: `${counts.inFlight} rows per transaction`,
    };

    // 3. Commands through the handler, sequential.
    const clock = new ManualClock(new Date(nowMs).toISOString());
    const handler = new OppdragCommandHandler(store, clock);
    const lives = (prefix: string, commands: number): Lifecycle[] => lifecycles(prefix, commands, nowMs);
    head = reader.head();
    let done = 0;
    const seqLives = lives(`${tag}-h`, counts.commandsSequential);
    t0 = now();
    for (const life of seqLives) {
      for (const c of life.commands) {
        if (done >= counts.commandsSequential) break;
        await handler.handle(c.command, { commandId: c.commandId, actor: c.actor });
        done += 1;
      }
    }
    ms = now() - t0;
    rows = written(head + 1);
    let units = unitsByCommand(rows);
    const commandsSequential: Measured = {
      count: done,
      events: rows.length,
      ms,
      referenceMs: raw.insertUnits(units, 1),
      referenceGrouping: "1 command's rows per transaction",
    };

    // 4. Commands through the handler, `inFlight` oppdrag at once, each lifecycle in order.
    head = reader.head();
    const concLives = lives(`${tag}-k`, counts.commandsConcurrent);
    let nextLife = 0;
    done = 0;
    const commandWorker = async (): Promise<void> => {
      for (let l = nextLife++; l < concLives.length; l = nextLife++) {
        for (const c of (concLives[l] as Lifecycle).commands) {
          await handler.handle(c.command, { commandId: c.commandId, actor: c.actor });
          done += 1;
        }
      }
    };
    t0 = now();
    await Promise.all(Array.from({ length: counts.inFlight }, commandWorker));
    ms = now() - t0;
    rows = written(head + 1);
    units = unitsByCommand(rows);
    const commandsConcurrent: Measured = {
      count: done,
      events: rows.length,
      ms,
      referenceMs: raw.insertUnits(units, counts.inFlight),
      referenceGrouping: `${counts.inFlight} commands' rows per transaction`,
    };
    return { singleSequential, singleConcurrent, commandsSequential, commandsConcurrent };
  } finally {
    reader.close();
  }
}
