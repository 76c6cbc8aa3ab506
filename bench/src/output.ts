import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './proc.js';
import type { PeerResults } from './peers/run.js';
import type { Profile } from './profile.js';
import { markdownTable, ratioOf, sizeLabel, targetList, type Figure, type Target } from './report.js';
import type { SizeResult } from './run/size.js';
import type { AggregateResult } from './suites/aggregate.js';

/** What a finished run hands to the writer. */
export interface RunReport {
  readonly profile: Profile;
  readonly started: Date;
  readonly finished: Date;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly results: readonly SizeResult[];
  readonly aggregate: AggregateResult | null;
  readonly figures: readonly Figure[];
  readonly targets: readonly Target[];
  /** `--peers`: what was skipped (one line each) and, when Emmett ran, its results and the differences. */
  readonly peers?: {
    readonly skipped: readonly string[];
    readonly results?: PeerResults;
    readonly differences?: readonly string[];
  };
}

/** The peers section: versions, what makes the comparison unfair, and what was skipped. */
function peersSection(report: RunReport): string[] {
  const peers = report.peers;
  if (!peers) return [];
  const versions = Object.entries(peers.results?.versions ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    '## Peers (`--peers`)',
    '',
    ...(versions
      ? [
          `Emmett (${versions}) fed the project's decide and evolve through its own CommandHandler, on the same generated data; in the rows above, ours ÷ Emmett's. What makes the comparison unfair:`,
          '',
        ]
      : []),
    ...(peers.differences ?? []).map((d) => `- ${d}`),
    ...peers.skipped.map((line) => `- ${line}`),
    '',
  ];
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const machineLine = (): string =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

const loads = (values: readonly number[]): string => values.map((l) => l.toFixed(2)).join(' ');

function markdown(report: RunReport, machine: string, table: string): string {
  const { profile, started, finished, results } = report;
  const sizes = results
    .map(
      (r) =>
        `${sizeLabel(r.size)} = ${r.generated.events.toLocaleString('en-US')} events (${r.generated.oppdrag.toLocaleString('en-US')} oppdrag, letter years ${r.generated.firstYear}–${r.generated.lastYear})`,
    )
    .join('; ');
  const pragmas = Object.entries(results[0]?.pragmas ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return [
    `# Benchmarks (${profile.name} run)`,
    '',
    `Run ${started.toISOString()} to ${finished.toISOString()} (${Math.round((finished.getTime() - started.getTime()) / 1000)} s), commit ${gitCommit()}, \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`.`,
    `Machine: ${machine}; load average ${loads(report.loadBefore)} at the start, ${loads(report.loadAfter)} at the end (the machine is shared; figures move with it).`,
    `Data: ${sizes}. Generated through the domain's decide/encode with full lifecycles for the four RHFs; the store pragmas: ${pragmas}.`,
    '',
    'Every figure is measured in this run, next to its reference on the same data. Ratio = ours ÷ reference (for latencies and times, lower is better).',
    '',
    table,
    '',
    ...peersSection(report),
    '## Targets',
    '',
    targetList(report.targets),
    '',
  ].join('\n');
}

function json(report: RunReport, machine: string): string {
  const body = {
    profile: report.profile.name,
    started: report.started.toISOString(),
    finished: report.finished.toISOString(),
    commit: gitCommit(),
    machine,
    loadAverage: { start: report.loadBefore, end: report.loadAfter },
    figures: report.figures.map((f) => ({ ...f, ratio: ratioOf(f) })),
    targets: report.targets,
    sizes: report.results,
    aggregate: report.aggregate,
    ...(report.peers ? { peers: report.peers } : {}),
  };
  const replacer = (_key: string, value: unknown): unknown =>
    typeof value === 'bigint' ? value.toString() : value;
  return `${JSON.stringify(body, replacer, 2)}\n`;
}

/** Writes latest.md and latest.json into `out` and prints the table and the targets on stdout. */
export function writeReport(report: RunReport, out: string): void {
  const machine = machineLine();
  const table = markdownTable(report.figures);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.md'), markdown(report, machine, table));
  writeFileSync(join(out, 'latest.json'), json(report, machine));
  const peers = peersSection(report);
  process.stdout.write(
    `${table}\n\n${peers.length > 0 ? `${peers.join('\n')}\n` : ''}${targetList(report.targets)}\n\nWritten to ${join(out, 'latest.md')}\n`,
  );
}
