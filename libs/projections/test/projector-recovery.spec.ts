import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock, OppdragCommandHandler } from '#application';
import { SqliteEventStore, StoreUnavailableError, type SubscribeOptions } from '#event-store';
import { assignCommand, coordinator } from '#testing';
import { OppdragProjector, ReadModelStore } from '../src/index.js';

/** Waits (polling) until `condition` holds; fails after `ms`. */
async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the projector and a stored event that cannot be decoded', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-recovery-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Three oppdrag in a store file, the second one's event payload overwritten with text that is not JSON. */
  async function storeWithMalformedEvent() {
    const path = join(dir, 'events.db');
    const store = new SqliteEventStore({ path, pollIntervalMs: 10 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    const positions: bigint[] = [];
    for (const oppdragId of ['2024-a', '2024-b', '2024-c']) {
      const result = await handler.handle(assignCommand({ oppdragId }), {
        commandId: randomUUID(),
        actor: coordinator,
      });
      positions.push(result.position!.commit);
    }
    const raw = new Database(path);
    raw.prepare("UPDATE events SET data = '{not json' WHERE position = ?").run(positions[1]);
    raw.close();
    return { store, positions };
  }

  it('skips it, counts it as a problem, serves the other oppdrag, and keeps the skip across a restart', async () => {
    const { store, positions } = await storeWithMalformedEvent();
    const problems: string[] = [];
    const readModelPath = join(dir, 'rm.db');
    const projector = new OppdragProjector(store, new ReadModelStore(readModelPath), {
      onProblem: (message) => problems.push(message),
    });
    await projector.start();
    expect(projector.isCaughtUp()).toBe(true);
    expect(projector.status()).toMatchObject({ state: 'live', reason: null });
    expect([...projector.summaries.keys()].sort()).toEqual(['2024-a', '2024-c']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `at ${positions[1]} in oppdrag-2024-b \\(OppdragAssigned\\) cannot be read and was skipped: .*not JSON`,
      ),
    );
    expect(projector.problemLog()).toEqual(problems);
    await projector.stop();

    // Operators find it in the read-model file, and a restart neither stops on it nor reports it again.
    const restartedModels = new ReadModelStore(readModelPath);
    expect(restartedModels.skippedEvents()).toEqual([
      expect.objectContaining({
        position: `${positions[1]}/${positions[1]}`,
        streamId: 'oppdrag-2024-b',
        type: 'OppdragAssigned',
      }),
    ]);
    const again: string[] = [];
    const restarted = new OppdragProjector(store, restartedModels, { onProblem: (m) => again.push(m) });
    await restarted.start();
    expect(again).toEqual([]);
    expect(restarted.problemTotal()).toBe(1);
    expect(restarted.problemLog()).toEqual(problems);
    expect([...restarted.summaries.keys()].sort()).toEqual(['2024-a', '2024-c']);
    await restarted.stop();
    restartedModels.close();
    await store.close();
  });

  it('delivers every event before it in the same batch, and raises it only when it comes first', async () => {
    const { store, positions } = await storeWithMalformedEvent();
    const first = await store.readAll({ maxCount: 10 });
    expect(first.map((e) => e.position.commit)).toEqual([positions[0]]);
    await expect(store.readAll({ after: first[0]!.position })).rejects.toMatchObject({
      name: 'UnreadableEventError',
      code: 'CORRUPT',
      event: { streamId: 'oppdrag-2024-b', position: { commit: positions[1] } },
    });
    await store.close();
  });
});

/** In-memory read models whose next `refuse.next` writes fail as on a full disk. */
function refusingReadModels() {
  const readModels = new ReadModelStore(':memory:');
  const write = readModels.write.bind(readModels);
  const refuse = { next: 0 };
  readModels.write = (changed, checkpoint) => {
    if (refuse.next > 0) {
      refuse.next -= 1;
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    }
    write(changed, checkpoint);
  };
  return { readModels, refuse };
}

