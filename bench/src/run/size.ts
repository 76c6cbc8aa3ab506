import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { generateInto, type GeneratedData } from '../data/generate.js';
import { log } from '../log.js';
import { runChild, startApi } from '../proc.js';
import type { Profile } from '../profile.js';
import { RawStore, rawFill, removeDb, storePragmas, storeSchema, type Pragmas } from '../raw.js';
import { sizeLabel } from '../report.js';
import { perSecond } from '../stats.js';
import { appendBench, type AppendResults } from '../suites/append.js';
import { loadPhase, type LoadPhaseResult } from './load-phase.js';

/** Everything measured at one data size. */
export interface SizeResult {
  readonly size: number;
  readonly generated: Omit<GeneratedData, 'open' | 'groupStarts'> & { openWithLead: number };
  readonly pragmas: Pragmas;
  /** Each of these is measured when its suite runs (see `--suites=`). */
  readonly rawFillMs?: number;
  readonly replay?: { ms: number; cpuMs: number; events: number; views: number; maxRssBytes: number };
  readonly scan?: {
    rows: number;
    scanMs: number;
    scanParseMs: number;
    scanParseCpuMs: number;
    parseMs: number;
    maxRssBytes: number;
  };
  readonly startup?: {
    readonly coldMs: number;
    readonly warmMs: number;
    readonly coldPeakRssBytes: number | null;
    readonly warmPeakRssBytes: number | null;
    readonly readEventsWallMs: number;
    readonly readEventsRssBytes: number;
    readonly readSummariesWallMs: number;
  };
  readonly appends?: AppendResults;
  readonly load?: LoadPhaseResult;
}

/** Peak resident set of a running process (Linux /proc), or null where that cannot be read. */
function peakRss(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** A copy of a closed SQLite database (with its WAL, if one was left). */
function copyDb(from: string, to: string): void {
  removeDb(to);
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** The data files of one size, in the run's folder. */
function sizePaths(dir: string, size: number) {
  const label = sizeLabel(size);
  return {
    events: join(dir, `events-${label}.db`),
    raw: join(dir, `raw-${label}.db`),
    readModels: join(dir, `readmodels-${label}.db`),
    replay: join(dir, `replay-${label}.db`),
  };
}

/**
 * One size: fill the store through the domain, the raw reference fill, replay and scan in child
 * processes, cold and warm start-up of the built API, the load phase (at the profile's load size), then
 * appends and commands on top of the filled store.
 */
export async function benchSize(
  size: number,
  profile: Profile,
  dir: string,
  nowMs: number,
  keep: boolean,
  /** Where to leave a copy of the store as filled (before anything else writes to it), for the peers. */
  fillCopy?: string,
): Promise<SizeResult> {
  const label = sizeLabel(size);
  const paths = sizePaths(dir, size);
  for (const p of Object.values(paths)) removeDb(p);

  // 1. Fill the store through the embedded store: appends of whole commands, ~1,000 per commit.
  log(`${label}: generating and appending`);
  let store = new SqliteEventStore({ path: paths.events });
  const pragmas = storePragmas(store);
  const generated = await generateInto(store, { targetEvents: size, now: nowMs });
  await store.close();
  if (fillCopy) copyDb(paths.events, fillCopy);
  log(
    `${label}: ${generated.events} events, ${generated.oppdrag} oppdrag, ${generated.commits} commits, store ${Math.round(generated.storeMs)} ms, generation ${Math.round(generated.generateMs)} ms, refused ${generated.refused}`,
  );

  const suites = profile.suites;
  // The raw reference: the same rows, same schema and pragmas, the same commit groups.
  let raw: RawStore | null = null;
  let rawFillMs: number | undefined;
  if (suites.has('appends')) {
    raw = new RawStore(paths.raw, storeSchema(paths.events), pragmas);
    rawFillMs = rawFill(paths.events, raw, generated.groupStarts);
    log(`${label}: raw fill ${Math.round(rawFillMs)} ms`);
  }

  // 2. Replay in a child process, and the raw scan + parse ceiling in another.
  let replay: SizeResult['replay'];
  let scan: SizeResult['scan'];
  if (suites.has('replay')) {
    replay = (await runChild<NonNullable<SizeResult['replay']>>(['replay', paths.events, paths.replay]))
      .result;
    removeDb(paths.replay);
    scan = (await runChild<NonNullable<SizeResult['scan']>>(['scan', paths.events])).result;
    log(
      `${label}: replay ${Math.round(perSecond(replay.events, replay.ms))} ev/s, CPU ${Math.round(replay.cpuMs)} ms, ${mib(replay.maxRssBytes)} MiB; raw scan+parse ${Math.round(perSecond(scan.rows, scan.scanParseMs))} ev/s, CPU ${Math.round(scan.scanParseCpuMs)} ms, ${mib(scan.maxRssBytes)} MiB`,
    );
  }

  // 3. Start-up of the built API: cold (no read models, full replay), then warm (read models on disk).
  let startup: SizeResult['startup'];
  let load: LoadPhaseResult | undefined;
  if (suites.has('startup') || suites.has('load')) {
    const apiPaths = { eventStorePath: paths.events, readModelPath: paths.readModels };
    const cold = await startApi(apiPaths);
    const coldPeak = peakRss(cold.child.pid);
    await cold.stop();
    const warm = await startApi(apiPaths);
    const warmPeak = peakRss(warm.child.pid);
    try {
      if (suites.has('startup')) {
        const readEvents = await runChild<{ rows: number; ms: number; maxRssBytes: number }>([
          'read-events',
          paths.events,
        ]);
        const readSummaries = await runChild<{ summaries: number; ms: number }>([
          'read-summaries',
          paths.readModels,
        ]);
        log(
          `${label}: start-up cold ${Math.round(cold.readyMs)} ms (${coldPeak === null ? '?' : mib(coldPeak)} MiB), warm ${Math.round(warm.readyMs)} ms; scan + parse process ${Math.round(readEvents.wallMs)} ms (${mib(readEvents.result.maxRssBytes)} MiB)`,
        );
        startup = {
          coldMs: cold.readyMs,
          warmMs: warm.readyMs,
          coldPeakRssBytes: coldPeak,
          warmPeakRssBytes: warmPeak,
          readEventsWallMs: readEvents.wallMs,
          readEventsRssBytes: readEvents.result.maxRssBytes,
          readSummariesWallMs: readSummaries.wallMs,
        };
      }
      // 4. Queries and mutations under load, at one size, against the warm API.
      if (suites.has('load') && size === profile.loadSize)
        load = await loadPhase(warm, paths.events, generated, profile, nowMs);
    } finally {
      await warm.stop();
    }
  }

  // 5. Appends and commands on top of the store, each followed by its raw reference.
  let appends: AppendResults | undefined;
  if (raw) {
    log(`${label}: appends and commands`);
    store = new SqliteEventStore({ path: paths.events });
    appends = await appendBench(store, paths.events, raw, profile.appends, `b${label.toLowerCase()}`);
    await store.close();
    raw.close();
  }
  if (!keep) for (const p of [paths.events, paths.raw, paths.readModels]) removeDb(p);

  const { open, groupStarts: _groups, ...summary } = generated;
  return {
    size,
    generated: { ...summary, openWithLead: open.length },
    pragmas,
    ...(rawFillMs !== undefined ? { rawFillMs } : {}),
    ...(replay ? { replay } : {}),
    ...(scan ? { scan } : {}),
    ...(startup ? { startup } : {}),
    ...(appends ? { appends } : {}),
    ...(load ? { load } : {}),
  };
}
