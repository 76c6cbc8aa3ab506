import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, reusedIdsMessage, type EventToAppend } from '../src/index.js';

const event = (recordedAt = new Date().toISOString(), id = randomUUID()): EventToAppend => ({
  id,
  type: 'ThingHappened',
  data: { id },
  metadata: { recordedAt, commandId: id, actor: { userId: 'u1' } },
});

describe('embedded store: appends that share one commit', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-append-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an append whose third event id its stream holds, writing none of it, while the others land', async () => {
    const taken = event();
    await store.appendToStream('thing-refused', [taken], { expectedRevision: 'no_stream' });
    // Appended in one turn of the event loop: one group, one commit.
    const [before, refused, after] = await Promise.allSettled([
      store.appendToStream('thing-before', [event(), event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('thing-refused', [event(), event(), { ...event(), id: taken.id }], {
        expectedRevision: 0,
      }),
      store.appendToStream('thing-after', [event()], { expectedRevision: 'no_stream' }),
    ]);
    expect(before).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
    expect(refused).toMatchObject({
      status: 'rejected',
      reason: {
        code: 'VALIDATION',
        field: 'events.id',
        message: `events.id: ${reusedIdsMessage('thing-refused')}`,
      },
    });
    expect(after).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
    expect((await store.readStream('thing-refused')).map((e) => e.id)).toEqual([taken.id]);
    expect(await store.readStream('thing-before')).toHaveLength(2);
    // The refused append can be made again with fresh ids.
    await expect(
      store.appendToStream('thing-refused', [event()], { expectedRevision: 0 }),
    ).resolves.toMatchObject({ nextExpectedRevision: 1 });
  });

  it('of two appends to one stream in one commit carrying the same event id, the first lands and the second is refused whole', async () => {
    const shared = event();
    const [first, second, elsewhere] = await Promise.allSettled([
      store.appendToStream('thing-one', [shared], { expectedRevision: 'no_stream' }),
      store.appendToStream('thing-one', [event(), shared], { expectedRevision: 0 }),
      store.appendToStream('thing-two', [event(), shared], { expectedRevision: 'no_stream' }),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'VALIDATION', field: 'events.id' } });
    expect(await store.readStream('thing-one')).toHaveLength(1);
    // Ids are unique within a stream: in another stream the same id is another event.
    expect(elsewhere).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
  });

  it('numbers the events of appends of every size, small and large, one after the other', async () => {
    let revision = -1;
    for (const size of [1, 2, 64, 65, 300, 3]) {
      const result = await store.appendToStream(
        'thing-sizes',
        Array.from({ length: size }, () => event()),
        { expectedRevision: revision < 0 ? 'no_stream' : revision },
      );
      revision += size;
      expect(result.nextExpectedRevision).toBe(revision);
    }
    const stored = await store.readStream('thing-sizes');
    expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: revision + 1 }, (_, i) => i));
    const head = await store.headPosition();
    expect(stored[stored.length - 1]?.position).toEqual(head);
  });

  it('stores each instant in normal form, in the row and in the metadata, other metadata as given', async () => {
    const cases: Array<[string, string]> = [
      ['2024-03-01T07:00:00.000Z', '2024-03-01T07:00:00.000Z'],
      ['2024-02-28T23:59:59.999Z', '2024-02-28T23:59:59.999Z'],
      ['2024-02-30T10:00:00.000Z', '2024-03-01T10:00:00.000Z'],
      ['2023-04-31T10:00:00.000Z', '2023-05-01T10:00:00.000Z'],
      ['2024-03-01T24:00:00.000Z', '2024-03-02T00:00:00.000Z'],
      ['2024-03-01T08:00:00+01:00', '2024-03-01T07:00:00.000Z'],
      ['2024-03-01T08:00:00Z', '2024-03-01T08:00:00.000Z'],
      ['2024-03-01T08:00Z', '2024-03-01T08:00:00.000Z'],
    ];
    for (const [given, normal] of cases) {
      const stream = `thing-${randomUUID().slice(0, 8)}`;
      const appended = event(given);
      await store.appendToStream(stream, [appended], { expectedRevision: 'no_stream' });
      const [stored] = await store.readStream(stream);
      expect(stored?.recordedAt).toBe(normal);
      expect(stored?.metadata).toEqual({ ...appended.metadata, recordedAt: normal });
      expect(Object.keys(stored?.metadata ?? {})).toEqual(['recordedAt', 'commandId', 'actor']);
    }
  });

  it('judges each append by the stream as stored, after another store on the file wrote to it', async () => {
    // The writer keeps the heads of the streams it wrote; another connection's commit must void them.
    const other = new SqliteEventStore({ path: join(dir, 'events.db') });
    try {
      await store.appendToStream('thing-shared', [event()], { expectedRevision: 'no_stream' });
      await other.appendToStream('thing-shared', [event()], { expectedRevision: 0 });
      await expect(
        store.appendToStream('thing-shared', [event()], { expectedRevision: 0 }),
      ).rejects.toMatchObject({ code: 'CONFLICT', actual: 1 });
      await other.appendToStream('thing-shared', [event()], { expectedRevision: 1 });
      await expect(
        store.appendToStream('thing-shared', [event()], { expectedRevision: 'any' }),
      ).resolves.toMatchObject({ nextExpectedRevision: 3 });
      await expect(
        store.appendToStream('thing-shared', [event()], { expectedRevision: 3 }),
      ).resolves.toMatchObject({ nextExpectedRevision: 4 });
      expect((await store.readStream('thing-shared')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await other.close();
    }
  });

  it('refuses an instant with a month, hour, minute or second out of range, and stores nothing', async () => {
    for (const instant of [
      '2024-13-01T10:00:00.000Z',
      '2024-00-01T10:00:00.000Z',
      '2024-03-00T10:00:00.000Z',
      '2024-03-01T25:00:00.000Z',
      '2024-03-01T10:60:00.000Z',
      '2024-03-01T10:00:60.000Z',
    ]) {
      await expect(
        store.appendToStream('thing-instant', [event(instant)], { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({ code: 'VALIDATION', field: 'events[0].metadata.recordedAt' });
    }
    expect(await store.readStream('thing-instant')).toEqual([]);
  });
});

describe('embedded store: a file made when event ids were unique in the whole store', () => {
  it('is opened with ids unique per stream: the old index is replaced, the events kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-ids-'));
    const path = join(dir, 'events.db');
    try {
      const shared = event();
      const old = new SqliteEventStore({ path });
      await old.appendToStream('thing-one', [shared], { expectedRevision: 'no_stream' });
      await old.close();
      // Put the file back as it was made before: one unique index on the event id alone.
      const raw = new Database(path);
      raw.exec(
        'DROP INDEX events_stream_event_id; CREATE UNIQUE INDEX events_event_id ON events (event_id);',
      );
      raw.close();

      const store = new SqliteEventStore({ path });
      try {
        await expect(
          store.appendToStream('thing-two', [shared], { expectedRevision: 'no_stream' }),
        ).resolves.toMatchObject({ nextExpectedRevision: 0 });
        await expect(
          store.appendToStream('thing-one', [shared], { expectedRevision: 0 }),
        ).resolves.toMatchObject({ nextExpectedRevision: 0 });
        expect(await store.readStream('thing-one')).toHaveLength(1);
      } finally {
        await store.close();
      }
      const check = new Database(path, { readonly: true });
      const indexes = check
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'",
        )
        .all()
        .map((row) => row.name);
      check.close();
      expect(indexes).toContain('events_stream_event_id');
      expect(indexes).not.toContain('events_event_id');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
