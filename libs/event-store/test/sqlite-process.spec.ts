import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../src/index.js';
import { compileForChild } from './support/compile-for-child.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('embedded SQLite store across processes', () => {
  let dir: string;
  let script: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-proc-'));
    script = compileForChild(join(here, 'support/writer-process.ts'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a writer killed with SIGKILL mid-stream leaves a store that opens cleanly with only whole appends', async () => {
    const path = join(dir, 'crash.db');
    const child = spawn(process.execPath, [script, path, 'crash', 'w1', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (
          /appended (\d+)/.exec(chunk.toString()) &&
          Number(/appended (\d+)/.exec(chunk.toString())![1]) >= 300
        ) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited: ${stderr}`)),
      );
    });

    const store = new SqliteEventStore({ path });
    try {
      expect(store.integrityCheck()).toBe('ok');
      const all = await store.readAll({ maxCount: 100_000 });
      expect(all.length).toBeGreaterThanOrEqual(900);
      const parts = new Map<string, number>();
      for (const e of all) parts.set(String(e.data.batchId), (parts.get(String(e.data.batchId)) ?? 0) + 1);
      expect([...parts.values()].every((n) => n === 3)).toBe(true);
      for (let s = 0; s < 7; s++) {
        const revisions = (await store.readStream(`oppdrag-crash-${s}`)).map((e) => e.revision);
        expect(revisions).toEqual(revisions.map((_, i) => i));
      }
      const next = await store.appendToStream(
        'oppdrag-crash-0',
        [
          {
            id: crypto.randomUUID(),
            type: 'ThingHappened',
            data: {},
            metadata: { recordedAt: new Date().toISOString() },
          },
        ],
        { expectedRevision: 'any' },
      );
      expect(next.nextExpectedRevision).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('writers in separate processes on one stream never overwrite each other: the database enforces the revision', async () => {
    const path = join(dir, 'shared.db');
    const writers = ['a', 'b', 'c'].map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [script, path, 'share', w, '60'], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`writer ${w} failed: ${stderr}`)),
          );
        }),
    );
    await Promise.all(writers);
    const store = new SqliteEventStore({ path });
    try {
      const events = await store.readStream('oppdrag-shared');
      expect(events).toHaveLength(180);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      for (const w of ['a', 'b', 'c']) {
        expect(events.filter((e) => e.data.writer === w).map((e) => e.data.n)).toEqual(
          Array.from({ length: 60 }, (_, i) => i),
        );
      }
    } finally {
      await store.close();
    }
  });
});
