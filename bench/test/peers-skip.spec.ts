import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emmettInstalled } from '../src/peers/emmett.js';
import { findPostgresBin } from '../src/peers/postgres.js';
import { openPostgres, runPeers, type PeerOptions } from '../src/peers/run.js';
import { QUICK } from '../src/profile.js';

/**
 * `--peers` without Emmett or without PostgreSQL: the run goes on and says so in one line. Nothing here
 * installs anything or reaches the network (`install: 'never'`).
 */
describe('the peer benchmark when a peer is missing', () => {
  let dir: string;
  let noPostgres: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-peers-spec-'));
    noPostgres = mkdtempSync(join(tmpdir(), 'oppdragsflyt-peers-spec-bin-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"peer","private":true}');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(noPostgres, { recursive: true, force: true });
  });

  const options = (): PeerOptions => ({ dir, install: 'never', postgresBinDirs: [noPostgres] });

  it('skips every peer with one line when Emmett is not installed, and measures nothing', async () => {
    expect(emmettInstalled(dir)).toBe(false);
    const lines: string[] = [];
    const result = await runPeers(options(), [], null, QUICK.appends, 1, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^peers skipped: Emmett is not installed in .+npm install --legacy-peer-deps --prefix/,
    );
    expect(lines[0]).not.toContain('\n');
    expect(result).toEqual({ skipped: lines });
  });

  it('takes a folder without initdb and pg_ctl as no PostgreSQL, in one line', async () => {
    expect(findPostgresBin([noPostgres])).toBeNull();
    const pg = await openPostgres(options());
    expect(pg).toEqual({
      skipped: expect.stringMatching(/^peers: Emmett on PostgreSQL skipped: no PostgreSQL/),
    });
    expect('skipped' in pg && pg.skipped.includes('\n')).toBe(false);
  });

  it('finds the server programs only where all of them are', () => {
    for (const program of ['initdb', 'pg_ctl', 'createdb']) writeFileSync(join(noPostgres, program), '');
    expect(findPostgresBin([noPostgres])).toBeNull();
    writeFileSync(join(noPostgres, 'psql'), '');
    expect(findPostgresBin([dir, noPostgres])).toBe(noPostgres);
  });
});
