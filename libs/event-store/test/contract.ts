import { randomUUID } from 'node:crypto';
import {
  CheckpointBeyondHeadError,
  comparePositions,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '../src/index.js';

/** What a store adapter gives the contract suite. */
export interface StoreHarness {
  /** A store to test. Stores may be shared between tests: each test uses streams of its own. */
  open(): Promise<EventStore>;
  /** Opens the same storage again, as after a restart; closes nothing itself. */
  reopen(): Promise<EventStore>;
  /** Tears everything down after the suite. */
  dispose(): Promise<void>;
  /** The stream category the adapter serves (its subscriptions are filtered to it). */
  readonly category: string;
}

export const uniqueStream = (category: string, label = 's'): string =>
  `${category}-${label}-${randomUUID().slice(0, 8)}`;

export function event(
  type = 'ThingHappened',
  data: Record<string, unknown> = {},
  id: string = randomUUID(),
): EventToAppend {
  return {
    id,
    type,
    data: { ...data },
    metadata: {
      recordedAt: new Date().toISOString(),
      actor: { userId: 'u1', name: 'Test', role: 'coordinator', organisationId: 'hod' },
      commandId: id,
      correlationId: id,
      causationId: id,
    },
  };
}

const events = (n: number, data: (i: number) => Record<string, unknown> = (i) => ({ i })): EventToAppend[] =>
  Array.from({ length: n }, (_, i) => event('ThingHappened', data(i)));

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** Collects what a subscription delivers until `until` holds, or fails after a timeout. */
async function collect(
  store: EventStore,
  after: Position | null,
  until: (seen: RecordedEvent[]) => boolean,
  filter: (e: RecordedEvent) => boolean,
  timeoutMs = 15_000,
): Promise<{ seen: RecordedEvent[]; subscription: Subscription }> {
  const seen: RecordedEvent[] = [];
  let subscription!: Subscription;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`subscription saw ${seen.length} events before the timeout`)),
      timeoutMs,
    );
    subscription = store.subscribeToAll({
      after,
      handle: (batch) => {
        seen.push(...batch.filter(filter));
        if (until(seen)) {
          clearTimeout(timer);
          resolve();
        }
      },
      onError: (error) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    });
  });
  return { seen, subscription };
}

/**
 * The behaviour every event store adapter must have. The embedded store is trusted because it passes
 * exactly the suite that the production store passes.
 */
