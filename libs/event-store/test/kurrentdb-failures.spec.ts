import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { event, uniqueStream } from './contract.js';
import type { Refusal } from './support/kurrentdb-stand-in.js';
import { standInStore } from './support/stand-in-store.js';

/*
 * The KurrentDB adapter through the real client against the wire-level stand-in, where the server
 * refuses, fails over or repeats itself.
 */

const node = standInStore();
afterEach(() => {
  node.standIn.delayAnswers(0);
});

const stream = (): string => uniqueStream('oppdrag', 'fail');

describe('the stand-in keeps the server rules the adapter guards against', () => {
  // What the adapter has to make up for, measured through the bare client.
  let client: KurrentDBClient;
  beforeAll(() => {
    client = KurrentDBClient.connectionString(node.standIn.connectionString());
  });
  afterAll(async () => {
    await client.dispose();
  });
  const proposed = () => [jsonEvent({ id: randomUUID(), type: 'ThingHappened', data: {} })];
  const count = async (s: string): Promise<number> => {
    let n = 0;
    for await (const _ of client.readStream(s)) n += 1;
    return n;
  };

  it('a retry expecting the head is written again', async () => {
    const s = stream();
    const batch = proposed();
    const first = await client.appendToStream(s, batch, { streamState: 'no_stream' });
    await client.appendToStream(s, batch, { streamState: first.nextExpectedRevision });
    expect(await count(s)).toBe(2);
  });

  it('a retry with any is recognised from the cache of recent writes, and written again after a restart', async () => {
    const s = stream();
    const batch = proposed();
    await client.appendToStream(s, batch, { streamState: 'any' });
    await client.appendToStream(s, batch, { streamState: 'any' });
    expect(await count(s)).toBe(1);
    await node.standIn.restart();
    // The first call after the reset fails while the client picks the node again.
    await client.appendToStream(s, batch, { streamState: 'any' }).catch(() => undefined);
    await client.appendToStream(s, batch, { streamState: 'any' });
    expect(await count(s)).toBeGreaterThanOrEqual(2);
  });

  it('a retried first append (no_stream) is answered exactly as the first one: nothing says it wrote nothing', async () => {
    // KurrentDB's `IndexWriter.CheckCommit` finds the ids right after the expected version (-1 for no
    // stream) and decides Idempotent; `StorageWriterService.VerifyCommitChecks` replies AlreadyCommitted
    // with the first events' numbers and position, and `Streams.Append` answers that as a Success, the
    // same message as a write.
    const s = stream();
    const batch = [...proposed(), ...proposed()];
    const first = await client.appendToStream(s, batch, { streamState: 'no_stream' });
    const retry = await client.appendToStream(s, batch, { streamState: 'no_stream' });
    expect(retry).toEqual(first);
    expect(await count(s)).toBe(2);
  });

  it('a retry right after the revision it expected is answered as a success, with its position', async () => {
    const s = stream();
    const batch = proposed();
    const first = await client.appendToStream(s, batch, { streamState: 'no_stream' });
    await client.appendToStream(s, proposed(), { streamState: 0n });
    const retry = await client.appendToStream(s, batch, { streamState: 'no_stream' });
    expect(retry).toEqual(first);
    expect(await count(s)).toBe(2);
  });
});

describe('a retried first append', () => {
  it('is found in the stream before it is sent, and answered as the first time with repeated', async () => {
    const s = stream();
    const appended = [event(), event()];
    const first = await node.store.appendToStream(s, appended, { expectedRevision: 'no_stream' });
    expect(first.repeated).toBeUndefined();
    const calls = node.standIn.appendCalls;
    const retry = await node.store.appendToStream(s, appended, { expectedRevision: 'no_stream' });
    expect(retry).toEqual({ ...first, repeated: true });
    expect(node.standIn.appendCalls).toBe(calls);
    const other = await node.store.appendToStream(stream(), appended, { expectedRevision: 'no_stream' });
    expect(other.repeated).toBeUndefined();
    expect(node.standIn.appendCalls).toBe(calls + 1);
  });
});

describe('KurrentDB refusals mapped to the port', () => {
  const cases: Array<[Refusal, Record<string, unknown>]> = [
    ['bad-request', { code: 'VALIDATION', field: 'request' }],
    ['maximum-append-size', { code: 'VALIDATION', field: 'events' }],
    ['maximum-event-size', { code: 'VALIDATION', field: 'events' }],
    ['access-denied', { code: 'ACCESS_DENIED' }],
    ['busy', { code: 'UNAVAILABLE' }],
    ['timeout', { code: 'UNAVAILABLE' }],
  ];

  it.each(cases)('%s', async (refusal, expected) => {
    const s = stream();
    const calls = node.standIn.appendCalls;
    node.standIn.refuseNextAppends(refusal);
    await expect(
      node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' }),
    ).rejects.toMatchObject(expected);
    // A refusal is answered at once: nothing is tried again.
    expect(node.standIn.appendCalls - calls).toBe(1);
    expect(await node.store.readStream(s)).toEqual([]);
  });
});

describe('an append after a leader change', () => {
  it('is tried once more with the same event ids, and lands once', async () => {
    const s = stream();
    const calls = node.standIn.appendCalls;
    node.standIn.refuseNextAppends('not-leader');
    const appended = [event(), event()];
    const result = await node.store.appendToStream(s, appended, { expectedRevision: 'no_stream' });
    expect(result.nextExpectedRevision).toBe(1);
    expect(node.standIn.appendCalls - calls).toBe(2);
    expect((await node.store.readStream(s)).map((e) => e.id)).toEqual(appended.map((e) => e.id));
  });

  it('after a reset connection, a retry of an append that was written is recognised', async () => {
    const s = stream();
    await node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    const appended = [event()];
    const first = await node.store.appendToStream(s, appended, { expectedRevision: 0 });
    node.standIn.refuseNextAppends('unavailable');
    // The caller did not hear the answer and sends the same command again.
    expect(await node.store.appendToStream(s, appended, { expectedRevision: 0 })).toEqual({
      ...first,
      repeated: true,
    });
    expect(await node.store.readStream(s)).toHaveLength(2);
  });

  it('is tried only once more: a node that keeps failing is UNAVAILABLE', async () => {
    const s = stream();
    const calls = node.standIn.appendCalls;
    node.standIn.refuseNextAppends('unavailable', 'unavailable');
    await expect(
      node.store.appendToStream(s, [event()], { expectedRevision: 'no_stream' }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(node.standIn.appendCalls - calls).toBe(2);
    expect(await node.store.readStream(s)).toEqual([]);
  });
});
