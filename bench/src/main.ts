import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { generateInto, type GeneratedData } from './data/generate.js';
import { todayOf } from './data/lifecycle.js';
import { REPO_ROOT, runChild, startApi, type ApiProcess } from './proc.js';
import { RawStore, rawFill, removeDb, storePragmas, storeSchema, type Pragmas } from './raw.js';
import { markdownTable, ratioOf, sizeLabel, targetList, type Figure, type Target } from './report.js';
import { perSecond } from './stats.js';
import { aggregateBench, type AggregateResult } from './suites/aggregate.js';
import { appendBench, type AppendCounts, type AppendResults } from './suites/append.js';
import {
  coordinatorToken,
  mutationJobs,
  mutationLoad,
  QUERIES,
  queryLoad,
  queryOnce,
  type LoadResult,
  type MutationResult,
} from './suites/load.js';

/** The parts of the suite a run can be limited to with `--suites=` (all by default). */
const SUITES = ['replay', 'startup', 'load', 'appends', 'aggregate'] as const;
type Suite = (typeof SUITES)[number];

interface Profile {
  readonly name: 'full' | 'quick';
  readonly suites: ReadonlySet<Suite>;
  readonly sizes: readonly number[];
  /** The size at which the API is put under query and mutation load. */
  readonly loadSize: number;
  readonly appends: AppendCounts;
  readonly query: { readonly connections: number; readonly durationS: number };
  readonly mutation: {
    readonly connections: number;
    readonly maxDurationS: number;
    readonly maxJobs: number;
  };
  readonly aggregate: { readonly events: number; readonly runs: number };
}

const FULL: Profile = {
  name: 'full',
  suites: new Set(SUITES),
  sizes: [10_000, 100_000, 1_000_000],
  loadSize: 100_000,
  appends: {
    singleSequential: 2000,
    singleConcurrent: 20_000,
    commandsSequential: 1000,
    commandsConcurrent: 10_000,
    inFlight: 64,
  },
  query: { connections: 10, durationS: 10 },
  mutation: { connections: 10, maxDurationS: 15, maxJobs: 15_000 },
  aggregate: { events: 10_000, runs: 20 },
};

const QUICK: Profile = {
  name: 'quick',
  suites: new Set(SUITES),
  sizes: [2_000, 5_000],
  loadSize: 5_000,
  appends: {
    singleSequential: 100,
    singleConcurrent: 1000,
    commandsSequential: 60,
    commandsConcurrent: 600,
    inFlight: 64,
  },
  query: { connections: 10, durationS: 1 },
  mutation: { connections: 10, maxDurationS: 3, maxJobs: 600 },
  aggregate: { events: 2_000, runs: 5 },
};

interface SizeResult {
  readonly size: number;
  readonly generated: Omit<GeneratedData, 'open' | 'groupStarts'> & { openWithLead: number };
  readonly pragmas: Pragmas;
  readonly rawFillMs?: number;
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
  readonly load?: {
    readonly overdue: LoadResult;
    readonly whoLeadsWhat: LoadResult;
    readonly page: LoadResult;
    readonly me: LoadResult;
    readonly sanity: Record<string, number>;
    readonly mutations: MutationResult;
    readonly meDuringMutations: LoadResult;
  };
}

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

