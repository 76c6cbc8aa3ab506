import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { figures } from './figures.js';
import { log } from './log.js';
import { writeReport } from './output.js';
import { REPO_ROOT } from './proc.js';
import { parseRunOptions } from './profile.js';
import { removeDb } from './raw.js';
import { sizeLabel } from './report.js';
import { benchSize, type SizeResult } from './run/size.js';
import { targets } from './targets.js';
import { aggregateBench, type AggregateResult } from './suites/aggregate.js';

async function main(): Promise<void> {
  const { profile, out, keep, dataDir } = parseRunOptions(process.argv.slice(2), REPO_ROOT);
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
    },
    out,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
