import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '#event-store';
import { OppdragProjector, OppdragQueries, ReadModelStore } from '#projections';
import { assignCommand, coordinator, rhfUser } from '#testing';
import type { CalendarDate } from '#domain';
import { DeadlineWatcher, ManualClock, OppdragCommandHandler } from '../src/index.js';

/** One API instance: its own handler, read models and watcher, sharing the event store file. */
async function instance(store: SqliteEventStore, clock: ManualClock) {
  const handler = new OppdragCommandHandler(store, clock);
  const projector = new OppdragProjector(store, new ReadModelStore(':memory:'));
  await projector.start();
  const watcher = new DeadlineWatcher(handler, new OppdragQueries(projector), clock);
  return { handler, projector, watcher };
}

describe('the deadline watcher records passed deadlines and due milestones as events', () => {
  let store: SqliteEventStore;
  let clock: ManualClock;
  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
    clock = new ManualClock('2024-05-01T10:00:00.000Z');
  });
  afterEach(() => store.close());

  const types = async () => (await store.readStream('oppdrag-2024-hmn-01')).map((e) => e.type);

  it('records nothing before the day passes, then DeadlinePassed and MilestoneDue once when it has', async () => {
    const a = await instance(store, clock);
    const assigned = await a.handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    await a.projector.waitFor(assigned.position!);
    expect(await a.watcher.runOnce()).toEqual({ recorded: 0, alreadyRecorded: 0, failed: 0 });

    clock.set('2024-06-01T21:59:59.000Z'); // still 1 June in Oslo: the milestone is due today, not passed
    expect((await a.watcher.runOnce()).recorded).toBe(0);
    clock.set('2024-06-01T22:00:00.000Z'); // 2 June in Oslo
    expect((await a.watcher.runOnce()).recorded).toBe(1);
    expect(await types()).toEqual(['OppdragAssigned', 'MilestoneDue']);

    clock.set('2024-10-02T08:00:00.000Z');
    await a.projector.waitFor((await store.headPosition())!);
    expect((await a.watcher.runOnce()).recorded).toBe(1);
    await a.projector.waitFor((await store.headPosition())!);
    expect(await a.watcher.runOnce()).toEqual({ recorded: 0, alreadyRecorded: 0, failed: 0 });
    const events = await store.readStream('oppdrag-2024-hmn-01');
    expect(events.map((e) => e.type)).toEqual(['OppdragAssigned', 'MilestoneDue', 'DeadlinePassed']);
    expect(events[2]?.data).toMatchObject({ deadline: '2024-10-01', passedOn: '2024-10-02' });
    await a.projector.stop();
  });

  it('with two instances racing on the same store, each fact is recorded exactly once', async () => {
    const a = await instance(store, clock);
    const b = await instance(store, clock);
    for (let i = 0; i < 20; i++) {
      await a.handler.handle(assignCommand({ oppdragId: `2024-x-${i}` }), {
        commandId: randomUUID(),
        actor: coordinator,
      });
    }
    const head = (await store.headPosition())!;
    await Promise.all([a.projector.waitFor(head), b.projector.waitFor(head)]);
    clock.set('2024-11-01T08:00:00.000Z');
    const [ra, rb] = await Promise.all([a.watcher.runOnce(), b.watcher.runOnce()]);
    expect(ra.failed + rb.failed).toBe(0);
    // Both may believe they recorded a fact (the store answers an identical append as if it were new),
    // but the store holds each fact once: that is the guarantee.
    expect(ra.recorded + rb.recorded).toBeGreaterThanOrEqual(40);
    const all = await store.readAll({ maxCount: 1000 });
    expect(all.filter((e) => e.type === 'DeadlinePassed')).toHaveLength(20);
    expect(all.filter((e) => e.type === 'MilestoneDue')).toHaveLength(20);
    await Promise.all([a.projector.stop(), b.projector.stop()]);
  });

  it('after a restart (stale read models) it records nothing twice', async () => {
    const a = await instance(store, clock);
    await a.handler.handle(assignCommand(), { commandId: randomUUID(), actor: coordinator });
    clock.set('2024-11-01T08:00:00.000Z');
    await a.projector.waitFor((await store.headPosition())!);
    expect((await a.watcher.runOnce()).recorded).toBe(2);
    await a.projector.stop();
    // A restarted instance whose read models have not yet seen the recorded facts still writes nothing.
    clock.set('2024-11-02T08:00:00.000Z');
    const stale = new DeadlineWatcher(
      new OppdragCommandHandler(store, clock),
      new OppdragQueries(a.projector),
      clock,
    );
    const outcome = await stale.runOnce();
    expect(outcome.recorded).toBe(0);
    expect((await store.readAll({ maxCount: 100 })).map((e) => e.type)).toEqual([
      'OppdragAssigned',
      'DeadlinePassed',
      'MilestoneDue',
    ]);
  });

  it('a deadline moved to another past date the day its passing was recorded is recorded again that day', async () => {
    const a = await instance(store, clock);
    await a.handler.handle(assignCommand({ milestones: [] }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    clock.set('2024-11-01T08:00:00.000Z');
    await a.projector.waitFor((await store.headPosition())!);
    expect((await a.watcher.runOnce()).recorded).toBe(1);
    await a.handler.handle(
      {
        type: 'ChangeDeadline',
        data: {
          oppdragId: '2024-hmn-01',
          deadline: '2024-10-15' as CalendarDate,
          reason: 'Feil dato i brevet',
        },
      },
      { commandId: randomUUID(), actor: coordinator },
    );
    await a.projector.waitFor((await store.headPosition())!);
    expect(await a.watcher.runOnce()).toEqual({ recorded: 1, alreadyRecorded: 0, failed: 0 });
    const passed = (await store.readStream('oppdrag-2024-hmn-01')).filter((e) => e.type === 'DeadlinePassed');
    expect(passed.map((e) => e.data)).toEqual([
      expect.objectContaining({ deadline: '2024-10-01', passedOn: '2024-10-02' }),
      expect.objectContaining({ deadline: '2024-10-15', passedOn: '2024-10-16' }),
    ]);
    await a.projector.stop();
  });

  it('an oppdrag reopened after its deadline the day its passing was recorded is recorded as overdue again', async () => {
    const a = await instance(store, clock);
    const lead = rhfUser('helse-midt-norge');
    await a.handler.handle(assignCommand({ milestones: [] }), {
      commandId: randomUUID(),
      actor: coordinator,
    });
    clock.set('2024-11-01T08:00:00.000Z');
    await a.projector.waitFor((await store.headPosition())!);
    expect((await a.watcher.runOnce()).recorded).toBe(1);
    for (const command of [
      { type: 'StartOppdrag', data: { oppdragId: '2024-hmn-01', startedOn: '2024-02-01' as CalendarDate } },
      {
        type: 'ReportOppdrag',
        data: {
          oppdragId: '2024-hmn-01',
          reportedOn: '2024-11-01' as CalendarDate,
          documentRef: 'Årlig melding 2024',
          summary: null,
        },
      },
      { type: 'ReopenOppdrag', data: { oppdragId: '2024-hmn-01', reason: 'Rapporten manglet vedlegg' } },
    ] as const) {
      await a.handler.handle(command, {
        commandId: randomUUID(),
        actor: command.type === 'ReopenOppdrag' ? coordinator : lead,
      });
    }
    await a.projector.waitFor((await store.headPosition())!);
    expect(await a.watcher.runOnce()).toEqual({ recorded: 1, alreadyRecorded: 0, failed: 0 });
    const passed = (await store.readStream('oppdrag-2024-hmn-01')).filter((e) => e.type === 'DeadlinePassed');
    expect(passed.map((e) => e.data)).toEqual([
      expect.objectContaining({ deadline: '2024-10-01', passedOn: '2024-10-02' }),
      expect.objectContaining({ deadline: '2024-10-01', passedOn: '2024-11-01' }),
    ]);
    await a.projector.stop();
  });
});
