import type { Profile } from './profile.js';
import { sizeLabel, type Figure } from './report.js';
import type { SizeResult } from './run/size.js';
import { perSecond } from './stats.js';
import type { AggregateResult } from './suites/aggregate.js';
import type { LoadResult } from './suites/load.js';

const MiB = (bytes: number | null): number => (bytes === null ? Number.NaN : bytes / 2 ** 20);

function appendFigures(r: SizeResult, inFlight: number): Figure[] {
  const s = sizeLabel(r.size);
  const a = r.appends;
  if (!a || r.rawFillMs === undefined) return [];
  return [
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
  ];
}

function replayFigures(r: SizeResult): Figure[] {
  const s = sizeLabel(r.size);
  const { replay, scan } = r;
  if (!replay || !scan) return [];
  return [
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
  ];
}

/** The replay cost per event at the largest size against the smallest: linear when near 1. */
function linearityFigures(results: readonly SizeResult[]): Figure[] {
  const first = results[0];
  const last = results[results.length - 1];
  if (!first?.replay || !first.scan || !last?.replay || !last.scan || last === first) return [];
  const perEvent = (r: SizeResult): number => (r.replay ? r.replay.ms / r.replay.events : Number.NaN);
  const rawPerEvent = (r: SizeResult): number => (r.scan ? r.scan.scanParseMs / r.scan.rows : Number.NaN);
  return [
    {
      key: 'replay.linearity',
      section: 'replay',
      figure: `Replay cost per event, ${sizeLabel(last.size)} ÷ ${sizeLabel(first.size)}`,
      ours: perEvent(last) / perEvent(first),
      unit: '×',
      reference: rawPerEvent(last) / rawPerEvent(first),
      referenceLabel: 'the same ratio for the raw scan + parse',
    },
  ];
}

function startupFigures(r: SizeResult): Figure[] {
  const s = sizeLabel(r.size);
  const { startup } = r;
  if (!startup) return [];
  return [
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
  ];
}

/** A query's throughput and latencies, each against the trivial query `me` on the same server. */
function queryFigures(r: SizeResult, key: string, name: string, l: LoadResult, profile: Profile): Figure[] {
  const s = sizeLabel(r.size);
  const me = r.load!.me;
  const conns = `${profile.query.connections} conns × ${profile.query.durationS} s`;
  return [
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
  ];
}

function mutationFigures(r: SizeResult, profile: Profile): Figure[] {
  const s = sizeLabel(r.size);
  const m = r.load!.mutations;
  const ref = r.load!.meDuringMutations;
  const conns = `${profile.mutation.connections} conns`;
  return [
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
  ];
}

function loadFigures(r: SizeResult, profile: Profile): Figure[] {
  if (!r.load) return [];
  return [
    ...queryFigures(r, 'overdue', 'overdue list (first 50)', r.load.overdue, profile),
    ...queryFigures(r, 'whoLeadsWhat', 'who leads what (25 per lead)', r.load.whoLeadsWhat, profile),
    ...queryFigures(r, 'page', 'filtered page (year, lead, status; 25)', r.load.page, profile),
    ...mutationFigures(r, profile),
  ];
}

function aggregateFigures(aggregate: AggregateResult): Figure[] {
  const events = aggregate.events.toLocaleString('en-US');
  return [
    {
      key: 'aggregate.loadDecide',
      section: 'aggregate',
      figure: `One oppdrag of ${events} events: load + decide (median of ${aggregate.runs})`,
      ours: aggregate.loadDecideMs,
      unit: 'ms',
      reference: aggregate.rawReadParseMs,
      referenceLabel: 'raw select of the same rows + JSON.parse',
    },
    {
      key: 'aggregate.command',
      section: 'aggregate',
      figure: `One oppdrag of ${events} events: whole command incl. durable append`,
      ours: aggregate.commandMs,
      unit: 'ms',
      reference: aggregate.rawReadParseInsertMs,
      referenceLabel: 'raw select + JSON.parse + one-row insert in its own transaction',
    },
  ];
}

/** Every figure of the run, section by section, each next to its reference. */
export function figures(
  results: readonly SizeResult[],
  aggregate: AggregateResult | null,
  profile: Profile,
): Figure[] {
  return [
    ...results.flatMap((r) => appendFigures(r, profile.appends.inFlight)),
    ...results.flatMap(replayFigures),
    ...linearityFigures(results),
    ...results.flatMap(startupFigures),
    ...results.flatMap((r) => loadFigures(r, profile)),
    ...(aggregate ? aggregateFigures(aggregate) : []),
  ];
}
