import {
  CheckpointBeyondHeadError,
  type Position,
  type RecordedEvent,
  type Subscription,
  type SubscriptionRetry,
} from '../src/index.js';
import { event, uniqueStream } from './contract.js';
import { standInStore } from './support/stand-in-store.js';

/*
 * A subscription that survives the server: the real client against the wire-level stand-in, whose
 * subscriptions are dropped, whose node restarts, and whose log is rolled back to an older backup.
 */

const node = standInStore({ resubscribe: { firstDelayMs: 20, maxDelayMs: 200, giveUpAfterMs: 5_000 } });

/** A running subscription and what it has seen, with a way to wait for what it should see. */
function follow(after: Position | null, mine: (e: RecordedEvent) => boolean) {
  const seen: RecordedEvent[] = [];
  const retries: SubscriptionRetry[] = [];
  const errors: unknown[] = [];
  let caughtUp = 0;
  const subscription: Subscription = node.store.subscribeToAll({
    after,
    handle: (batch) => {
      seen.push(...batch.filter(mine));
    },
    onRetry: (retry) => retries.push(retry),
    onError: (error) => errors.push(error),
    onCaughtUp: () => {
      caughtUp += 1;
    },
  });
  const until = async (what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (errors.length > 0) throw errors[0] as Error;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { seen, retries, errors, subscription, until, caughtUp: () => caughtUp };
}

describe('a dropped subscription', () => {
  it('is resumed from the last delivered position: every event once, in order, each attempt reported', async () => {
    const s = uniqueStream('oppdrag', 'drop');
    const start = await node.store.headPosition();
    await node.store.appendToStream(s, [event(), event()], { expectedRevision: 'no_stream' });
    const run = follow(start, (e) => e.streamId === s);
    await run.until('the history', () => run.seen.length === 2 && run.caughtUp() === 1);
    const subscribed = node.standIn.subscriptionCalls;
    node.standIn.dropSubscriptions();
    await node.store.appendToStream(s, [event()], { expectedRevision: 1 });
    await run.until('the event written while it was down', () => run.seen.length === 3);
    await node.store.appendToStream(s, [event()], { expectedRevision: 2 });
    await run.until('a live event', () => run.seen.length === 4);
    await run.subscription.stop();
    expect(run.seen.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(run.retries).toHaveLength(1);
    expect(run.retries[0]).toMatchObject({ attempt: 1, error: { code: 'UNAVAILABLE' } });
    expect(run.retries[0]?.after).toEqual(run.seen[1]?.position);
    // Caught up once before the drop; again after resuming (and after each live batch).
    expect(run.caughtUp()).toBeGreaterThanOrEqual(2);
    expect(node.standIn.subscriptionCalls - subscribed).toBe(1);
    expect(run.errors).toEqual([]);
  });

  it('survives a node restart with some downtime, backing off between attempts', async () => {
    const s = uniqueStream('oppdrag', 'restart');
    const start = await node.store.headPosition();
    await node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    const run = follow(start, (e) => e.streamId === s);
    await run.until('the history', () => run.seen.length === 1);
    await node.standIn.restart(400);
    await node.store.appendToStream(s, [event()], { expectedRevision: 0 });
    await run.until('the event after the restart', () => run.seen.length === 2);
    await run.subscription.stop();
    expect(run.seen.map((e) => e.revision)).toEqual([0, 1]);
    expect(run.retries.length).toBeGreaterThanOrEqual(2);
    expect(run.retries.map((r) => r.attempt)).toEqual(run.retries.map((_, i) => i + 1));
    for (const retry of run.retries) expect(retry.delayMs).toBeLessThanOrEqual(200);
    expect(run.errors).toEqual([]);
  });
});

describe('a checkpoint beyond the store', () => {
  it('found when the store is rolled back under a running subscription: it stops and says to rebuild', async () => {
    const s = uniqueStream('oppdrag', 'rollback');
    const start = await node.store.headPosition();
    const before = await node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    await node.store.appendToStream(s, [event()], { expectedRevision: 0 });
    const run = follow(start, (e) => e.streamId === s);
    await run.until('the history', () => run.seen.length === 2);
    // The node is restored from a backup taken before the second event.
    node.standIn.truncate(before.position.commit);
    node.standIn.dropSubscriptions();
    const deadline = Date.now() + 10_000;
    while (run.errors.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toBeInstanceOf(CheckpointBeyondHeadError);
    expect(run.errors[0]).toMatchObject({ checkpoint: run.seen[1]?.position, head: before.position });
    await run.subscription.stop();
  });
});
