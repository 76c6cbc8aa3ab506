import type { Position, RecordedEvent, Subscription, SubscriptionRetry } from '../src/index.js';
import { event, uniqueStream } from './contract.js';
import { standInStore } from './support/stand-in-store.js';

/*
 * Every call to the server has a deadline: the real client against the wire-level stand-in, whose reads,
 * answers and subscriptions are held back longer than the store's deadline.
 */

const DEADLINE_MS = 300;
/**
 * Far above the deadline, far below a call that waits for ever: proves only that a deadline ends the call.
 * The adapter's first append also makes the client ask the node what it serves, which counts here too.
 */
const BOUND_MS = 5_000;

const node = standInStore({
  deadlineMs: DEADLINE_MS,
  resubscribe: { firstDelayMs: 20, maxDelayMs: 100, giveUpAfterMs: 30_000 },
});

beforeAll(async () => {
  // The client asks the node what it serves on its first append: done here, before anything is held. On
  // a loaded machine connecting may take longer than the short deadline these tests are about, so the
  // set-up tries again (nothing is held yet; any other failure stops it).
  for (let attempt = 1; ; attempt++) {
    try {
      await node.store.appendToStream(stream(), [event()], { expectedRevision: 'no_stream' });
      return;
    } catch (error) {
      if (attempt >= 20 || (error as { code?: unknown }).code !== 'UNAVAILABLE') throw error;
    }
  }
}, 30_000);
afterEach(() => {
  node.standIn.holdReads(false);
  node.standIn.holdSubscriptions(false);
  node.standIn.delayAnswers(0);
  node.standIn.delayAppendAnswers(0);
});

function stream(): string {
  return uniqueStream('oppdrag', 'deadline');
}

/** A first append, and one at a revision: the events its stream holds before it, and what it expects. */
const APPENDS = [
  ['a first append (no_stream)', 'no_stream', 0],
  ['an append at a revision', 0, 1],
] as const;

/** A new stream holding this many events. */
async function streamHolding(count: number): Promise<string> {
  const s = stream();
  if (count > 0) {
    const events = Array.from({ length: count }, () => event());
    await node.store.appendToStream(s, events, { expectedRevision: 'no_stream' });
  }
  return s;
}

/** How the call ended, and how long it took. */
async function outcome(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await call();
    return { error: null, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a read the server never answers', () => {
  it.each([
    ['readStream', () => node.store.readStream(stream())],
    ['readAll', () => node.store.readAll({ maxCount: 10 })],
    ['headPosition', () => node.store.headPosition()],
  ])(
    '%s fails with UNAVAILABLE within the deadline, and the store reads again once the server answers',
    async (_name, read) => {
      node.standIn.holdReads(true);
      const held = await outcome(read);
      expect(held.error).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining(`within the deadline of ${DEADLINE_MS} ms`),
      });
      expect(held.ms).toBeLessThan(BOUND_MS);
      node.standIn.holdReads(false);
      await expect(read()).resolves.toBeDefined();
    },
  );

  it.each(APPENDS)(
    '%s reads its stream first: it fails with UNAVAILABLE and writes nothing',
    async (_name, expectedRevision, stored) => {
      const s = await streamHolding(stored);
      const calls = node.standIn.appendCalls;
      node.standIn.holdReads(true);
      const held = await outcome(() => node.store.appendToStream(s, [event()], { expectedRevision }));
      expect(held.error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(held.ms).toBeLessThan(BOUND_MS);
      node.standIn.holdReads(false);
      expect(node.standIn.appendCalls).toBe(calls);
      expect(await node.store.readStream(s)).toHaveLength(stored);
    },
  );
});

describe('a server that answers later than the deadline', () => {
  it.each(APPENDS)(
    'fails %s with UNAVAILABLE; the append may land after all, and its retry writes nothing more and says so',
    async (_name, expectedRevision, before) => {
      const s = await streamHolding(before);
      const appended = [event(), event()];
      // Only the append is slow: the adapter's look at the stream before it is answered at once.
      node.standIn.delayAppendAnswers(DEADLINE_MS * 4);
      const late = await outcome(() => node.store.appendToStream(s, appended, { expectedRevision }));
      expect(late.error).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining(`an append to ${s}`),
      });
      expect(late.ms).toBeLessThan(BOUND_MS);
      node.standIn.delayAppendAnswers(0);
      // The server was slow, not gone: it writes the events once the delay has passed.
      await until('the late append', () => node.standIn.log.some((e) => e.id === appended[1]?.id));
      const stored = (await node.store.readStream(s)).slice(before);
      const calls = node.standIn.appendCalls;
      const retry = await node.store.appendToStream(s, appended, { expectedRevision });
      expect(retry).toEqual({
        nextExpectedRevision: before + 1,
        position: stored[1]?.position,
        repeated: true,
      });
      expect(node.standIn.appendCalls).toBe(calls);
      expect((await node.store.readStream(s)).slice(before).map((e) => e.id)).toEqual(
        appended.map((e) => e.id),
      );
    },
  );

  it('fails a read with UNAVAILABLE', async () => {
    node.standIn.delayAnswers(DEADLINE_MS * 4);
    const late = await outcome(() => node.store.readStream(stream()));
    expect(late.error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(late.ms).toBeLessThan(BOUND_MS);
  });

  it('answers within the deadline as usual', async () => {
    const s = stream();
    node.standIn.delayAnswers(DEADLINE_MS / 10);
    await node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    expect(await node.store.readStream(s)).toHaveLength(1);
  });
});

describe('a subscription the server does not confirm', () => {
  it('is given up after the deadline and subscribed again, each attempt reported, until the server answers', async () => {
    const s = stream();
    const start: Position | null = await node.store.headPosition();
    await node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    const seen: RecordedEvent[] = [];
    const retries: SubscriptionRetry[] = [];
    const errors: unknown[] = [];
    node.standIn.holdSubscriptions(true);
    const subscribed = node.standIn.subscriptionCalls;
    const subscription: Subscription = node.store.subscribeToAll({
      after: start,
      handle: (batch) => {
        seen.push(...batch.filter((e) => e.streamId === s));
      },
      onRetry: (retry) => retries.push(retry),
      onError: (error) => errors.push(error),
    });
    try {
      await until('two attempts given up', () => retries.length >= 2);
      expect(retries[0]).toMatchObject({
        attempt: 1,
        after: start,
        error: {
          code: 'UNAVAILABLE',
          message: expect.stringContaining('a subscription within the deadline'),
        },
      });
      expect(node.standIn.subscriptionCalls - subscribed).toBeGreaterThanOrEqual(2);
      expect(seen).toEqual([]);
      node.standIn.holdSubscriptions(false);
      await until('the event', () => seen.length === 1);
      expect(errors).toEqual([]);
    } finally {
      await subscription.stop();
    }
  });

  it('one confirmed goes on waiting for new events past the deadline', async () => {
    const s = stream();
    const start = await node.store.headPosition();
    const seen: RecordedEvent[] = [];
    const retries: SubscriptionRetry[] = [];
    let caughtUp = 0;
    const subscription = node.store.subscribeToAll({
      after: start,
      handle: (batch) => {
        seen.push(...batch.filter((e) => e.streamId === s));
      },
      onRetry: (retry) => retries.push(retry),
      onCaughtUp: () => {
        caughtUp += 1;
      },
    });
    try {
      await until('caught up', () => caughtUp > 0);
      await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS * 3));
      await node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
      await until('the live event', () => seen.length === 1);
      expect(retries).toEqual([]);
    } finally {
      await subscription.stop();
    }
  });
});
