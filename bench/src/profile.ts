import { delimiter, join } from 'node:path';
import type { PeerOptions } from './peers/run.js';
import { defaultPostgresBinDirs } from './peers/postgres.js';
import type { AppendCounts } from './suites/append.js';

/** The parts of the suite a run can be limited to with `--suites=` (all by default). */
export const SUITES = ['replay', 'startup', 'load', 'appends', 'aggregate'] as const;
export type Suite = (typeof SUITES)[number];

/** How much a run measures: the data sizes, the load and the counts of appends. */
export interface Profile {
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

export const FULL: Profile = {
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

export const QUICK: Profile = {
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

/** What the command line asks for. */
export interface RunOptions {
  readonly profile: Profile;
  /** The folder the results are written to. */
  readonly out: string;
  /** Keep the data files after the run. */
  readonly keep: boolean;
  /** A folder for the data files instead of a fresh temporary one. */
  readonly dataDir: string | null;
  /** `--peers`: measure Emmett on the same data; null when not asked for. */
  readonly peers: PeerOptions | null;
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((s) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000')));
  if (sizes.some((s) => !Number.isInteger(s) || s < 500)) throw new Error(`--sizes: whole numbers from 500`);
  return sizes;
}

/**
 * `--peers` with `--peers-dir=DIR` (Emmett's folder), `--peers-install=auto|never` and
 * `--postgres-bin=DIR` (where initdb and pg_ctl are; by default Debian's folders, then the PATH).
 */
function parsePeerOptions(argv: readonly string[], repoRoot: string): PeerOptions | null {
  if (!argv.includes('--peers')) return null;
  const value = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const install = value('peers-install') ?? 'auto';
  if (install !== 'auto' && install !== 'never') throw new Error(`--peers-install: auto or never`);
  const bin = value('postgres-bin');
  return {
    dir: value('peers-dir') ?? join(repoRoot, 'bench/peers/emmett'),
    install,
    postgresBinDirs:
      bin !== undefined
        ? [bin]
        : [...defaultPostgresBinDirs(), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)],
  };
}

function parseSuites(text: string): Set<Suite> {
  const names = text.split(',');
  const unknown = names.filter((n) => !(SUITES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`--suites: a comma-separated list of ${SUITES.join(', ')} (got ${unknown.join(', ')})`);
  return new Set(names as Suite[]);
}

/**
 * Reads `--quick`, `--sizes=10k,100k`, `--suites=replay,startup`, `--out=DIR`, `--data=DIR`, `--keep` and the
 * peer options.
 */
export function parseRunOptions(argv: readonly string[], repoRoot: string): RunOptions {
  const quick = argv.includes('--quick');
  let profile = quick ? QUICK : FULL;
  let out = quick ? join(repoRoot, 'bench/results/raw/quick') : join(repoRoot, 'bench/results');
  let dataDir: string | null = null;
  for (const arg of argv) {
    if (arg.startsWith('--sizes=')) {
      const sizes = parseSizes(arg.slice('--sizes='.length));
      profile = {
        ...profile,
        sizes,
        loadSize: sizes.includes(profile.loadSize) ? profile.loadSize : (sizes[0] as number),
      };
    } else if (arg.startsWith('--suites=')) {
      profile = { ...profile, suites: parseSuites(arg.slice('--suites='.length)) };
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('--data=')) dataDir = arg.slice('--data='.length);
  }
  return { profile, out, keep: argv.includes('--keep'), dataDir, peers: parsePeerOptions(argv, repoRoot) };
}
