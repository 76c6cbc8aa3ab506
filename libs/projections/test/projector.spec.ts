import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, OppdragCommandHandler, toStoredOppdragEvent } from '#application';
import type { CalendarDate } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser } from '#testing';
import {
  applyToView,
  nextDueDate,
  OppdragProjector,
  OppdragQueries,
  ReadModelStore,
  type OppdragView,
} from '../src/index.js';
import { randomHistory } from './support/random-history.js';

describe('the oppdrag view', () => {
  it('given an assignment and a report, when the same event is applied twice, then the second changes nothing', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    await handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await handler.handle(
      {
        type: 'ReportOppdrag',
        data: {
          oppdragId: '2024-hmn-01',
          reportedOn: '2024-04-30' as CalendarDate,
          documentRef: 'sak 1',
          summary: null,
        },
      },
      { commandId: randomUUID(), actor: rhfUser('helse-midt-norge') },
    );
    const events = (await store.readStream('oppdrag-2024-hmn-01')).map(toStoredOppdragEvent);
    let view: OppdragView | undefined;
    for (const e of events) view = applyToView(view, e);
    expect(view?.oppdrag.status).toBe('reported');
    expect(view?.revision).toBe(2);
    const again = applyToView(view, events[1]!);
    expect(again).toBe(view);
    const againLast = applyToView(view, events[2]!);
    expect(againLast).toBe(view);
    expect(view?.lastChange).toMatchObject({
      type: 'OppdragReported',
      actorOrganisation: 'helse-midt-norge',
    });
    await store.close();
  });
});

