import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  SqliteEventStore,
  type Position,
  type RecordedEvent,
  type StreamRange,
  type UnreadableEvent,
} from '../src/index.js';
import { seededRandom } from '#testing';

/** Everything a scan stream by stream hands out, in the order it does, with its unreadable events. */
async function scanned(
  store: SqliteEventStore,
  upTo: Position,
  batchSize: number,
  stopAfter = Infinity,
  streams?: StreamRange,
): Promise<{ events: RecordedEvent[]; batches: number[]; unreadable: UnreadableEvent[] }> {
  const events: RecordedEvent[] = [];
  const batches: number[] = [];
  const unreadable: UnreadableEvent[] = [];
  await store.scanByStream({
    upTo,
    batchSize,
    stopped: () => batches.length >= stopAfter,
    ...(streams ? { streams } : {}),
    onUnreadable: (error) => unreadable.push(error),
    handle: async (batch) => {
      batches.push(batch.length);
      events.push(...batch);
      // A slow consumer: the reader must wait for it rather than run on unbounded.
      await new Promise((resolve) => setTimeout(resolve, batches.length % 3 === 0 ? 2 : 0));
    },
  });
  return { events, batches, unreadable };
}

describe('scanning the embedded store stream by stream', () => {
  let dir: string;
  let path: string;
  let store: SqliteEventStore;
  let memory: SqliteEventStore;
  let head: Position;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-scan-'));
    path = join(dir, 'events.db');
    store = new SqliteEventStore({ path });
    memory = new SqliteEventStore({ path: ':memory:' });
    const { next: random, pick } = seededRandom(5);
    const texts = [
      'Helse Sør-Øst',
      'Ærlig ødelagt å',
      'plain',
      '😀 emoji',
      'tab\tand "quotes" \\ ',
      'x'.repeat(5000),
    ];
    const revisions = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const stream = `oppdrag-${pick(['a', 'b', 'c', 'd-1', 'z', 'long-stream'])}${Math.floor(random() * 4)}`;
      const revision = revisions.get(stream) ?? -1;
      const events = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => ({
        id: randomUUID(),
        type: pick(['OppdragAssigned', 'OppdragStarted', 'Ukjent']),
        data: { text: pick(texts), n: i, k },
        metadata: {
          recordedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
          actor: { userId: pick(['u1', 'brukerØ']) },
          note: pick(texts),
        },
      }));
      for (const s of [store, memory])
        await s.appendToStream(stream, events, {
          expectedRevision: revision === -1 ? 'no_stream' : revision,
        });
      revisions.set(stream, revision + events.length);
    }
    head = (await store.headPosition())!;
  });
  afterAll(async () => {
    await Promise.all([store.close(), memory.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out every event up to the head in stream and revision order, as a store in memory does', async () => {
    const fromFile = await scanned(store, head, 37);
    const fromMemory = await scanned(memory, head, 37);
    expect(fromFile.events.length).toBeGreaterThan(700);
    expect(fromFile.events).toEqual(fromMemory.events);
    expect(fromFile.batches).toEqual(fromMemory.batches);
    const all = await store.readAll({ maxCount: 10_000 });
    const ordered = [...all].sort((a, b) =>
      a.streamId === b.streamId ? a.revision - b.revision : a.streamId < b.streamId ? -1 : 1,
    );
    expect(fromFile.events).toEqual(ordered);
    // One batch size or another: the same events.
    expect((await scanned(store, head, 5000)).events).toEqual(ordered);
  });

  it('leaves out what came after the head it was given', async () => {
    const upTo = { commit: head.commit - 100n, prepare: head.commit - 100n };
    const { events } = await scanned(store, upTo, 50);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.position.commit <= upTo.commit)).toBe(true);
    expect(events).toEqual((await scanned(memory, upTo, 50)).events);
  });

  it('stops when asked, between batches', async () => {
    const { batches } = await scanned(store, head, 10, 4);
    expect(batches).toEqual([10, 10, 10, 10]);
  });

  it('cuts the streams into runs of about the same size that, scanned one after another, hand out what one scan does', async () => {
    for (const upTo of [head, { commit: head.commit - 300n, prepare: head.commit - 300n }]) {
      const whole = (await scanned(store, upTo, 37)).events;
      for (const parts of [2, 3, 5, 1000]) {
        const cuts = await store.splitStreams(upTo, parts);
        // Ascending and distinct, each the id of a stream, at most one fewer than the parts.
        expect(cuts.length).toBeGreaterThan(0);
        expect(cuts.length).toBeLessThan(parts);
        expect([...new Set(cuts)].sort()).toEqual(cuts);
        const ids = new Set(whole.map((e) => e.streamId));
        for (const cut of cuts) expect(ids.has(cut)).toBe(true);
        const runs: StreamRange[] = [
          { from: '', before: cuts[0]! },
          ...cuts.map((from, i) => (i + 1 < cuts.length ? { from, before: cuts[i + 1]! } : { from })),
        ];
        const pieces = await Promise.all(
          runs.map(async (run) => (await scanned(store, upTo, 7, Infinity, run)).events),
        );
        expect(pieces.flat()).toEqual(whole);
        for (const piece of pieces) expect(piece.length).toBeGreaterThan(0);
        // Each stream whole in one run.
        const runOf = new Map<string, number>();
        pieces.forEach((piece, i) => {
          for (const event of piece) expect(runOf.get(event.streamId) ?? i).toBe(i);
          for (const event of piece) runOf.set(event.streamId, i);
        });
        // With a few parts, none is much larger than its share (streams are whole, so not exactly).
        if (parts <= 3)
          for (const piece of pieces) expect(piece.length).toBeLessThan((2 * whole.length) / parts);
      }
    }
  });

  it('gives an event it cannot decode to onUnreadable and goes on', async () => {
    const copy = join(dir, 'broken.db');
    const source = new Database(path, { readonly: true });
    await source.backup(copy);
    source.close();
    const raw = new Database(copy);
    const broken = raw
      .prepare<[], number>('SELECT position FROM events ORDER BY position LIMIT 1 OFFSET 9')
      .pluck()
      .get()!;
    raw.prepare("UPDATE events SET metadata = '{not json' WHERE position = ?").run(broken);
    raw.close();
    const brokenStore = new SqliteEventStore({ path: copy });
    try {
      const { events, unreadable } = await scanned(brokenStore, head, 64);
      expect(unreadable.map((u) => Number(u.event.position.commit))).toEqual([broken]);
      expect(unreadable[0]?.reason).toContain('not JSON');
      const all = (await scanned(store, head, 64)).events;
      expect(events).toEqual(all.filter((e) => Number(e.position.commit) !== broken));
    } finally {
      await brokenStore.close();
    }
  });
});
