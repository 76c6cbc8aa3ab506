import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, runChild } from '../proc.js';
import { sizeLabel } from '../report.js';
import type { AppendCounts } from '../suites/append.js';
import { emmettInstalled } from './emmett.js';
import { findPostgresBin, startPostgres, type PostgresServer } from './postgres.js';
import type { PeerAppendResults } from './workloads.js';

const PEER_CHILD = join(REPO_ROOT, 'dist/bench/src/peers/child.js');

/** How `--peers` finds (or installs) Emmett and PostgreSQL. */
export interface PeerOptions {
  /** Emmett's own folder, with its package.json (and, once installed, node_modules). */
  readonly dir: string;
  /** `auto` installs Emmett there on first use; `never` only looks. */
  readonly install: 'auto' | 'never';
  /** Folders searched for PostgreSQL's server programs. */
  readonly postgresBinDirs: readonly string[];
}

export type PeerStore = 'sqlite' | 'postgres';

export interface PeerSizeResult {
  readonly store: PeerStore;
  readonly size: number;
  readonly fillEvents: number;
  readonly fillMs: number;
  readonly appends: PeerAppendResults;
  readonly fold: { events: number; streams: number; ms: number };
  /** `PRAGMA synchronous` of Emmett's SQLite connections. */
  readonly synchronous?: number;
}

/** Everything `--peers` measured, and what it had to leave out (one line each). */
export interface PeerResults {
  readonly versions: Readonly<Record<string, string>>;
  readonly postgres: { version: string; durability: string } | null;
  readonly ours: ReadonlyArray<{ size: number; fold: { events: number; streams: number; ms: number } }>;
  readonly sizes: readonly PeerSizeResult[];
  readonly longStream: ReadonlyArray<{ store: PeerStore; events: number; ms: number }>;
  readonly skipped: readonly string[];
}

/** A data set to run the peers on: a copy of the project's store right after the fill. */
export interface PeerSource {
  readonly size: number;
  readonly path: string;
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).trim().split('\n')[0] ?? '';

/**
 * Emmett's folder, installed if need be; or the one line that says why the peers are skipped. The
 * install is `npm install --legacy-peer-deps` (see that folder's package.json for why).
 */
export async function ensureEmmett(
  options: PeerOptions,
  log: (line: string) => void,
): Promise<string | null> {
  if (emmettInstalled(options.dir)) return null;
  const command = `npm install --legacy-peer-deps --prefix ${options.dir}`;
  if (options.install === 'never')
    return `peers skipped: Emmett is not installed in ${options.dir} (\`${command}\` installs it)`;
  log(`peers: installing Emmett on first use: ${command}`);
  try {
    await promisify(execFile)(
      'npm',
      ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefix', options.dir],
      {
        cwd: options.dir,
        timeout: 15 * 60_000,
      },
    );
  } catch (error) {
    return `peers skipped: Emmett could not be installed in ${options.dir} (${firstLine(error)})`;
  }
  return emmettInstalled(options.dir)
    ? null
    : `peers skipped: \`${command}\` left Emmett incomplete in ${options.dir}`;
}

/** A running PostgreSQL, or the one line that says why Emmett's PostgreSQL store is skipped. */
export async function openPostgres(
  options: PeerOptions,
): Promise<{ server: PostgresServer } | { skipped: string }> {
  const bin = findPostgresBin(options.postgresBinDirs);
  if (!bin)
    return {
      skipped: `peers: Emmett on PostgreSQL skipped: no PostgreSQL server programs (initdb, pg_ctl) in ${options.postgresBinDirs.join(', ') || 'any folder searched'}`,
    };
  try {
    return { server: await startPostgres(bin) };
  } catch (error) {
    return { skipped: `peers: Emmett on PostgreSQL skipped: the server did not start (${firstLine(error)})` };
  }
}

interface EmmettSizeOutput {
  versions: Record<string, string>;
  fillEvents: number;
  fillMs: number;
  appends: PeerAppendResults;
  fold: { events: number; streams: number; ms: number };
  synchronous?: number;
}

/**
 * The peer phase: the project's own fold on each data set, then Emmett's SQLite store and (when a server
 * can be started) its PostgreSQL store on the same data, each in a child process of its own, and the long
 * stream of the aggregate benchmark. A peer that fails is reported in one line; the run goes on.
 */
export async function runPeers(
  options: PeerOptions,
  sources: readonly PeerSource[],
  aggregateSource: string | null,
  counts: AppendCounts,
  runs: number,
  log: (line: string) => void,
): Promise<PeerResults | { skipped: readonly string[] }> {
  const missing = await ensureEmmett(options, log);
  if (missing) {
    log(missing);
    return { skipped: [missing] };
  }
  const skipped: string[] = [];
  const note = (line: string): void => {
    log(line);
    skipped.push(line);
  };
  const pg = await openPostgres(options);
  if ('skipped' in pg) note(pg.skipped);
  const server = 'server' in pg ? pg.server : null;
  // An interrupted run still stops its server (it runs detached) before the process ends.
  const onSignal = (signal: NodeJS.Signals): void => {
    void (server?.stop() ?? Promise.resolve()).finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stores: PeerStore[] = server ? ['sqlite', 'postgres'] : ['sqlite'];
  const work = mkdtempSync(join(tmpdir(), 'oppdragsflyt-bench-peers-'));
  let versions: Record<string, string> = {};
  const ours: PeerResults['ours'][number][] = [];
  const sizes: PeerSizeResult[] = [];
  const longStream: PeerResults['longStream'][number][] = [];
  const target = async (store: PeerStore, name: string): Promise<string> =>
    store === 'sqlite' ? join(work, `${name}.db`) : server!.createDatabase(name);
  try {
    for (const source of sources) {
      const label = sizeLabel(source.size);
      // The fold reads a copy, so that every reader starts from the same file as it was filled.
      const copy = join(work, `ours-${label}.db`);
      copyFileSync(source.path, copy);
      const fold = (await runChild<PeerSizeResult['fold']>(['ours-fold', copy], PEER_CHILD)).result;
      rmSync(copy, { force: true });
      ours.push({ size: source.size, fold });
      for (const store of stores) {
        log(`peers: ${label}, Emmett on ${store}`);
        try {
          const where = await target(store, `emmett_${label.toLowerCase()}`);
          const tag = `b${label.toLowerCase()}`;
          const out = (
            await runChild<EmmettSizeOutput>(
              ['emmett-size', options.dir, store, where, source.path, JSON.stringify(counts), tag],
              PEER_CHILD,
            )
          ).result;
          versions = out.versions;
          const { versions: _v, ...rest } = out;
          sizes.push({ store, size: source.size, ...rest });
        } catch (error) {
          note(`peers: Emmett on ${store} at ${label} failed: ${firstLine(error)}`);
        }
      }
    }
    if (aggregateSource) {
      for (const store of stores) {
        log(`peers: the long stream, Emmett on ${store}`);
        try {
          const where = await target(store, 'emmett_stream');
          const out = (
            await runChild<{ events: number; ms: number }>(
              ['emmett-stream', options.dir, store, where, aggregateSource, String(runs)],
              PEER_CHILD,
            )
          ).result;
          longStream.push({ store, events: out.events, ms: out.ms });
        } catch (error) {
          note(`peers: the long stream on Emmett's ${store} store failed: ${firstLine(error)}`);
        }
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return {
    versions,
    postgres: server ? { version: server.version, durability: server.durability } : null,
    ours,
    sizes,
    longStream,
    skipped,
  };
}
