import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { generateInto, type GeneratedData } from '../data/generate.js';
import { log } from '../log.js';
import { runChild, startApi, type ApiProcess } from '../proc.js';
import type { Phase, Profile } from '../profile.js';
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
  readonly rawFillMs: number;
  /** The parts below are absent when `--only=` left them out. */
  readonly replay?: { ms: number; events: number; views: number; maxRssBytes: number };
  readonly scan?: { rows: number; scanMs: number; scanParseMs: number; parseMs: number; maxRssBytes: number };
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
  only: ReadonlySet<Phase>,
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
  log(
    `${label}: ${generated.events} events, ${generated.oppdrag} oppdrag, ${generated.commits} commits, store ${Math.round(generated.storeMs)} ms, generation ${Math.round(generated.generateMs)} ms, refused ${generated.refused}`,
  );

  // The raw reference: the same rows, same schema and pragmas, the same commit groups.
  const raw = new RawStore(paths.raw, storeSchema(paths.events), pragmas);
  const rawFillMs = rawFill(paths.events, raw, generated.groupStarts);
  log(`${label}: raw fill ${Math.round(rawFillMs)} ms`);

  // 2. Replay in a child process, and the raw scan + parse ceiling in another.
  let replay: SizeResult['replay'];
  let scan: SizeResult['scan'];
  if (only.has('replay')) {
    const replayed = (
      await runChild<NonNullable<SizeResult['replay']>>(['replay', paths.events, paths.replay])
    ).result;
    removeDb(paths.replay);
    const scanned = (await runChild<NonNullable<SizeResult['scan']>>(['scan', paths.events])).result;
    log(
      `${label}: replay ${Math.round(perSecond(replayed.events, replayed.ms))} ev/s (${Math.round(replayed.maxRssBytes / 2 ** 20)} MiB), raw scan+parse ${Math.round(perSecond(scanned.rows, scanned.scanParseMs))} ev/s`,
    );
    replay = replayed;
    scan = scanned;
  }

  // 3. Start-up of the built API: cold (no read models, full replay), then warm (read models on disk).
  // Without the start-up part, the load part starts the API once.
  const apiPaths = { eventStorePath: paths.events, readModelPath: paths.readModels };
  const loadHere = only.has('load') && size === profile.loadSize;
  let startup: SizeResult['startup'];
  let warm: ApiProcess | null = null;
  if (only.has('startup')) {
    const cold = await startApi(apiPaths);
    const coldPeak = peakRss(cold.child.pid);
    await cold.stop();
    warm = await startApi(apiPaths);
    const warmPeak = peakRss(warm.child.pid);
    const readEvents = await runChild<{ rows: number; ms: number; maxRssBytes: number }>([
      'read-events',
      paths.events,
    ]);
    const readSummaries = await runChild<{ summaries: number; ms: number }>([
      'read-summaries',
      paths.readModels,
    ]);
    log(`${label}: start-up cold ${Math.round(cold.readyMs)} ms, warm ${Math.round(warm.readyMs)} ms`);
    startup = {
      coldMs: cold.readyMs,
      warmMs: warm.readyMs,
      coldPeakRssBytes: coldPeak,
      warmPeakRssBytes: warmPeak,
      readEventsWallMs: readEvents.wallMs,
      readEventsRssBytes: readEvents.result.maxRssBytes,
      readSummariesWallMs: readSummaries.wallMs,
    };
  } else if (loadHere) {
    warm = await startApi(apiPaths);
  }

  // 4. Queries and mutations under load, at one size, against the warm API.
  let load: LoadPhaseResult | undefined;
  try {
    if (warm && loadHere) load = await loadPhase(warm, paths.events, generated, profile, nowMs);
  } finally {
    await warm?.stop();
  }

  // 5. Appends and commands on top of the store, each followed by its raw reference.
  let appends: AppendResults | undefined;
  if (only.has('appends')) {
    log(`${label}: appends and commands`);
    store = new SqliteEventStore({ path: paths.events });
    appends = await appendBench(store, paths.events, raw, profile.appends, `b${label.toLowerCase()}`);
    await store.close();
  }
  raw.close();
  if (!keep) for (const p of [paths.events, paths.raw, paths.readModels]) removeDb(p);

  const { open, groupStarts: _groups, ...summary } = generated;
  return {
    size,
    generated: { ...summary, openWithLead: open.length },
    pragmas,
    rawFillMs,
    ...(replay ? { replay } : {}),
    ...(scan ? { scan } : {}),
    ...(startup ? { startup } : {}),
    ...(appends ? { appends } : {}),
    ...(load ? { load } : {}),
  };
}
