import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventToAppend } from '../src/index.js';

const event = (id = randomUUID()): EventToAppend => ({
  id,
  type: 'ThingHappened',
  data: { id },
  metadata: { recordedAt: new Date().toISOString(), commandId: id },
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Another connection (as another process would) that holds the write lock until released. */
function holdWriteLock(path: string): { release(): void } {
  const other = new Database(path);
  other.pragma('busy_timeout = 0');
  other.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      other.exec('COMMIT');
      other.close();
    },
  };
}

/** The longest time the event loop went without running a 10 ms timer, while `work` runs. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs };
  } finally {
    clearInterval(timer);
  }
}

/** The writer thread of a store, to stop it as a crash would. */
const writerThreadOf = (store: SqliteEventStore): Worker | null =>
  (store as unknown as { writer: { worker: Worker | null } }).writer.worker;

describe('embedded store: commits off the event loop', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-writer-'));
    path = join(dir, 'events.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('while another process holds the write lock, reads answer at once and the waiting append lands after the lock is released', async () => {
    const store = new SqliteEventStore({ path, busyTimeoutMs: 10_000 });
    try {
      const first = event();
      await store.appendToStream('thing-locked', [first], { expectedRevision: 'no_stream' });
      const lock = holdWriteLock(path);
      const { result, stallMs } = await longestStall(async () => {
        const waiting = store.appendToStream('thing-locked', [event()], { expectedRevision: 0 });
        const readTimes: number[] = [];
        for (let i = 0; i < 10; i++) {
          const t0 = performance.now();
          const [stream, all, head] = await Promise.all([
            store.readStream('thing-locked'),
            store.readAll(),
            store.headPosition(),
          ]);
          readTimes.push(performance.now() - t0);
          expect(stream.map((e) => e.id)).toEqual([first.id]);
          expect(all).toHaveLength(1);
          expect(head).toEqual(stream[0]?.position);
          await sleep(200);
        }
        // Two seconds with the lock held: the append is still waiting for it.
        const settled = await Promise.race([waiting.then(() => 'stored'), sleep(50).then(() => 'waiting')]);
        lock.release();
        return { readTimes, settled, appended: await waiting };
      });
      expect(result.settled).toBe('waiting');
      expect(Math.max(...result.readTimes)).toBeLessThan(1000);
      expect(stallMs).toBeLessThan(1000);
      expect(result.appended).toMatchObject({ nextExpectedRevision: 1 });
      expect(await store.readStream('thing-locked')).toHaveLength(2);
      expect(store.health()).toEqual({ writes: 'ok' });
    } finally {
      await store.close();
    }
  });

  it('an append that waits past the busy timeout fails clearly with UNAVAILABLE, stores nothing, and the store recovers once the lock is free', async () => {
    const store = new SqliteEventStore({ path, busyTimeoutMs: 1500 });
    try {
      await store.appendToStream('thing-busy', [event()], { expectedRevision: 'no_stream' });
      const lock = holdWriteLock(path);
      let released = false;
      try {
        const { result, stallMs } = await longestStall(() =>
          Promise.allSettled([
            store.appendToStream('thing-busy', [event()], { expectedRevision: 0 }),
            store.appendToStream('thing-other', [event()], { expectedRevision: 'no_stream' }),
          ]),
        );
        expect(stallMs).toBeLessThan(1000);
        for (const outcome of result) {
          expect(outcome).toMatchObject({
            status: 'rejected',
            reason: {
              code: 'UNAVAILABLE',
              message: expect.stringMatching(/busy: another process holds the write lock \(waited 1500 ms\)/),
            },
          });
        }
        expect(store.health()).toMatchObject({
          writes: 'failing',
          reason: expect.stringContaining('write lock'),
          since: expect.any(String),
        });
        lock.release();
        released = true;
      } finally {
        if (!released) lock.release();
      }
      expect(await store.readStream('thing-busy')).toHaveLength(1);
      expect(await store.readStream('thing-other')).toHaveLength(0);
      await expect(
        store.appendToStream('thing-busy', [event()], { expectedRevision: 0 }),
      ).resolves.toMatchObject({ nextExpectedRevision: 1 });
      expect(store.health()).toEqual({ writes: 'ok' });
    } finally {
      await store.close();
    }
  });

  it('a writer thread that stops mid-commit fails its appends with UNAVAILABLE; a retry with the same ids stores them exactly once', async () => {
    const store = new SqliteEventStore({ path, busyTimeoutMs: 10_000 });
    try {
      const acknowledged = event();
      await store.appendToStream('thing-crash', [acknowledged], { expectedRevision: 'no_stream' });
      // The writer waits for the lock, inside its commit, when it is stopped.
      const lock = holdWriteLock(path);
      const retried = [event(), event()];
      const inFlight = store.appendToStream('thing-crash', retried, { expectedRevision: 0 });
      const outcome = inFlight.then(
        () => 'stored',
        (error: unknown) => error,
      );
      await sleep(100);
      const worker = writerThreadOf(store);
      expect(worker).not.toBeNull();
      const stopped = worker!.terminate();
      lock.release();
      await stopped;
      expect(await outcome).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(
          /writer stopped while committing.*send them again with the same event ids/,
        ),
      });
      expect(store.health()).toMatchObject({ writes: 'failing' });
      // Whether or not the commit got through before the thread stopped, the retry leaves exactly one copy.
      await expect(
        store.appendToStream('thing-crash', retried, { expectedRevision: 0 }),
      ).resolves.toMatchObject({ nextExpectedRevision: 2 });
      const stored = await store.readStream('thing-crash');
      expect(stored.map((e) => e.id)).toEqual([acknowledged.id, ...retried.map((e) => e.id)]);
      expect(store.health()).toEqual({ writes: 'ok' });
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('reports the store failed when writer threads keep stopping without storing anything', async () => {
    const store = new SqliteEventStore({ path });
    try {
      for (let crash = 1; crash <= 3; crash++) {
        const lock = holdWriteLock(path);
        const append = store
          .appendToStream('thing-failing', [event()], { expectedRevision: 'any' })
          .catch((error: unknown) => error);
        await sleep(50);
        const stopped = writerThreadOf(store)!.terminate();
        lock.release();
        await stopped;
        expect(await append).toMatchObject({ code: 'UNAVAILABLE' });
        expect(store.health().writes).toBe(crash < 3 ? 'failing' : 'failed');
      }
      // A thread that stores again clears it.
      await store.appendToStream('thing-failing', [event()], { expectedRevision: 'any' });
      expect(store.health()).toEqual({ writes: 'ok' });
    } finally {
      await store.close();
    }
  });

  it('groups that queued while the writer waited are committed together: a conflict among them fails alone, writes nothing, and delays no other', async () => {
    const store = new SqliteEventStore({ path, busyTimeoutMs: 10_000 });
    try {
      await store.appendToStream('thing-batch', [event()], { expectedRevision: 'no_stream' });
      const lock = holdWriteLock(path);
      // Three turns of the event loop, three groups, all waiting behind the lock in the writer's queue.
      const first = store.appendToStream('thing-batch', [event()], { expectedRevision: 0 });
      await sleep(20);
      const stale = [event(), event()];
      const conflicting = store.appendToStream('thing-batch', stale, { expectedRevision: 0 });
      const other = store.appendToStream('thing-batch-other', [event()], { expectedRevision: 'no_stream' });
      await sleep(20);
      const last = store.appendToStream('thing-batch', [event()], { expectedRevision: 1 });
      await sleep(50);
      lock.release();
      const outcomes = await Promise.allSettled([first, conflicting, other, last]);
      expect(outcomes).toMatchObject([
        { status: 'fulfilled', value: { nextExpectedRevision: 1 } },
        { status: 'rejected', reason: { code: 'CONFLICT' } },
        { status: 'fulfilled', value: { nextExpectedRevision: 0 } },
        { status: 'fulfilled', value: { nextExpectedRevision: 2 } },
      ]);
      const stored = await store.readStream('thing-batch');
      expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(stored.some((e) => stale.some((s) => s.id === e.id))).toBe(false);
      // Positions follow the order the appends were made in.
      const positions = [outcomes[0], outcomes[2], outcomes[3]].map((o) =>
        o.status === 'fulfilled' ? o.value.position.commit : -1n,
      );
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
    } finally {
      await store.close();
    }
  });

  it('close waits for the appends under way and ends the writer thread', async () => {
    const store = new SqliteEventStore({ path });
    const appends = Array.from({ length: 50 }, (_, i) =>
      store.appendToStream(`thing-close${i}`, [event()], { expectedRevision: 'no_stream' }),
    );
    await store.close();
    await expect(Promise.all(appends)).resolves.toHaveLength(50);
    expect(writerThreadOf(store)).toBeNull();
    await expect(
      store.appendToStream('thing-late', [event()], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const reopened = new SqliteEventStore({ path });
    try {
      expect(await reopened.readAll({ maxCount: 100 })).toHaveLength(50);
    } finally {
      await reopened.close();
    }
  });
});
