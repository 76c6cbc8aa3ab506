import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { figures } from './figures.js';
import { peerDifferences, peerFigures } from './peers/figures.js';
import { runPeers, type PeerResults, type PeerSource } from './peers/run.js';
import { log } from './log.js';
import { writeReport, type RunReport } from './output.js';
import { REPO_ROOT } from './proc.js';
import { parseRunOptions, type Profile } from './profile.js';
import { removeDb } from './raw.js';
import { sizeLabel } from './report.js';
import { benchSize, type SizeResult } from './run/size.js';
import { targets } from './targets.js';
import { aggregateBench, type AggregateResult } from './suites/aggregate.js';

/** The peers' part of the report: the lines of what was skipped, and what Emmett measured. */
function peersReport(
  run: PeerResults | { skipped: readonly string[] },
  results: readonly SizeResult[],
  profile: Profile,
): NonNullable<RunReport['peers']> {
  if (!('sizes' in run)) return { skipped: run.skipped };
  const differences = peerDifferences(run, results[0]?.pragmas, profile.appends.inFlight);
  return { skipped: run.skipped, results: run, differences };
}

async function main(): Promise<void> {
  const { profile, out, keep, dataDir, peers } = parseRunOptions(process.argv.slice(2), REPO_ROOT);
  const started = new Date();
  const loadBefore = loadavg();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'oppdragsflyt-bench-'));
  mkdirSync(dir, { recursive: true });
  // Everything is generated up to this instant; the API's deadline watcher then finds nothing to record.
  const nowMs = started.getTime() - 60_000;
  log(`${profile.name} run, sizes ${profile.sizes.map(sizeLabel).join(', ')}, data in ${dir}`);
  const results: SizeResult[] = [];
  const sources: PeerSource[] = [];
  let aggregate: AggregateResult | null = null;
  let peerRun: PeerResults | { skipped: readonly string[] } | undefined;
  try {
    for (const size of profile.sizes) {
      const fillCopy = peers ? join(dir, `peers-source-${sizeLabel(size)}.db`) : undefined;
      results.push(await benchSize(size, profile, dir, nowMs, keep, fillCopy));
      if (fillCopy) sources.push({ size, path: fillCopy });
    }
    const aggregatePath = join(dir, 'aggregate.db');
    if (profile.suites.has('aggregate')) {
      log('aggregate: one oppdrag with a long history');
      removeDb(aggregatePath);
      aggregate = await aggregateBench(aggregatePath, profile.aggregate.events, profile.aggregate.runs);
    }
    if (peers) {
      const longStream = aggregate ? aggregatePath : null;
      peerRun = await runPeers(peers, sources, longStream, profile.appends, profile.aggregate.runs, log);
    }
    if (!keep) for (const p of [aggregatePath, ...sources.map((s) => s.path)]) removeDb(p);
  } finally {
    if (!keep && !dataDir) rmSync(dir, { recursive: true, force: true });
  }
  const own = figures(results, aggregate, profile);
  const measured = peerRun && 'sizes' in peerRun ? peerRun : null;
  const list = measured ? [...own, ...peerFigures(measured, own, aggregate, profile.appends.inFlight)] : own;
  writeReport(
    {
      profile,
      started,
      finished: new Date(),
      loadBefore,
      loadAfter: loadavg(),
      results,
      aggregate,
      figures: list,
      targets: targets(results, list, profile),
      ...(peerRun ? { peers: peersReport(peerRun, results, profile) } : {}),
    },
    out,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