describe('the projector', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-proj-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a rebuild from zero after a run of random commands gives the live read models, field by field', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 10 });
    const live = new OppdragProjector(store, new ReadModelStore(join(dir, 'live.db')));
    await live.start();
    const accepted = await randomHistory(store, { seed: 42, steps: 600, oppdrag: 25 });
    expect(accepted).toBeGreaterThan(100);
    await live.waitFor((await store.headPosition())!);
    await live.stop();

    // Written every 37 events, and only 1 view kept in memory: most events then apply to a view
    // read back from the file, as in a long replay.
    const rebuiltModels = new ReadModelStore(join(dir, 'rebuilt.db'));
    const rebuilt = new OppdragProjector(store, rebuiltModels, {
      batchSize: 10,
      flushEveryEvents: 37,
      cachedViews: 1,
      byStream: false,
    });
    await rebuilt.start();
    expect(rebuilt.summaries.size).toBe(live.summaries.size);
    for (const view of live.allViews()) expect(rebuilt.view(view.oppdrag.id)).toEqual(view);
    for (const [id, summary] of live.summaries) expect(rebuilt.summaries.get(id)).toEqual(summary);

    // A replay from zero stream by stream (what a cold start does) writes the same read models as one in
    // global order: views, summaries, search texts, audit index and checkpoint, as written to the file.
    const byStreamModels = new ReadModelStore(join(dir, 'by-stream.db'));
    const byStream = new OppdragProjector(store, byStreamModels, { batchSize: 7 });
    let replayedChanges = 0;
    byStream.onChange((change) => (replayedChanges += change.replaying ? 1 : 0));
    await byStream.start();
    await Promise.all([rebuilt.stop(), byStream.stop()]);
    expect(replayedChanges).toBe(rebuiltModels.audit({ limit: 100_000 }).length);
    expect(byStreamModels.checkpoint()).toBe(rebuiltModels.checkpoint());
    expect(byStreamModels.audit({ limit: 100_000 })).toEqual(rebuiltModels.audit({ limit: 100_000 }));
    expect(byStreamModels.loadSearchTexts()).toEqual(rebuiltModels.loadSearchTexts());
    const byId = <T extends { id: string }>(items: T[]): T[] =>
      items.sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(byStreamModels.loadSummaries())).toEqual(byId(rebuiltModels.loadSummaries()));
    const views = (models: ReadModelStore): OppdragView[] =>
      [...models.allViews()].sort((a, b) => a.oppdrag.id.localeCompare(b.oppdrag.id));
    expect(views(byStreamModels)).toEqual(views(rebuiltModels));
    expect(views(byStreamModels)).toEqual([...live.allViews()]);
    byStreamModels.close();

    // The rebuild command itself: forget everything and replay, on the live projector's own store.
    await live.rebuild();
    for (const view of rebuilt.allViews()) expect(live.view(view.oppdrag.id)).toEqual(view);
    await Promise.all([live.stop(), rebuilt.stop()]);

    // A restart resumes from the stored checkpoint with identical views.
    const restarted = new OppdragProjector(store, new ReadModelStore(join(dir, 'live.db')));
    await restarted.start();
    // Its summaries are read from the file, its views read on demand: both as the replay made them.
    expect(restarted.summaries.size).toBe(rebuilt.summaries.size);
    for (const [id, summary] of rebuilt.summaries) expect(restarted.summaries.get(id)).toEqual(summary);
    for (const view of rebuilt.allViews()) expect(restarted.view(view.oppdrag.id)).toEqual(view);
    await restarted.stop();
    await store.close();
  });

  it('answers filtered, paginated, bounded queries over the views', async () => {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'));
    await projector.start();
    for (let i = 0; i < 30; i++) {
      await handler.handle(
        assignCommand({
          oppdragId: `2024-q-${String(i).padStart(2, '0')}`,
          lead: i % 2 === 0 ? 'helse-vest' : 'helse-nord',
          deadline: (i < 10 ? '2024-03-01' : '2024-12-01') as CalendarDate,
          title:
            i === 7
              ? 'Kunstig intelligens i sjukehus'
              : i === 8
                ? 'Samarbeid i Helse Sør-Øst'
                : `Oppdrag ${i}`,
        }),
        { commandId: randomUUID(), actor: coordinator },
      );
    }
    await projector.waitFor((await store.headPosition())!);
    const q = new OppdragQueries(projector);
    const today = '2024-05-01' as CalendarDate;
    expect(q.filter({ lead: 'helse-vest' }, today)).toHaveLength(15);
    expect(q.filter({ overdueOn: today }, today)).toHaveLength(10);
    expect(q.filter({ text: 'SJUKEHUS' }, today).map((s) => s.id)).toEqual(['2024-q-07']);
    expect(q.filter({ text: 'intelligens i SJUKEHUS' }, today)).toHaveLength(1);
    expect(q.filter({ text: 'sor-ost' }, today).map((s) => s.id)).toEqual(['2024-q-08']);
    expect(q.filter({ text: 'SØR-ØST' }, today).map((s) => s.id)).toEqual(['2024-q-08']);
    const page1 = q.list({}, today, 12, null);
    const page2 = q.list({}, today, 12, page1.endCursor);
    const page3 = q.list({}, today, 12, page2.endCursor);
    expect([page1.items.length, page2.items.length, page3.items.length]).toEqual([12, 12, 6]);
    expect(page3.hasNextPage).toBe(false);
    expect(new Set([...page1.items, ...page2.items, ...page3.items].map((v) => v.oppdrag.id)).size).toBe(30);
    expect(q.list({}, today, 10_000, null).items).toHaveLength(30);
    expect(q.list({}, today, 0, null).items).toHaveLength(1);
    expect(() => q.list({}, today, 5, 'bm90LWEtY3Vyc29y')).toThrow(/cursor/);
    const workload = q.workload(today, null);
    expect(workload.find((w) => w.organisationId === 'helse-vest')).toMatchObject({
      leads: 15,
      open: 15,
      overdue: 5,
    });
    await projector.stop();
    await store.close();
  });
});

