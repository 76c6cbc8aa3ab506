import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/index.js';
import {
  decodeGroup,
  decodeOutcome,
  encodeGroup,
  encodeOutcomes,
  type WriteOutcome,
  type WriteRequest,
} from '../src/sqlite-writer.js';
import { serialiseAppend } from '../src/validation.js';

/** Text that JSON keeps as it is or escapes: control characters, the separator, quotes, emoji, Norwegian. */
const AWKWARD = 'a\u0001b\u0000c\u001fd\n"e"\\f 😀 æøå \u2028 \ud800';

describe('embedded store: what goes to and comes from the writer thread', () => {
  it('a group packed into one string comes out as the same appends, whatever the payloads hold', () => {
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
        expected: 41,
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
    expect(decodeGroup(encodeGroup(group))).toEqual(group);
  });

  it('outcomes packed as numbers come out as the same outcomes', () => {
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
    const packed = encodeOutcomes(outcomes);
    expect(outcomes.map((_, i) => decodeOutcome(packed, i))).toEqual(outcomes);
    expect(decodeOutcome(packed, outcomes.length)).toBeUndefined();
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
