import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../src/index.js';
import { event, uniqueStream } from './contract.js';
import type { StandInEvent } from './support/kurrentdb-stand-in.js';
import { standInStore } from './support/stand-in-store.js';

/*
 * Correlation and causation ids as KurrentDB names them: the real client against the wire-level stand-in,
 * whose stored bytes show what the server keeps.
 */

const node = standInStore();

const stream = (): string => uniqueStream('oppdrag', 'meta');

function storedMetadata(stored: StandInEvent | undefined): unknown {
  return JSON.parse(Buffer.from(stored?.metadata ?? []).toString('utf8'));
}

/** The event as every read of the store gives it back: a stream read, a read of all, a subscription. */
async function readEverywhere(s: string, id: string): Promise<RecordedEvent[]> {
  const [inStream] = (await node.store.readStream(s)).filter((e) => e.id === id);
  const [inAll] = (await node.store.readAll({ maxCount: 100_000 })).filter((e) => e.id === id);
  const delivered: RecordedEvent[] = [];
  let caughtUp = false;
  const subscription = node.store.subscribeToAll({
    after: null,
    handle: (batch) => {
      delivered.push(...batch.filter((e) => e.id === id));
    },
    onCaughtUp: () => {
      caughtUp = true;
    },
  });
  const deadline = Date.now() + 10_000;
  while (!caughtUp && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await subscription.stop();
  return [inStream, inAll, ...delivered].filter((e): e is RecordedEvent => e !== undefined);
}

describe('correlation and causation ids', () => {
  it("are stored as KurrentDB's $correlationId and $causationId, and read back under the port's names", async () => {
    const s = stream();
    const appended = {
      ...event(),
      metadata: {
        recordedAt: '2024-05-01T10:00:00.000Z',
        commandId: 'command-1',
        correlationId: 'request-7',
        causationId: 'command-1',
      },
    };
    await node.store.appendToStream(s, [appended], { expectedRevision: 'no_stream' });
    expect(storedMetadata(node.standIn.log.find((e) => e.id === appended.id))).toEqual({
      recordedAt: '2024-05-01T10:00:00.000Z',
      commandId: 'command-1',
      $correlationId: 'request-7',
      $causationId: 'command-1',
    });
    const read = await readEverywhere(s, appended.id);
    expect(read).toHaveLength(3);
    for (const recorded of read) expect(recorded.metadata).toEqual(appended.metadata);
  });

  it('stored under the old names, they keep their meaning', async () => {
    const s = stream();
    const old = node.standIn.seed({
      streamId: s,
      type: 'ThingHappened',
      metadata: JSON.stringify({
        recordedAt: '2023-01-01T00:00:00.000Z',
        correlationId: 'request-1',
        causationId: 'command-0',
      }),
    });
    const read = await readEverywhere(s, old.id);
    expect(read).toHaveLength(3);
    for (const recorded of read) {
      expect(recorded.metadata).toEqual({
        recordedAt: '2023-01-01T00:00:00.000Z',
        correlationId: 'request-1',
        causationId: 'command-0',
      });
    }
  });

  it("written by another tool under the server's names only, they read under the port's", async () => {
    const s = stream();
    const foreign = node.standIn.seed({
      streamId: s,
      type: 'ThingHappened',
      metadata: JSON.stringify({ recordedAt: '2023-01-01T00:00:00.000Z', $correlationId: 'batch-3' }),
    });
    const [recorded] = await node.store.readStream(s);
    expect(recorded?.id).toBe(foreign.id);
    expect(recorded?.metadata).toEqual({ recordedAt: '2023-01-01T00:00:00.000Z', correlationId: 'batch-3' });
  });

  it('an id that is not a string stays under its own name, since the server reads only strings there', async () => {
    const s = stream();
    const appended = {
      ...event(),
      metadata: { recordedAt: '2024-05-01T10:00:00.000Z', correlationId: { request: 7 } },
    };
    await node.store.appendToStream(s, [appended], { expectedRevision: 'no_stream' });
    expect(storedMetadata(node.standIn.log.find((e) => e.id === appended.id))).toEqual(appended.metadata);
    expect((await node.store.readStream(s))[0]?.metadata).toEqual(appended.metadata);
  });

  it("an append that uses the server's names itself is refused with VALIDATION and writes nothing", async () => {
    const s = stream();
    const calls = node.standIn.appendCalls;
    for (const name of ['$correlationId', '$causationId']) {
      const appended = {
        ...event(),
        id: randomUUID(),
        metadata: { recordedAt: '2024-05-01T10:00:00.000Z', [name]: 'request-7' },
      };
      await expect(
        node.store.appendToStream(s, [appended], { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({ code: 'VALIDATION', field: `events[0].metadata.${name}` });
    }
    expect(node.standIn.appendCalls).toBe(calls);
    expect(await node.store.readStream(s)).toEqual([]);
  });
});
