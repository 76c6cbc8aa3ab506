import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/index.js';
import {
  CHANNEL,
  appendBound,
  decodeAppend,
  encodeAppend,
  putOutcome,
  takeOutcome,
  type GroupFailure,
  type WriteOutcome,
  type WriteRequest,
} from '../src/sqlite-writer.js';
import { serialiseAppend } from '../src/validation.js';

/** Text that JSON keeps as it is or escapes: control characters, the separator, quotes, emoji, Norwegian. */
const AWKWARD = 'a\u0001b\u0000c\u001fd\n"e"\\f 😀 æøå \u2028 \ud800';

/** An append as the writer reads it: data and metadata as text again. */
const asText = (request: WriteRequest): WriteRequest => ({
  ...request,
  events: request.events.map((event) => ({
    ...event,
    data: Buffer.from(event.data).toString('utf8'),
    metadata: Buffer.from(event.metadata).toString('utf8'),
  })),
});

describe('embedded store: what goes to and comes from the writer thread', () => {
  it('an append written into the ring comes out as the same append, whatever the payloads hold', () => {
    const group: WriteRequest[] = [
      {
        streamId: 'thing-one',
        expected: 'no_stream',
        events: serialiseAppend([
          {
            id: randomUUID(),
            type: 'ThingHappened',
            data: { text: AWKWARD, list: [1, null, { [AWKWARD]: true }] },
            metadata: { recordedAt: '2026-01-02T03:04:05.678Z', note: AWKWARD },
          },
          { id: randomUUID(), type: 'Other', data: {}, metadata: { recordedAt: '2026-01-02T03:04:05Z' } },
        ]),
      },
      {
        streamId: 'thing-two',
        expected: 2 ** 40,
        events: serialiseAppend([
          {
            id: randomUUID(),
            type: 'T',
            data: { n: 0 },
            metadata: { recordedAt: '2026-01-02T03:04:05.678Z' },
          },
        ]),
      },
      {
        streamId: 'thing-three-3',
        expected: 'any',
        events: serialiseAppend([
          {
            id: randomUUID(),
            type: 'T',
            data: { e: '' },
            metadata: { recordedAt: '2026-01-02T03:04:05.678Z' },
          },
        ]),
      },
      {
        streamId: 'thing-four',
        expected: 0,
        events: serialiseAppend([
          { id: randomUUID(), type: 'T', data: {}, metadata: { recordedAt: '2026-01-02T03:04:05.678Z' } },
        ]),
      },
    ];
    const buffer = Buffer.alloc(64 * 1024, 0xff);
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    let offset = 3;
    const offsets: number[] = [];
    for (const request of group) {
      offsets.push(offset);
      const size = encodeAppend(buffer, view, offset, request);
      expect(size % 4).toBe(0);
      expect(size).toBeLessThanOrEqual(appendBound(request));
      offset += size;
    }
    expect(offsets.map((at) => asText(decodeAppend(buffer, view, at)))).toEqual(group);
  });

  it('outcomes put into their slots come out as the same outcomes, SQLite errors with their texts', () => {
    const outcomes: WriteOutcome[] = [
      { ok: true, nextExpectedRevision: 0, position: 1, repeated: false },
      { ok: true, nextExpectedRevision: 7, position: 2 ** 40, repeated: true },
      { ok: false, refusal: { kind: 'conflict', actual: 'no_stream' } },
      { ok: false, refusal: { kind: 'conflict', actual: 0 } },
      { ok: false, refusal: { kind: 'conflict', actual: 12 } },
      { ok: false, refusal: { kind: 'reused-ids' } },
      { ok: false, refusal: { kind: 'sqlite', code: 'SQLITE_FULL', message: 'database or disk is full' } },
      { ok: false, refusal: { kind: 'sqlite', code: 'SQLITE_IOERR', message: 'disk I/O error' } },
    ];
    const numbers = new Float64Array(outcomes.length * 3);
    const sent: GroupFailure[] = [];
    outcomes.forEach((outcome, slot) => {
      const error = putOutcome(numbers, slot, outcome);
      if (error) sent.push(error);
    });
    expect(sent).toHaveLength(2);
    const next = (): GroupFailure => sent.shift() as GroupFailure;
    expect(outcomes.map((_, slot) => takeOutcome(numbers, slot, next))).toEqual(outcomes);
    // A failed transaction (kind 5) is answered with its failure alone.
    numbers[0] = 5;
    expect(takeOutcome(numbers, 0, () => ({ code: 'SQLITE_BUSY', message: 'database is locked' }))).toEqual({
      code: 'SQLITE_BUSY',
      message: 'database is locked',
    });
  });

  describe('through a store file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-codec-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('stores payloads holding control characters and the separator exactly as given', async () => {
      const store = new SqliteEventStore({ path: join(dir, 'events.db') });
      try {
        const data = { text: AWKWARD, nested: { [AWKWARD]: [AWKWARD] } };
        const metadata = { recordedAt: '2026-01-02T03:04:05.678Z', note: AWKWARD };
        const id = randomUUID();
        await Promise.all([
          store.appendToStream('thing-awkward', [{ id, type: 'ThingHappened', data, metadata }], {
            expectedRevision: 'no_stream',
          }),
          store.appendToStream(
            'thing-next',
            [{ id: randomUUID(), type: 'ThingHappened', data: {}, metadata }],
            { expectedRevision: 'no_stream' },
          ),
        ]);
        const [stored] = await store.readStream('thing-awkward');
        expect(stored).toMatchObject({ id, data: JSON.parse(JSON.stringify(data)), metadata });
        expect(await store.readStream('thing-next')).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('an append larger than the ring holds goes through the port, in its place among the others', async () => {
      const store = new SqliteEventStore({ path: join(dir, 'events.db') });
      try {
        const big = 'ø'.repeat(60_000);
        const events = Array.from({ length: 10 }, () => ({
          id: randomUUID(),
          type: 'ThingHappened',
          data: { big },
          metadata: { recordedAt: '2026-01-02T03:04:05.678Z' },
        }));
        expect(
          appendBound({ streamId: 'thing-big', expected: 0, events: serialiseAppend(events) }),
        ).toBeGreaterThan(CHANNEL.inlineMaxBytes);
        const small = (n: number) => [
          {
            id: randomUUID(),
            type: 'ThingHappened',
            data: { n },
            metadata: { recordedAt: new Date().toISOString() },
          },
        ];
        const results = await Promise.all([
          store.appendToStream('thing-big', small(0), { expectedRevision: 'no_stream' }),
          store.appendToStream('thing-big', events, { expectedRevision: 0 }),
          store.appendToStream('thing-big', small(11), { expectedRevision: 10 }),
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 10, 11]);
        const stored = await store.readStream('thing-big');
        expect(stored.map((e) => e.id)).toEqual([
          expect.any(String),
          ...events.map((e) => e.id),
          expect.any(String),
        ]);
        expect(stored[2]?.data).toEqual({ big });
      } finally {
        await store.close();
      }
    });

    it('appends of one turn beyond the room of the ring, and beyond its outcome slots, wait their turn and land in order', async () => {
      const store = new SqliteEventStore({ path: join(dir, 'events.db') });
      try {
        // About 4 rings' worth of appends of four 80 kB events each, then more single appends than there are
        // outcome slots.
        const text = 'x'.repeat(80_000);
        const large = Array.from({ length: 20 }, (_, i) =>
          store.appendToStream(
            'thing-full',
            Array.from({ length: 4 }, (_, e) => ({
              id: randomUUID(),
              type: 'ThingHappened',
              data: { i, e, text },
              metadata: { recordedAt: new Date().toISOString() },
            })),
            { expectedRevision: i === 0 ? 'no_stream' : 4 * i - 1 },
          ),
        );
        const many = Array.from({ length: CHANNEL.outcomeSlots + 500 }, (_, i) =>
          store.appendToStream(
            `thing-many${i}`,
            [
              {
                id: randomUUID(),
                type: 'ThingHappened',
                data: { i },
                metadata: { recordedAt: new Date().toISOString() },
              },
            ],
            { expectedRevision: 'no_stream' },
          ),
        );
        const done = await Promise.all([...large, ...many]);
        expect(done.slice(0, 20).map((r) => r.nextExpectedRevision)).toEqual(
          Array.from({ length: 20 }, (_, i) => 4 * i + 3),
        );
        const positions = done.map((r) => r.position.commit);
        expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect((await store.readStream('thing-full')).map((e) => [e.data.i, e.data.e])).toEqual(
          Array.from({ length: 80 }, (_, n) => [Math.floor(n / 4), n % 4]),
        );
        expect(await store.readAll({ maxCount: 100_000 })).toHaveLength(80 + CHANNEL.outcomeSlots + 500);
      } finally {
        await store.close();
      }
    });

    it('refuses data that has no JSON (a toJSON giving undefined) with VALIDATION and stores nothing', async () => {
      const store = new SqliteEventStore({ path: join(dir, 'events.db') });
      try {
        const data = { toJSON: () => undefined };
        await expect(
          store.appendToStream(
            'thing-nojson',
            [
              {
                id: randomUUID(),
                type: 'ThingHappened',
                data,
                metadata: { recordedAt: new Date().toISOString() },
              },
            ],
            { expectedRevision: 'no_stream' },
          ),
        ).rejects.toMatchObject({ code: 'VALIDATION', field: 'events[0].data' });
        expect(await store.readStream('thing-nojson')).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
});