describe('the projector and events it cannot read', () => {
  it('records a problem for an unknown event type in an oppdrag stream and goes on with the rest', async () => {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    await handler.handle(assignCommand({ oppdragId: '2024-a' }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    await store.appendToStream(
      'oppdrag-2024-a',
      [
        {
          id: randomUUID(),
          type: 'SomethingNobodyKnows',
          data: { oppdragId: '2024-a' },
          metadata: { recordedAt: '2024-05-01T10:00:00Z' },
        },
      ],
      { expectedRevision: 0 },
    );
    await handler.handle(assignCommand({ oppdragId: '2024-b' }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    const problems: string[] = [];
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'), {
      onProblem: (m) => problems.push(m),
    });
    await projector.start();
    expect(projector.summaries.has('2024-a')).toBe(true);
    expect(projector.summaries.has('2024-b')).toBe(true);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/SomethingNobodyKnows.*unknown event type/);
    expect(projector.problemLog()).toEqual(problems);
    await projector.stop();
    await store.close();
  });
});

describe('the projector catching up', () => {
  it('lets the event loop run between full batches, so that other work runs before it has caught up', async () => {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    for (let i = 0; i < 40; i++) {
      await handler.handle(assignCommand({ oppdragId: `2024-c-${i}` }), {
        commandId: randomUUID(),
        actor: coordinator,
      });
    }
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'), { batchSize: 5 });
    let seenAt: bigint | null = null;
    setImmediate(() => (seenAt = projector.position()?.commit ?? 0n));
    await projector.start();
    // The callback ran while the projector was part of the way through the 40 events.
    expect(seenAt).not.toBeNull();
    expect(seenAt!).toBeLessThan(40n);
    expect(projector.position()?.commit).toBe(40n);
    expect(projector.summaries.size).toBe(40);
    await projector.stop();
    await store.close();
  });
});

describe('the projector once live', () => {
  /** A projector caught up on an empty store, and a second connection to its read-model file. */
  async function liveProjector(liveFlushMs: number) {
    const dir = mkdtempSync(join(tmpdir(), 'oppdragsflyt-live-'));
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
    const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-01T10:00:00Z'));
    const path = join(dir, 'rm.db');
    const readModels = new ReadModelStore(path);
    const projector = new OppdragProjector(store, readModels, { liveFlushMs });
    const other = new ReadModelStore(path);
    await projector.start();
    return {
      other,
      /** Assigns an oppdrag, waits until the projector has applied it and gives its position as stored. */
      assign: async (oppdragId: string): Promise<string> => {
        const result = await handler.handle(assignCommand({ oppdragId }), {
          commandId: randomUUID(),
          actor: coordinator,
        });
        await projector.waitFor(result.position!);
        return `${result.position!.commit}/${result.position!.prepare}`;
      },
      close: async (): Promise<void> => {
        other.close();
        await projector.stop();
        readModels.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('writes views and checkpoint after a live batch once the interval has passed, not only at stop', async () => {
    const live = await liveProjector(0);
    try {
      expect(live.other.checkpoint()).toBeNull();
      const position = await live.assign('2024-live');
      // Another connection sees the committed view, summary and checkpoint while the projector runs on.
      expect(live.other.checkpoint()).toBe(position);
      expect(live.other.loadView('2024-live')?.revision).toBe(0);
      expect(live.other.loadSummaries().map((s) => s.id)).toEqual(['2024-live']);
    } finally {
      await live.close();
    }
  });

  it('writes the last live changes when the interval has passed even if no further batch comes', async () => {
    const live = await liveProjector(1000);
    try {
      await live.assign('2024-idle-a');
      const last = await live.assign('2024-idle-b');
      // Right after the second change the interval has not passed since the last write: not yet written.
      expect(live.other.checkpoint()).not.toBe(last);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(live.other.checkpoint()).toBe(last);
      expect(live.other.loadView('2024-idle-b')?.revision).toBe(0);
    } finally {
      await live.close();
    }
  });
});

describe('the next due date of a view', () => {
  const viewWith = (
    status: 'assigned' | 'reported' | 'closed',
    milestones: Array<{ title: string; dueDate: string; reportedOn: string | null }>,
  ): OppdragView =>
    ({
      oppdrag: {
        status,
        year: 2024,
        deadline: '2024-05-01',
        milestones: milestones.map((m, i) => ({ id: `m${i}`, kind: 'statusrapport', ...m })),
      },
    }) as unknown as OppdragView;

  it('is the earliest unreported milestone or the deadline; on the same day the first milestone listed wins', () => {
    expect(
      nextDueDate(
        viewWith('assigned', [
          { title: 'A', dueDate: '2024-05-01', reportedOn: null },
          { title: 'B', dueDate: '2024-05-01', reportedOn: null },
          { title: 'C', dueDate: '2024-04-01', reportedOn: '2024-03-30' },
        ]),
      ),
    ).toEqual({ date: '2024-05-01', what: 'A' });
    expect(
      nextDueDate(viewWith('assigned', [{ title: 'B', dueDate: '2024-04-20', reportedOn: null }])),
    ).toEqual({
      date: '2024-04-20',
      what: 'B',
    });
    expect(nextDueDate(viewWith('assigned', []))).toEqual({ date: '2024-05-01', what: 'frist' });
    // Reported: only milestones still count; closed: nothing is due.
    expect(nextDueDate(viewWith('reported', []))).toBeNull();
    expect(
      nextDueDate(viewWith('reported', [{ title: 'D', dueDate: '2024-06-01', reportedOn: null }])),
    ).toEqual({
      date: '2024-06-01',
      what: 'D',
    });
    expect(
      nextDueDate(viewWith('closed', [{ title: 'E', dueDate: '2024-06-01', reportedOn: null }])),
    ).toBeNull();
  });
});
