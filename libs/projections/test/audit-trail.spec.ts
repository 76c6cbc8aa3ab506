import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock, OppdragCommandHandler } from '#application';
import type { CalendarDate } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser } from '#testing';
import { AuditTrail, OppdragProjector, ReadModelStore } from '../src/index.js';

describe('the audit trail', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-audit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function history() {
    const store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-02-01T09:00:00Z'));
    const lead = rhfUser('helse-midt-norge');
    await handler.handle(assignCommand(), {
      commandId: '00000000-0000-4000-8000-000000000001',
      actor: coordinator,
    });
    await handler.handle(assignCommand({ oppdragId: '2024-hmn-02' }), {
      commandId: '00000000-0000-4000-8000-000000000002',
      actor: coordinator,
    });
    await handler.handle(
      { type: 'StartOppdrag', data: { oppdragId: '2024-hmn-01', startedOn: '2024-02-01' as CalendarDate } },
      { commandId: '00000000-0000-4000-8000-000000000003', actor: lead, correlationId: 'corr-1' },
    );
    return { store, lead };
  }

  it('gives each entry as the event store holds it: metadata and data, in position order', async () => {
    const { store, lead } = await history();
    const readModels = new ReadModelStore(join(dir, 'rm.db'));
    const projector = new OppdragProjector(store, readModels);
    await projector.start();
    const trail = new AuditTrail(store, readModels);

    const all = await trail.query({ limit: 10 });
    expect(all.map((e) => `${e.oppdragId}:${e.type}`)).toEqual([
      '2024-hmn-01:OppdragAssigned',
      '2024-hmn-02:OppdragAssigned',
      '2024-hmn-01:OppdragStarted',
    ]);
    const stored = await store.readStream('oppdrag-2024-hmn-01');
    const started = all[2]!;
    expect(started).toEqual({
      position: stored[1]!.position.commit.toString(),
      oppdragId: '2024-hmn-01',
      revision: 1,
      eventId: stored[1]!.id,
      type: 'OppdragStarted',
      recordedAt: stored[1]!.recordedAt,
      actorUserId: lead.userId,
      actorName: lead.name,
      actorRole: 'rhf',
      actorOrganisation: 'helse-midt-norge',
      commandId: '00000000-0000-4000-8000-000000000003',
      correlationId: 'corr-1',
      data: JSON.stringify({ oppdragId: '2024-hmn-01', part: 'helse-midt-norge', startedOn: '2024-02-01' }),
    });

    // Filters run on the index; the page after a cursor continues in order.
    expect((await trail.query({ limit: 10, organisationId: 'helse-midt-norge' })).map((e) => e.type)).toEqual(
      ['OppdragStarted'],
    );
    expect(
      (await trail.query({ limit: 10, oppdragId: '2024-hmn-02' })).map((e) => `${e.oppdragId}:${e.revision}`),
    ).toEqual(['2024-hmn-02:0']);
    const first = await trail.query({ limit: 1 });
    expect(
      (await trail.query({ limit: 5, afterPosition: first[0]!.position })).map((e) => e.oppdragId),
    ).toEqual(['2024-hmn-02', '2024-hmn-01']);

    await projector.stop();
    readModels.close();
    await store.close();
  });

  it('refuses to hand out an entry whose event the store does not hold', async () => {
    const { store } = await history();
    const readModels = new ReadModelStore(join(dir, 'rm.db'));
    const projector = new OppdragProjector(store, readModels);
    await projector.start();
    await projector.stop();
    readModels.close();
    // An index row that points at a position the store gives to another event.
    const db = new Database(join(dir, 'rm.db'));
    db.prepare('UPDATE audit_log SET position = 999 WHERE revision = 1').run();
    db.close();
    const reopened = new ReadModelStore(join(dir, 'rm.db'));
    await expect(new AuditTrail(store, reopened).query({ limit: 10 })).rejects.toThrow(
      /position 999 \(2024-hmn-01 revision 1\) is not in the event store/,
    );
    reopened.close();
    await store.close();
  });

  it('a read-model file of an older layout is emptied and rebuilt from the events', async () => {
    const { store } = await history();
    const path = join(dir, 'rm.db');
    // The layout before the audit index: the whole entry copied into audit_log, and no layout version.
    const old = new Database(path);
    old.exec(`
      CREATE TABLE oppdrag_view (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE checkpoint (name TEXT PRIMARY KEY, position TEXT NOT NULL);
      CREATE TABLE audit_log (position INTEGER PRIMARY KEY, oppdrag_id TEXT NOT NULL, revision INTEGER NOT NULL,
        event_id TEXT NOT NULL, type TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_user TEXT NOT NULL,
        actor_name TEXT NOT NULL, actor_role TEXT NOT NULL, actor_org TEXT NOT NULL, command_id TEXT NOT NULL,
        correlation_id TEXT NOT NULL, data TEXT NOT NULL);
      INSERT INTO checkpoint VALUES ('oppdrag', '3/3');
    `);
    old.close();
    const readModels = new ReadModelStore(path);
    expect(readModels.checkpoint()).toBeNull();
    const projector = new OppdragProjector(store, readModels);
    await projector.start();
    expect(projector.summaries.size).toBe(2);
    expect(await new AuditTrail(store, readModels).query({ limit: 10 })).toHaveLength(3);
    await projector.stop();
    readModels.close();
    // A new file, with the page size of the current layout.
    const reopened = new Database(path, { readonly: true });
    expect(reopened.pragma('page_size', { simple: true })).toBe(16384);
    expect(reopened.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    reopened.close();
    await store.close();
  });
});