export function eventStoreContract(name: string, harness: () => StoreHarness): void {
  describe(`event store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: EventStore;
    const stream = (label?: string): string => uniqueStream(h.category, label);

    beforeAll(async () => {
      h = harness();
      store = await h.open();
    });
    afterAll(async () => {
      await store.close();
      await h.dispose();
    });

    describe('appending and reading a stream', () => {
      it('appends to a new stream with no_stream and reads the events back in order, payload and metadata intact', async () => {
        const s = stream();
        const batch = events(3, (i) => ({ i, text: `æøå ${i}`, nested: { list: [i, null, true] } }));
        const result = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(read.map((e) => e.data)).toEqual(batch.map((e) => e.data));
        expect(read[0]?.metadata).toMatchObject({
          actor: { userId: 'u1', role: 'coordinator' },
          commandId: batch[0]?.id,
        });
        expect(read[0]?.recordedAt).toBe(new Date(batch[0]!.metadata.recordedAt).toISOString());
        expect(read.every((e) => e.streamId === s && e.type === 'ThingHappened')).toBe(true);
        expect(comparePositions(read[2]!.position, result.position)).toBe(0);
      });

      it('continues a stream at the exact revision it was read at', async () => {
        const s = stream();
        const first = await store.appendToStream(s, events(1), { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(s, events(2), {
          expectedRevision: first.nextExpectedRevision,
        });
        expect(second.nextExpectedRevision).toBe(2);
        expect(comparePositions(second.position, first.position)).toBeGreaterThan(0);
      });

      it('refuses a stale expected revision with CONFLICT and writes nothing', async () => {
        const s = stream();
        await store.appendToStream(s, events(2), { expectedRevision: 'no_stream' });
        await expectCode(store.appendToStream(s, events(1), { expectedRevision: 0 }), 'CONFLICT');
        await expectCode(store.appendToStream(s, events(1), { expectedRevision: 'no_stream' }), 'CONFLICT');
        await expectCode(store.appendToStream(s, events(1), { expectedRevision: 5 }), 'CONFLICT');
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('refuses an exact revision on a stream that does not exist', async () => {
        const s = stream();
        await expectCode(store.appendToStream(s, events(1), { expectedRevision: 0 }), 'CONFLICT');
        expect(await store.readStream(s)).toEqual([]);
      });

      it('appends with any whatever the revision', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), { expectedRevision: 'any' });
        const result = await store.appendToStream(s, events(1), { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('returns an empty list for a stream that does not exist', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('reads a stream from a revision, up to a revision, and up to an instant', async () => {
        const s = stream();
        const early = event('ThingHappened', { i: 0 });
        const late = event('ThingHappened', { i: 1 });
        const stamped = (e: EventToAppend, at: string): EventToAppend => ({
          ...e,
          metadata: { ...e.metadata, recordedAt: at },
        });
        await store.appendToStream(s, [stamped(early, '2024-01-10T10:00:00.000Z')], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(s, [stamped(late, '2024-03-01T08:00:00+01:00')], { expectedRevision: 0 });
        await store.appendToStream(s, events(2), { expectedRevision: 1 });
        expect((await store.readStream(s, { fromRevision: 2 })).map((e) => e.revision)).toEqual([2, 3]);
        expect((await store.readStream(s, { toRevision: 1 })).map((e) => e.revision)).toEqual([0, 1]);
        expect(
          (await store.readStream(s, { toInstant: '2024-03-01T06:59:59.999Z' })).map((e) => e.revision),
        ).toEqual([0]);
        expect(
          (await store.readStream(s, { toInstant: '2024-03-01T07:00:00.000Z' })).map((e) => e.revision),
        ).toEqual([0, 1]);
        expect((await store.readStream(s, { maxCount: 3 })).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('idempotent appends', () => {
      it('a retried append with the same event ids writes nothing new and answers as the first time', async () => {
        const s = stream();
        const batch = events(2);
        const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        expect(first.repeated).toBeUndefined();
        const retry = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        expect(retry).toEqual({ ...first, repeated: true });
        expect(comparePositions(retry.position, first.position)).toBe(0);
        const retryAny = await store.appendToStream(s, batch, { expectedRevision: 'any' });
        expect(retryAny).toEqual({ ...first, repeated: true });
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('a retry is still recognised after the stream moved on', async () => {
        const s = stream();
        const batch = events(1);
        const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(s, events(1), { expectedRevision: 0 });
        const retry = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        expect(retry).toEqual({ ...first, repeated: true });
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('a retry that expects the head it reached (its own last event) writes nothing and answers as the first time', async () => {
        const s = stream();
        const batch = events(2);
        const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        expect(first.repeated).toBeUndefined();
        const retry = await store.appendToStream(s, batch, { expectedRevision: first.nextExpectedRevision });
        expect(retry).toEqual({ ...first, repeated: true });
        expect((await store.readStream(s)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('a retry is recognised wherever its events sit, with an exact revision or any', async () => {
        const s = stream();
        const batch = events(2);
        await store.appendToStream(s, events(1), { expectedRevision: 'no_stream' });
        const first = await store.appendToStream(s, batch, { expectedRevision: 0 });
        expect(first.repeated).toBeUndefined();
        await store.appendToStream(s, events(3), { expectedRevision: 2 });
        expect(await store.appendToStream(s, batch, { expectedRevision: 5 })).toEqual({
          ...first,
          repeated: true,
        });
        expect(await store.appendToStream(s, batch, { expectedRevision: 'any' })).toEqual({
          ...first,
          repeated: true,
        });
        expect(await store.readStream(s)).toHaveLength(6);
      });

      it('a retry with any is recognised after the store restarted', async () => {
        const s = stream();
        const batch = events(2);
        const first = await store.appendToStream(s, batch, { expectedRevision: 'any' });
        expect(first.repeated).toBeUndefined();
        const restarted = await h.reopen();
        try {
          expect(await restarted.appendToStream(s, batch, { expectedRevision: 'any' })).toEqual({
            ...first,
            repeated: true,
          });
          expect(await restarted.readStream(s)).toHaveLength(2);
        } finally {
          await restarted.close();
        }
      });

      it('an append that shares only some of its ids with the stream is refused with VALIDATION, whatever it expects', async () => {
        const s = stream();
        const batch = events(2);
        await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        const reused = [batch[0]!, event()];
        const reordered = [batch[1]!, batch[0]!];
        for (const expectedRevision of ['no_stream', 1, 'any'] as const) {
          await expectCode(store.appendToStream(s, reused, { expectedRevision }), 'VALIDATION');
          await expectCode(store.appendToStream(s, reordered, { expectedRevision }), 'VALIDATION');
        }
        await expectCode(
          store.appendToStream(s, [event(), batch[1]!], { expectedRevision: 1 }),
          'VALIDATION',
        );
        expect(await store.readStream(s)).toHaveLength(2);
        expect(comparePositions(await store.headPosition(), head)).toBe(0);
      });

      it('the same event id in another stream is another event', async () => {
        const a = stream('a');
        const b = stream('b');
        const shared = event();
        const inA = await store.appendToStream(a, [shared], { expectedRevision: 'no_stream' });
        const inB = await store.appendToStream(b, [shared], { expectedRevision: 'no_stream' });
        expect(comparePositions(inB.position, inA.position)).toBeGreaterThan(0);
        expect((await store.readStream(a)).map((e) => e.id)).toEqual([shared.id]);
        expect((await store.readStream(b)).map((e) => e.id)).toEqual([shared.id]);
      });
    });

    describe('bad input is refused whole, and nothing is written', () => {
      const bad: Array<[string, () => { s: string; batch: EventToAppend[] }]> = [
        ['a malformed stream id', () => ({ s: 'Not A Stream!', batch: events(1) })],
        ['a stream id without a category', () => ({ s: 'nodash', batch: events(1) })],
        ['a system stream id', () => ({ s: '$all', batch: events(1) })],
        ['no events', () => ({ s: stream(), batch: [] })],
        [
          'an event id that is no UUID',
          () => ({ s: stream(), batch: [event('ThingHappened', {}, 'not-a-uuid')] }),
        ],
        ['a type that is no name', () => ({ s: stream(), batch: [event('thing happened; drop table')] })],
        [
          'a payload over the size limit',
          () => ({ s: stream(), batch: [event('ThingHappened', { blob: 'x'.repeat(300 * 1024) })] }),
        ],
        [
          'one bad event among good ones',
          () => ({ s: stream(), batch: [...events(2), event('ThingHappened', {}, 'bad')] }),
        ],
        [
          'a metadata without recordedAt',
          () => ({ s: stream(), batch: [{ ...event(), metadata: { recordedAt: 'yesterday' } }] }),
        ],
      ];
      it.each(bad)('refuses %s with VALIDATION', async (_label, make) => {
        const { s, batch } = make();
        const before = await store.headPosition();
        await expectCode(store.appendToStream(s, batch, { expectedRevision: 'any' }), 'VALIDATION');
        expect(comparePositions(await store.headPosition(), before)).toBe(0);
      });

      it('refuses an expected revision that is no revision', async () => {
        await expectCode(store.appendToStream(stream(), events(1), { expectedRevision: -3 }), 'VALIDATION');
        await expectCode(
          store.appendToStream(stream(), events(1), { expectedRevision: 'latest' as unknown as number }),
          'VALIDATION',
        );
      });
    });

    describe('concurrent writers', () => {
      it('of many parallel appends at the same expected revision exactly one wins; the rest get CONFLICT', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), { expectedRevision: 'no_stream' });
        const writers = Array.from({ length: 25 }, (_, i) =>
          store.appendToStream(
            s,
            [event('ThingHappened', { writer: i }), event('ThingHappened', { writer: i })],
            {
              expectedRevision: 0,
            },
          ),
        );
        const results = await Promise.allSettled(writers);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(24);
        expect(lost.every((r) => (r.reason as { code?: string }).code === 'CONFLICT')).toBe(true);
        const stored = await store.readStream(s);
        expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(new Set(stored.map((e) => e.id)).size).toBe(3);
        expect(stored[1]?.data.writer).toBe(stored[2]?.data.writer);
      });

      it('writers that re-read and retry on conflict all land, none lost or duplicated', async () => {
        const s = stream();
        const writer = async (w: number): Promise<void> => {
          for (let n = 0; n < 5; n++) {
            const e = event('ThingHappened', { w, n });
            for (;;) {
              const read = await store.readStream(s);
              const expected = read.length === 0 ? 'no_stream' : read.length - 1;
              try {
                await store.appendToStream(s, [e], { expectedRevision: expected });
                break;
              } catch (error) {
                if ((error as { code?: string }).code !== 'CONFLICT') throw error;
              }
            }
          }
        };
        await Promise.all([0, 1, 2, 3].map(writer));
        const stored = await store.readStream(s);
        expect(stored).toHaveLength(20);
        expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(new Set(stored.map((e) => `${String(e.data.w)}:${String(e.data.n)}`)).size).toBe(20);
      });
    });

    describe('reading all events and subscribing', () => {
      it('reads all events in global order after a position, across streams', async () => {
        const start = await store.headPosition();
        const a = stream('a');
        const b = stream('b');
        await store.appendToStream(a, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(b, events(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(a, events(1), { expectedRevision: 1 });
        const mine = (await store.readAll({ after: start, maxCount: 10_000 })).filter(
          (e) => e.streamId === a || e.streamId === b,
        );
        expect(mine.map((e) => `${e.streamId === a ? 'a' : 'b'}${e.revision}`)).toEqual([
          'a0',
          'a1',
          'b0',
          'a2',
        ]);
        for (let i = 1; i < mine.length; i++) {
          expect(comparePositions(mine[i - 1]!.position, mine[i]!.position)).toBeLessThan(0);
        }
        const firstTwo = await store.readAll({ after: start, maxCount: 2 });
        expect(firstTwo).toHaveLength(2);
        const rest = await store.readAll({ after: firstTwo[1]!.position, maxCount: 10_000 });
        expect(rest.some((e) => e.id === firstTwo[1]!.id)).toBe(false);
      });

      it('a catch-up subscription delivers history then live events in global order, never skipping or repeating', async () => {
        const start = await store.headPosition();
        const streams = Array.from({ length: 30 }, (_, i) => stream(`sub${i}`));
        const revisions = new Map<string, number>();
        const appendRound = async (round: number): Promise<void> => {
          for (const s of streams) {
            const rev = revisions.get(s);
            const result = await store.appendToStream(s, [event('ThingHappened', { round })], {
              expectedRevision: rev === undefined ? 'no_stream' : rev,
            });
            revisions.set(s, result.nextExpectedRevision);
          }
        };
        for (let round = 0; round < 5; round++) await appendRound(round);
        const expectedTotal = streams.length * 10;
        const mineOnly = (e: RecordedEvent): boolean => streams.includes(e.streamId);
        const live = (async () => {
          for (let round = 5; round < 10; round++) {
            await appendRound(round);
            await new Promise((r) => setTimeout(r, 5));
          }
        })();
        const { seen, subscription } = await collect(
          store,
          start,
          (s) => s.length >= expectedTotal,
          mineOnly,
        );
        await live;
        await new Promise((r) => setTimeout(r, 200));
        await subscription.stop();
        expect(seen).toHaveLength(expectedTotal);
        expect(new Set(seen.map((e) => e.id)).size).toBe(expectedTotal);
        for (let i = 1; i < seen.length; i++) {
          expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBeLessThan(0);
        }
        for (const s of streams) {
          expect(seen.filter((e) => e.streamId === s).map((e) => e.revision)).toEqual([
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
          ]);
        }
      });

      it('resumes from a stored checkpoint after a restart, delivering each remaining event exactly once', async () => {
        const start = await store.headPosition();
        const s = stream('resume');
        await store.appendToStream(
          s,
          events(10, (i) => ({ i })),
          { expectedRevision: 'no_stream' },
        );
        const mine = (e: RecordedEvent): boolean => e.streamId === s;
        const first = await collect(store, start, (seen) => seen.length >= 4, mine);
        await first.subscription.stop();
        const checkpoint = first.seen[3]!.position;

        const restarted = await h.reopen();
        try {
          await restarted.appendToStream(
            s,
            events(2, (i) => ({ i: 10 + i })),
            { expectedRevision: 9 },
          );
          const second = await collect(restarted, checkpoint, (seen) => seen.length >= 8, mine);
          await new Promise((r) => setTimeout(r, 200));
          await second.subscription.stop();
          expect(second.seen.map((e) => e.data.i)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
        } finally {
          await restarted.close();
        }
      });

      it('refuses a checkpoint beyond the last event in the store, saying to rebuild, and delivers nothing', async () => {
        await store.appendToStream(stream('ahead'), events(1), { expectedRevision: 'no_stream' });
        const head = (await store.headPosition())!;
        const beyond = { commit: head.commit + 1_000_000n, prepare: head.prepare + 1_000_000n };
        let delivered = 0;
        const error = await new Promise<unknown>((resolve) => {
          store.subscribeToAll({
            after: beyond,
            handle: (batch) => {
              delivered += batch.length;
            },
            onCaughtUp: () => resolve(new Error('reported caught up')),
            onError: resolve,
          });
        });
        expect(error).toBeInstanceOf(CheckpointBeyondHeadError);
        expect(error).toMatchObject({ code: 'CORRUPT', checkpoint: beyond });
        expect((error as Error).message).toMatch(/Rebuild the read models/);
        expect(delivered).toBe(0);
      });

      it('reports when it has caught up, and stops cleanly', async () => {
        const caughtUp = new Promise<void>((resolve) => {
          const subscription = store.subscribeToAll({
            after: null,
            handle: () => undefined,
            onCaughtUp: () => {
              void subscription.stop().then(resolve);
            },
          });
        });
        await expect(caughtUp).resolves.toBeUndefined();
      });
    });
  });
}
