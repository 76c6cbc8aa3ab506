import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../proc.js';

const run = promisify(execFile);

/** Where Debian's `postgresql` packages put the server programs, newest version first. */
export function defaultPostgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

/** The first folder that holds initdb, pg_ctl, createdb and psql, or null. */
export function findPostgresBin(dirs: readonly string[]): string | null {
  return (
    dirs.find((d) => ['initdb', 'pg_ctl', 'createdb', 'psql'].every((p) => existsSync(join(d, p)))) ?? null
  );
}

/** A throwaway PostgreSQL server: its own data folder, on a free loopback port, stopped and deleted after. */
export interface PostgresServer {
  readonly version: string;
  /** The settings that decide durability, as the server reports them. */
  readonly durability: string;
  /** A fresh, empty database and its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from `bin` with its default (production) durability: fsync on, synchronous commit on,
 * full-page writes. initdb refuses to run as root, so as root the server runs as the `postgres` user.
 */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-bench-pg-'));
  const asRoot = userInfo().uid === 0;
  const exec = async (program: string, args: readonly string[]): Promise<string> => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]]
      : [join(bin, program), [...args]];
    return (await run(file, argv, { cwd: dir, timeout: 120_000 })).stdout;
  };
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  let started = false;
  try {
    await exec('initdb', ['-D', data, '-U', 'bench', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
    await exec('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    started = true;
    const psql = (sql: string): Promise<string> =>
      exec('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'bench', '-d', 'postgres', '-Atc', sql]);
    const version = (await psql('SHOW server_version')).trim();
    const durability = (
      await psql(
        "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'commit_delay')",
      )
    ).trim();
    return {
      version,
      durability,
      createDatabase: async (name) => {
        await exec('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'bench', name]);
        return `postgresql://bench@127.0.0.1:${port}/${name}`;
      },
      stop: async () => {
        await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (started) await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => '');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const out = (await run('id', ['postgres'])).stdout;
  const uid = /uid=(\d+)/.exec(out)?.[1];
  const gid = /gid=(\d+)/.exec(out)?.[1];
  if (uid === undefined || gid === undefined) throw new Error('no postgres user to run the server as');
  return { uid: Number(uid), gid: Number(gid) };
}
