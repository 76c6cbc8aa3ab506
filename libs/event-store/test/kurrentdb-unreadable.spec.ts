import { randomUUID } from 'node:crypto';
import { binaryEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { UnreadableEventError, type Position, type RecordedEvent } from '../src/index.js';
import { event, uniqueStream } from './contract.js';
import { standInStore } from './support/stand-in-store.js';

/*
 * One event in a product stream that is not JSON (written by another tool, or damaged): the KurrentDB
 * adapter delivers everything before it, then names it, so that a reader can skip exactly that one.
 */

const node = standInStore();
let client: KurrentDBClient;
beforeAll(() => {
  client = KurrentDBClient.connectionString(node.standIn.connectionString());
});
afterAll(async () => {
  await client.dispose();
});

/** Subscribes from `after` until the first error; answers what was delivered and the error. */
async function follow(after: Position | null): Promise<{ ids: string[]; error: unknown }> {
  const ids: string[] = [];
  return new Promise((resolve) => {
    const subscription = node.store.subscribeToAll({
      after,
      handle: (batch: readonly RecordedEvent[]) => {
        ids.push(...batch.map((e) => e.id));
        return undefined;
      },
      onCaughtUp: () => {
        void subscription.stop().then(() => resolve({ ids, error: null }));
      },
      onError: (error: unknown) => {
        void subscription.stop().then(() => resolve({ ids, error }));
      },
    });
  });
}

describe('an event that cannot be decoded, through the real client', () => {
  it('is raised as unreadable after the events before it, and reading on after it loses nothing else', async () => {
    const before = event();
    const after = event();
    await node.store.appendToStream(uniqueStream('oppdrag', 'ok'), [before], {
      expectedRevision: 'no_stream',
    });
    const badId = randomUUID();
    await client.appendToStream(
      uniqueStream('oppdrag', 'bad'),
      [binaryEvent({ id: badId, type: 'OppdragStarted', data: Buffer.from('{not json', 'utf8') })],
      { streamState: 'no_stream' },
    );
    await node.store.appendToStream(uniqueStream('oppdrag', 'ok'), [after], {
      expectedRevision: 'no_stream',
    });

    const first = await follow(null);
    expect(first.ids).toContain(before.id);
    expect(first.ids).not.toContain(after.id);
    expect(first.error).toBeInstanceOf(UnreadableEventError);
    const unreadable = first.error as UnreadableEventError;
    expect(unreadable.event.id).toBe(badId);
    expect(unreadable.message).toContain('does not hold a JSON object as its data');

    const rest = await follow(unreadable.event.position);
    expect(rest.error).toBeNull();
    expect(rest.ids).toEqual([after.id]);

    const all = await node.store.readAll({ maxCount: 1000 });
    expect(all.map((e) => e.id)).toContain(before.id);
    expect(all.map((e) => e.id)).not.toContain(badId);
  });
});