describe('the projector after a failure', () => {
  /** A store whose subscriptions fail with `error` while `failing` says so, after delivering what they read. */
  function flakyStore(failing: () => boolean) {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
    const subscribe = store.subscribeToAll.bind(store);
    let subscriptions = 0;
    store.subscribeToAll = (options: SubscribeOptions) => {
      subscriptions += 1;
      if (failing()) throw new StoreUnavailableError('the event store is not reachable');
      return subscribe(options);
    };
    return { store, subscriptions: () => subscriptions };
  }

  it('tries again with growing delays, says why it is not ready meanwhile, and is live again once it can be', async () => {
    let failing = true;
    const { store, subscriptions } = flakyStore(() => failing);
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    await handler.handle(assignCommand({ oppdragId: '2024-r' }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    const problems: string[] = [];
    const delays: number[] = [];
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'), {
      retry: { firstDelayMs: 10, maxDelayMs: 40 },
      random: () => 0,
      onProblem: (message) => {
        problems.push(message);
        delays.push(Number(/trying again in (\d+) ms/.exec(message)?.[1]));
      },
    });
    const started = projector.start();
    await until(() => subscriptions() >= 4);
    expect(projector.isCaughtUp()).toBe(false);
    expect(projector.status()).toMatchObject({
      state: 'retrying',
      reason: 'the event store is not reachable',
    });
    expect(projector.status().failures).toBeGreaterThanOrEqual(3);
    // Doubling from the first delay, capped (no jitter taken off with random() = 0).
    expect(delays.slice(0, 4)).toEqual([10, 20, 40, 40]);
    failing = false;
    await started;
    expect(projector.isCaughtUp()).toBe(true);
    expect(projector.status()).toEqual({ state: 'live', reason: null, failures: 0, failingSince: null });
    expect(projector.summaries.has('2024-r')).toBe(true);
    await projector.stop();
    await store.close();
  });

  it('reports itself failed once it has failed for longer than the policy allows, and recovers all the same', async () => {
    let failing = true;
    const { store, subscriptions } = flakyStore(() => failing);
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'), {
      retry: { firstDelayMs: 5, maxDelayMs: 5, giveUpAfterMs: 20 },
    });
    const started = projector.start();
    expect(projector.status().state).toBe('retrying');
    await until(() => projector.status().state === 'failed');
    expect(projector.status().reason).toBe('the event store is not reachable');
    expect(subscriptions()).toBeGreaterThan(1);
    failing = false;
    await started;
    expect(projector.status().state).toBe('live');
    await projector.stop();
    await store.close();
  });

  it('without retries (one-shot tools), stops at the first failure and start rejects with it', async () => {
    const { store, subscriptions } = flakyStore(() => true);
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'), { retry: false });
    await expect(projector.start()).rejects.toThrow('the event store is not reachable');
    expect(subscriptions()).toBe(1);
    expect(projector.status()).toMatchObject({
      state: 'stopped',
      reason: 'the event store is not reachable',
    });
    await store.close();
  });

  it('after a failed read-model write, replays from the last checkpoint and loses nothing', async () => {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    const { readModels, refuse } = refusingReadModels();
    const projector = new OppdragProjector(store, readModels, {
      liveFlushMs: 0,
      retry: { firstDelayMs: 5 },
    });
    await projector.start();
    refuse.next = 2;
    const result = await handler.handle(assignCommand({ oppdragId: '2024-w' }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    await until(() => refuse.next === 0 && projector.isCaughtUp());
    await projector.waitFor(result.position!);
    expect(readModels.checkpoint()).toBe(`${result.position!.commit}/${result.position!.prepare}`);
    expect(readModels.loadView('2024-w')?.revision).toBe(0);
    expect(readModels.audit({ oppdragId: '2024-w', limit: 10 })).toHaveLength(1);
    await projector.stop();
    await store.close();
  });
});

describe('the projector replaying after a failure', () => {
  it('counts an event it skipped once, though the replay meets it again', async () => {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
    const { readModels, refuse } = refusingReadModels();
    const projector = new OppdragProjector(store, readModels, { liveFlushMs: 0, retry: { firstDelayMs: 5 } });
    await projector.start();
    refuse.next = 1;
    const appended = await store.appendToStream(
      'oppdrag-2024-u',
      [
        {
          id: randomUUID(),
          type: 'SomethingNobodyKnows',
          data: {},
          metadata: { recordedAt: '2024-05-01T10:00:00Z' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await until(() => refuse.next === 0 && projector.isCaughtUp());
    await projector.waitFor(appended.position);
    expect(projector.problemTotal()).toBe(1);
    expect(projector.problemLog()).toHaveLength(1);
    expect(readModels.skippedEvents()).toHaveLength(1);
    await projector.stop();
    await store.close();
  });
});

describe('the read-model file', () => {
  it('is replaced and rebuilt when it is not a database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-notadb-'));
    try {
      const path = join(dir, 'rm.db');
      writeFileSync(path, 'this is not a database\n'.repeat(1000));
      const readModels = new ReadModelStore(path);
      expect(readModels.replaced).toMatch(/not a usable database \(SQLITE_NOTADB\)/);
      expect(readModels.checkpoint()).toBeNull();
      readModels.close();
      const reopened = new ReadModelStore(path);
      expect(reopened.replaced).toBeNull();
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