function parseArgs(argv: readonly string[]): {
  profile: Profile;
  out: string;
  keep: boolean;
  dataDir: string | null;
} {
  const quick = argv.includes('--quick');
  let profile = quick ? QUICK : FULL;
  let out = quick ? join(REPO_ROOT, 'bench/results/raw/quick') : join(REPO_ROOT, 'bench/results');
  let dataDir: string | null = null;
  for (const arg of argv) {
    if (arg.startsWith('--sizes=')) {
      const sizes = arg
        .slice('--sizes='.length)
        .split(',')
        .map((s) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000')));
      if (sizes.some((s) => !Number.isInteger(s) || s < 500))
        throw new Error(`--sizes: whole numbers from 500`);
      profile = {
        ...profile,
        sizes,
        loadSize: sizes.includes(profile.loadSize) ? profile.loadSize : (sizes[0] as number),
      };
    } else if (arg.startsWith('--suites=')) {
      const names = arg.slice('--suites='.length).split(',');
      const unknown = names.filter((n) => !(SUITES as readonly string[]).includes(n));
      if (unknown.length > 0 || names.length === 0)
        throw new Error(
          `--suites: a comma-separated list of ${SUITES.join(', ')} (got ${unknown.join(', ')})`,
        );
      profile = { ...profile, suites: new Set(names as Suite[]) };
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('--data=')) dataDir = arg.slice('--data='.length);
  }
  return { profile, out, keep: argv.includes('--keep'), dataDir };
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

async function benchSize(
  size: number,
  profile: Profile,
  dir: string,
  nowMs: number,
  keep: boolean,
): Promise<SizeResult> {
  const label = sizeLabel(size);
  const eventsPath = join(dir, `events-${label}.db`);
  const rawPath = join(dir, `raw-${label}.db`);
  const readModelPath = join(dir, `readmodels-${label}.db`);
  const replayPath = join(dir, `replay-${label}.db`);
  for (const p of [eventsPath, rawPath, readModelPath, replayPath]) removeDb(p);

  // 1. Fill the store through the embedded store: appends of whole commands, ~1,000 per commit.
  log(`${label}: generating and appending`);
  let store = new SqliteEventStore({ path: eventsPath });
  const pragmas = storePragmas(store);
  const generated = await generateInto(store, { targetEvents: size, now: nowMs });
  await store.close();
  log(
    `${label}: ${generated.events} events, ${generated.oppdrag} oppdrag, ${generated.commits} commits, store ${Math.round(generated.storeMs)} ms, generation ${Math.round(generated.generateMs)} ms, refused ${generated.refused}`,
  );

  const suites = profile.suites;
  // The raw reference: the same rows, same schema and pragmas, the same commit groups.
  let raw: RawStore | null = null;
  let rawFillMs: number | undefined;
  if (suites.has('appends')) {
    raw = new RawStore(rawPath, storeSchema(eventsPath), pragmas);
    rawFillMs = rawFill(eventsPath, raw, generated.groupStarts);
    log(`${label}: raw fill ${Math.round(rawFillMs)} ms`);
  }

  // 2. Replay in a child process, and the raw scan + parse ceiling in another.
  let replay: SizeResult['replay'];
  let scan: SizeResult['scan'];
  if (suites.has('replay')) {
    replay = (await runChild<NonNullable<SizeResult['replay']>>(['replay', eventsPath, replayPath])).result;
    removeDb(replayPath);
    scan = (await runChild<NonNullable<SizeResult['scan']>>(['scan', eventsPath])).result;
    log(
      `${label}: replay ${Math.round(perSecond(replay.events, replay.ms))} ev/s (${Math.round(replay.maxRssBytes / 2 ** 20)} MiB), raw scan+parse ${Math.round(perSecond(scan.rows, scan.scanParseMs))} ev/s (${Math.round(scan.maxRssBytes / 2 ** 20)} MiB)`,
    );
  }

  // 3. Start-up of the built API: cold (no read models, full replay), then warm (read models on disk).
  let startup: SizeResult['startup'];
  let load: SizeResult['load'];
  if (suites.has('startup') || suites.has('load')) {
    const cold = await startApi({ eventStorePath: eventsPath, readModelPath });
    const coldPeak = peakRss(cold.child.pid);
    await cold.stop();
    const warm = await startApi({ eventStorePath: eventsPath, readModelPath });
    const warmPeak = peakRss(warm.child.pid);
    try {
      if (suites.has('startup')) {
        const readEvents = await runChild<{ rows: number; ms: number; maxRssBytes: number }>([
          'read-events',
          eventsPath,
        ]);
        const readSummaries = await runChild<{ summaries: number; ms: number }>([
          'read-summaries',
          readModelPath,
        ]);
        log(
          `${label}: start-up cold ${Math.round(cold.readyMs)} ms (${Math.round(MiB(coldPeak))} MiB), warm ${Math.round(warm.readyMs)} ms; scan + parse process ${Math.round(readEvents.wallMs)} ms (${Math.round(MiB(readEvents.result.maxRssBytes))} MiB)`,
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
        load = await loadPhase(warm, eventsPath, generated, profile, nowMs, generated.lastYear);
    } finally {
      await warm.stop();
    }
  }

  // 5. Appends and commands on top of the store, each followed by its raw reference.
  let appends: AppendResults | undefined;
  if (raw) {
    log(`${label}: appends and commands`);
    store = new SqliteEventStore({ path: eventsPath });
    appends = await appendBench(store, eventsPath, raw, profile.appends, `b${label.toLowerCase()}`);
    await store.close();
    raw.close();
  }
  if (!keep) for (const p of [eventsPath, rawPath, readModelPath]) removeDb(p);

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

async function loadPhase(
  api: ApiProcess,
  eventsPath: string,
  generated: GeneratedData,
  profile: Profile,
  nowMs: number,
  lastYear: number,
): Promise<NonNullable<SizeResult['load']>> {
  const token = await coordinatorToken();
  const page = QUERIES.page(lastYear - 1);
  const sanity: Record<string, number> = {};
  const overdueData = (await queryOnce(api.url, token, QUERIES.overdue)) as {
    overdue: { totalCount: number };
  };
  sanity.overdueTotal = overdueData.overdue.totalCount;
  const groups = (await queryOnce(api.url, token, QUERIES.whoLeadsWhat)) as {
    whoLeadsWhat: Array<{ totalCount: number }>;
  };
  sanity.whoLeadsWhatTotal = groups.whoLeadsWhat.reduce((n, g) => n + g.totalCount, 0);
  const pageData = (await queryOnce(api.url, token, page)) as { oppdragList: { totalCount: number } };
  sanity.pageTotal = pageData.oppdragList.totalCount;
  await queryOnce(api.url, token, QUERIES.me);
  log(
    `load: overdue ${sanity.overdueTotal}, open by lead ${sanity.whoLeadsWhatTotal}, page of ${sanity.pageTotal}`,
  );

  const options = profile.query;
  log(`load: queries, ${options.connections} connections × ${options.durationS} s each`);
  const me = await queryLoad(api.url, token, QUERIES.me, options);
  const overdue = await queryLoad(api.url, token, QUERIES.overdue, options);
  const whoLeadsWhat = await queryLoad(api.url, token, QUERIES.whoLeadsWhat, options);
  const pageLoad = await queryLoad(api.url, token, page, options);

  const jobs = await mutationJobs(
    generated.open,
    todayOf(nowMs),
    profile.mutation.connections,
    profile.mutation.maxJobs,
  );
  log(`load: ${jobs.perConnection.flat().length} mutations from ${profile.mutation.connections} connections`);
  const mutations = await mutationLoad(api.url, eventsPath, jobs, profile.mutation);
  // The reference for the mutation figures: the trivial query on the same server right after.
  const meDuringMutations = await queryLoad(api.url, token, QUERIES.me, {
    connections: profile.mutation.connections,
    durationS: Math.max(1, Math.min(profile.query.durationS, Math.round(mutations.durationS))),
  });
  log(
    `load: mutations ${Math.round(mutations.rps)}/s p99 ${mutations.p99} ms, lost ${mutations.lost}, duplicated ${mutations.duplicated}`,
  );
  return { overdue, whoLeadsWhat, page: pageLoad, me, sanity, mutations, meDuringMutations };
}

const MiB = (bytes: number | null): number => (bytes === null ? Number.NaN : bytes / 2 ** 20);

function figures(
  results: readonly SizeResult[],
  aggregate: AggregateResult | null,
  profile: Profile,
): Figure[] {
  const out: Figure[] = [];
  const inFlight = profile.appends.inFlight;
  for (const r of results) {
    const s = sizeLabel(r.size);
    const a = r.appends;
    if (!a || r.rawFillMs === undefined) continue;
    out.push(
      {
        key: `append.fill.${r.size}`,
        section: 'append',
        figure: `[${s}] Fill: whole-command appends, ~1,000 appends per commit (events/s)`,
        ours: perSecond(r.generated.events, r.generated.storeMs),
        unit: 'events/s',
        reference: perSecond(r.generated.events, r.rawFillMs),
        referenceLabel: 'raw better-sqlite3 inserts, same rows and commit groups',
      },
      {
        key: `append.singleSequential.${r.size}`,
        section: 'append',
        figure: `[${s}] Single-event appends, sequential, each durable on return`,
        ours: perSecond(a.singleSequential.count, a.singleSequential.ms),
        unit: 'events/s',
        reference: perSecond(a.singleSequential.count, a.singleSequential.referenceMs),
        referenceLabel: `raw inserts, ${a.singleSequential.referenceGrouping}`,
      },
      {
        key: `append.singleConcurrent.${r.size}`,
        section: 'append',
        figure: `[${s}] Single-event appends, ${inFlight} in flight (group commit), each durable on return`,
        ours: perSecond(a.singleConcurrent.count, a.singleConcurrent.ms),
        unit: 'events/s',
        reference: perSecond(a.singleConcurrent.count, a.singleConcurrent.referenceMs),
        referenceLabel: `raw inserts, ${a.singleConcurrent.referenceGrouping}`,
      },
      {
        key: `append.commandsSequential.${r.size}`,
        section: 'append',
        figure: `[${s}] Commands through the handler (load, decide, append), sequential`,
        ours: perSecond(a.commandsSequential.count, a.commandsSequential.ms),
        unit: 'commands/s',
        reference: perSecond(a.commandsSequential.count, a.commandsSequential.referenceMs),
        referenceLabel: `raw inserts of the same rows, ${a.commandsSequential.referenceGrouping}`,
      },
      {
        key: `append.commandsConcurrent.${r.size}`,
        section: 'append',
        figure: `[${s}] Commands through the handler, ${inFlight} in flight`,
        ours: perSecond(a.commandsConcurrent.count, a.commandsConcurrent.ms),
        unit: 'commands/s',
        reference: perSecond(a.commandsConcurrent.count, a.commandsConcurrent.referenceMs),
        referenceLabel: `raw inserts of the same rows, ${a.commandsConcurrent.referenceGrouping}`,
      },
    );
  }
  for (const r of results) {
    const s = sizeLabel(r.size);
    const { replay, scan } = r;
    if (!replay || !scan) continue;
    out.push(
      {
        key: `replay.eventsPerS.${r.size}`,
        section: 'replay',
        figure: `[${s}] Replay: all read models rebuilt from zero (child process)`,
        ours: perSecond(replay.events, replay.ms),
        unit: 'events/s',
        reference: perSecond(scan.rows, scan.scanParseMs),
        referenceLabel: 'raw ordered scan + JSON.parse of data and metadata (ceiling)',
      },
      {
        key: `replay.peakRss.${r.size}`,
        section: 'replay',
        figure: `[${s}] Replay: peak RSS of the process`,
        ours: MiB(replay.maxRssBytes),
        unit: 'MiB',
        reference: MiB(scan.maxRssBytes),
        referenceLabel: 'peak RSS of the raw scan + parse process',
      },
    );
  }
  const first = results[0];
  const last = results[results.length - 1];
  if (first?.replay && first.scan && last?.replay && last.scan && last !== first) {
    const perEvent = (r: SizeResult): number => (r.replay ? r.replay.ms / r.replay.events : Number.NaN);
    const rawPerEvent = (r: SizeResult): number => (r.scan ? r.scan.scanParseMs / r.scan.rows : Number.NaN);
    out.push({
      key: 'replay.linearity',
      section: 'replay',
      figure: `Replay cost per event, ${sizeLabel(last.size)} ÷ ${sizeLabel(first.size)}`,
      ours: perEvent(last) / perEvent(first),
      unit: '×',
      reference: rawPerEvent(last) / rawPerEvent(first),
      referenceLabel: 'the same ratio for the raw scan + parse',
    });
  }
  for (const r of results) {
    const s = sizeLabel(r.size);
    const { startup } = r;
    if (!startup) continue;
    out.push(
      {
        key: `startup.warm.${r.size}`,
        section: 'startup',
        figure: `[${s}] Start-up to ready, warm (read models on disk)`,
        ours: startup.warmMs,
        unit: 'ms',
        reference: startup.readSummariesWallMs,
        referenceLabel:
          'node process that reads + parses every stored summary (what start-up reads), spawn to exit',
      },
      {
        key: `startup.cold.${r.size}`,
        section: 'startup',
        figure: `[${s}] Start-up to ready, cold (no read models: full replay)`,
        ours: startup.coldMs,
        unit: 'ms',
        reference: startup.readEventsWallMs,
        referenceLabel: 'node process that scans + parses every event, spawn to exit',
      },
      {
        key: `startup.coldPeakRss.${r.size}`,
        section: 'startup',
        figure: `[${s}] API peak RSS when ready after a cold start`,
        ours: MiB(startup.coldPeakRssBytes),
        unit: 'MiB',
        reference: MiB(startup.readEventsRssBytes),
        referenceLabel: 'peak RSS of the scan + parse process',
      },
    );
  }
  for (const r of results) {
    if (!r.load) continue;
    const s = sizeLabel(r.size);
    const me = r.load.me;
    const query = (key: string, name: string, l: LoadResult): void => {
      const conns = `${profile.query.connections} conns × ${profile.query.durationS} s`;
      out.push(
        {
          key: `query.${key}.rps.${r.size}`,
          section: 'query',
          figure: `[${s}] Query ${name}: requests/s (${conns})`,
          ours: l.rps,
          unit: 'req/s',
          reference: me.rps,
          referenceLabel: 'trivial query `me` through the same server, auth and GraphQL stack',
        },
        {
          key: `query.${key}.p50.${r.size}`,
          section: 'query',
          figure: `[${s}] Query ${name}: p50 latency`,
          ours: l.p50,
          unit: 'ms',
          reference: me.p50,
          referenceLabel: 'trivial query `me`',
        },
        {
          key: `query.${key}.p99.${r.size}`,
          section: 'query',
          figure: `[${s}] Query ${name}: p99 latency`,
          ours: l.p99,
          unit: 'ms',
          reference: me.p99,
          referenceLabel: 'trivial query `me`',
        },
      );
    };
    query('overdue', 'overdue list (first 50)', r.load.overdue);
    query('whoLeadsWhat', 'who leads what (25 per lead)', r.load.whoLeadsWhat);
    query('page', 'filtered page (year, lead, status; 25)', r.load.page);
    const m = r.load.mutations;
    const ref = r.load.meDuringMutations;
    const conns = `${profile.mutation.connections} conns`;
    out.push(
      {
        key: `mutation.rps.${r.size}`,
        section: 'mutation',
        figure: `[${s}] Mutations (start/recordMilestone/report, read-your-writes): per second (${conns})`,
        ours: m.rps,
        unit: 'mutations/s',
        reference: ref.rps,
        referenceUnit: 'req/s',
        referenceLabel: 'trivial query `me`, same connections',
      },
      {
        key: `mutation.p50.${r.size}`,
        section: 'mutation',
        figure: `[${s}] Mutations: p50 latency`,
        ours: m.p50,
        unit: 'ms',
        reference: ref.p50,
        referenceLabel: 'trivial query `me`',
      },
      {
        key: `mutation.p99.${r.size}`,
        section: 'mutation',
        figure: `[${s}] Mutations: p99 latency`,
        ours: m.p99,
        unit: 'ms',
        reference: ref.p99,
        referenceLabel: 'trivial query `me`',
      },
      {
        key: `mutation.integrity.${r.size}`,
        section: 'mutation',
        figure: `[${s}] Mutations: events lost or duplicated (counted in the store)`,
        ours: m.lost + m.duplicated,
        unit: 'count',
        oursText: `${m.lost} lost, ${m.duplicated} duplicated of ${m.acknowledged} acknowledged (${m.storedEvents} events stored, ${m.expectedEvents} expected)`,
        reference: 0,
        referenceText: '0',
        referenceLabel: 'every acknowledged mutation has exactly its events',
      },
    );
  }
  if (!aggregate) return out;
  out.push(
    {
      key: 'aggregate.loadDecide',
      section: 'aggregate',
      figure: `One oppdrag of ${aggregate.events.toLocaleString('en-US')} events: load + decide (median of ${aggregate.runs})`,
      ours: aggregate.loadDecideMs,
      unit: 'ms',
      reference: aggregate.rawReadParseMs,
      referenceLabel: 'raw select of the same rows + JSON.parse',
    },
    {
      key: 'aggregate.command',
      section: 'aggregate',
      figure: `One oppdrag of ${aggregate.events.toLocaleString('en-US')} events: whole command incl. durable append`,
      ours: aggregate.commandMs,
      unit: 'ms',
      reference: aggregate.rawReadParseInsertMs,
      referenceLabel: 'raw select + JSON.parse + one-row insert in its own transaction',
    },
  );
  return out;
}

function targets(results: readonly SizeResult[], list: readonly Figure[], profile: Profile): Target[] {
  const get = (key: string): Figure | undefined => list.find((f) => f.key === key);
  const big = results[results.length - 1];
  const out: Target[] = [];
  const fmt = (n: number, digits = 0): string =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const note = profile.name === 'quick' ? ' (quick run: small sizes, not the target sizes)' : '';
  for (const r of results) {
    const f = get(`replay.eventsPerS.${r.size}`);
    if (!f) continue;
    out.push({
      target: `[${sizeLabel(r.size)}] replay ≥ 250,000 events/s and ≥ 0.5 of the raw scan + parse ceiling${note}`,
      met: f.ours >= 250_000 && ratioOf(f) >= 0.5,
      measured: `${fmt(f.ours)} events/s, ${fmt(ratioOf(f), 2)} of ${fmt(f.reference)}`,
    });
  }
  const lin = get('replay.linearity');
  if (lin) {
    out.push({
      target: `replay cost per event at the largest size ≤ 1.5× that at the smallest${note}`,
      met: lin.ours <= 1.5,
      measured: `${fmt(lin.ours, 2)}×`,
    });
  }
  if (big) {
    const key = (name: string): string => `${name}.${big.size}`;
    const s = sizeLabel(big.size);
    for (const [name, label] of [
      ['append.commandsSequential', 'sequential'],
      ['append.commandsConcurrent', `${profile.appends.inFlight} in flight`],
    ] as const) {
      const f = get(key(name));
      if (f) {
        out.push({
          target: `[${s}] ≥ 5,000 commands/s through the handler on the embedded store, ${label}${note}`,
          met: f.ours >= 5000,
          measured: `${fmt(f.ours)} commands/s`,
        });
      }
    }
    for (const [name, label] of [
      ['append.singleSequential', 'sequential'],
      ['append.singleConcurrent', `${profile.appends.inFlight} in flight`],
    ] as const) {
      const f = get(key(name));
      if (f) {
        out.push({
          target: `[${s}] ≥ 20,000 single-event durable appends/s, ${label}${note}`,
          met: f.ours >= 20_000,
          measured: `${fmt(f.ours)} events/s`,
        });
      }
    }
    for (const kind of ['warm', 'cold'] as const) {
      const f = get(`startup.${kind}.${big.size}`);
      if (f) {
        out.push({
          target: `[${s}] start-up to ready ≤ 5 s, ${kind}${note}`,
          met: f.ours <= 5000,
          measured: `${fmt(f.ours / 1000, 2)} s`,
        });
      }
    }
    const rss = get(`replay.peakRss.${big.size}`);
    if (rss) {
      out.push({
        target: `[${s}] peak memory of the replay ≤ 1 GiB${note}`,
        met: rss.ours <= 1024,
        measured: `${fmt(rss.ours)} MiB`,
      });
    }
    const apiRss = get(`startup.coldPeakRss.${big.size}`);
    if (apiRss && Number.isFinite(apiRss.ours)) {
      out.push({
        target: `[${s}] peak memory of the API after a cold start ≤ 1 GiB${note}`,
        met: apiRss.ours <= 1024,
        measured: `${fmt(apiRss.ours)} MiB`,
      });
    }
  }
  const loaded = results.find((r) => r.load);
  if (loaded) {
    const s = sizeLabel(loaded.size);
    const loadNote = profile.name === 'quick' ? ' (quick run: short load, small size)' : '';
    for (const [key, name] of [
      ['overdue', 'overdue list'],
      ['whoLeadsWhat', 'who leads what'],
      ['page', 'filtered page'],
    ] as const) {
      const rps = get(`query.${key}.rps.${loaded.size}`);
      const p99 = get(`query.${key}.p99.${loaded.size}`);
      if (!rps || !p99) continue;
      out.push({
        target: `[${s}] ${name} ≥ 2,000 requests/s with p99 ≤ 25 ms${key === 'page' ? ' (no target set; same bar shown)' : ''}${loadNote}`,
        met: rps.ours >= 2000 && p99.ours <= 25,
        measured: `${fmt(rps.ours)} req/s, p99 ${fmt(p99.ours)} ms`,
      });
    }
    const m = loaded.load!.mutations;
    out.push({
      target: `[${s}] mutations ≥ 1,000/s with p99 ≤ 50 ms${loadNote}`,
      met: m.rps >= 1000 && m.p99 <= 50,
      measured: `${fmt(m.rps)}/s, p99 ${fmt(m.p99)} ms`,
    });
    out.push({
      target: `[${s}] zero lost or duplicated events after the mutation load`,
      met: m.lost === 0 && m.duplicated === 0 && m.acknowledged > 0,
      measured: `${m.lost} lost, ${m.duplicated} duplicated, ${m.unacknowledged} events from unacknowledged requests, ${m.acknowledged} acknowledged`,
    });
  }
  return out;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { profile, out, keep, dataDir } = parseArgs(process.argv.slice(2));
  const started = new Date();
  const loadBefore = loadavg();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'oppdragsflyt-bench-'));
  mkdirSync(dir, { recursive: true });
  // Everything is generated up to this instant; the API's deadline watcher then finds nothing to record.
  const nowMs = started.getTime() - 60_000;
  log(`${profile.name} run, sizes ${profile.sizes.map(sizeLabel).join(', ')}, data in ${dir}`);
  const results: SizeResult[] = [];
  let aggregate: AggregateResult | null = null;
  try {
    for (const size of profile.sizes) results.push(await benchSize(size, profile, dir, nowMs, keep));
    if (profile.suites.has('aggregate')) {
      log('aggregate: one oppdrag with a long history');
      const aggregatePath = join(dir, 'aggregate.db');
      removeDb(aggregatePath);
      aggregate = await aggregateBench(aggregatePath, profile.aggregate.events, profile.aggregate.runs);
      if (!keep) removeDb(aggregatePath);
    }
  } finally {
    if (!keep && !dataDir) rmSync(dir, { recursive: true, force: true });
  }
  const list = figures(results, aggregate, profile);
  const goals = targets(results, list, profile);
  const finished = new Date();
  const loadAfter = loadavg();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const sizes = results
    .map(
      (r) =>
        `${sizeLabel(r.size)} = ${r.generated.events.toLocaleString('en-US')} events (${r.generated.oppdrag.toLocaleString('en-US')} oppdrag, letter years ${r.generated.firstYear}–${r.generated.lastYear})`,
    )
    .join('; ');
  const table = markdownTable(list);
  const markdown = [
    `# Benchmarks (${profile.name} run)`,
    '',
    `Run ${started.toISOString()} to ${finished.toISOString()} (${Math.round((finished.getTime() - started.getTime()) / 1000)} s), commit ${gitCommit()}, \`npm run bench${profile.name === 'quick' ? ' -- --quick' : ''}\`.`,
    `Machine: ${machine}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} at the end (the machine is shared; figures move with it).`,
    `Data: ${sizes}. Generated through the domain's decide/encode with full lifecycles for the four RHFs; the store pragmas: ${Object.entries(
      results[0]?.pragmas ?? {},
    )
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}.`,
    '',
    'Every figure is measured in this run, next to its reference on the same data. Ratio = ours ÷ reference (for latencies and times, lower is better).',
    '',
    table,
    '',
    '## Targets',
    '',
    targetList(goals),
    '',
  ].join('\n');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.md'), markdown);
  writeFileSync(
    join(out, 'latest.json'),
    `${JSON.stringify(
      {
        profile: profile.name,
        started: started.toISOString(),
        finished: finished.toISOString(),
        commit: gitCommit(),
        machine,
        loadAverage: { start: loadBefore, end: loadAfter },
        figures: list.map((f) => ({ ...f, ratio: ratioOf(f) })),
        targets: goals,
        sizes: results,
        aggregate,
      },
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
      2,
    )}\n`,
  );
  process.stdout.write(`${table}\n\n${targetList(goals)}\n\nWritten to ${join(out, 'latest.md')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
