import { randomUUID } from 'node:crypto';
import { ManualClock, OppdragCommandHandler } from '#application';
import { RHF_IDS, type Actor, type CalendarDate, type OppdragCommand } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser } from '#testing';
import { ChartQueries, OppdragProjector, osloStartOfDay, ReadModelStore } from '../src/index.js';

const day = (text: string) => text as CalendarDate;

/** A store and read models with a story told on given days (each command recorded at noon in Oslo). */
async function given(story: ReadonlyArray<[string, OppdragCommand, Actor]>) {
  const store = new SqliteEventStore({ path: ':memory:' });
  const clock = new ManualClock('2024-01-01T11:00:00Z');
  const handler = new OppdragCommandHandler(store, clock);
  for (const [on, command, actor] of story) {
    clock.set(`${on}T11:00:00.000Z`);
    await handler.handle(command, { commandId: randomUUID(), actor });
  }
  const projector = new OppdragProjector(store, new ReadModelStore(':memory:'));
  await projector.start();
  return { store, projector, charts: new ChartQueries(projector, store) };
}

const assign = (oppdragId: string, deadline: string, more: Record<string, unknown> = {}) =>
  assignCommand({ oppdragId, deadline: day(deadline), milestones: [], ...more });

describe('the charts of the dashboard', () => {
  describe('the overdue line, from the history', () => {
    // A: due 10 Feb, reported 20 March. B: due 15 Jan, moved on 5 Feb to 30 April. C: assigned in April
    // with a deadline of 1 March, addressed to all four RHFs with no lead.
    const story: ReadonlyArray<[string, OppdragCommand, Actor]> = [
      ['2024-01-05', assign('2024-a', '2024-02-10'), coordinator],
      ['2024-01-02', assign('2024-b', '2024-01-15', { lead: 'helse-vest' }), coordinator],
      [
        '2024-02-05',
        {
          type: 'ChangeDeadline',
          data: { oppdragId: '2024-b', deadline: day('2024-04-30'), reason: 'Utsatt etter møte' },
        },
        coordinator,
      ],
      [
        '2024-03-20',
        {
          type: 'ReportOppdrag',
          data: { oppdragId: '2024-a', reportedOn: day('2024-03-20'), documentRef: 'r', summary: null },
        },
        rhfUser('helse-midt-norge'),
      ],
      [
        '2024-04-02',
        assign('2024-c', '2024-03-01', { lead: null, addressees: [...RHF_IDS], collaborators: [] }),
        coordinator,
      ],
    ];

    it('counts, at the end of each month, the oppdrag that were overdue as the history stood then', async () => {
      const { store, projector, charts } = await given(story);
      const months = await charts.overdueByMonth(2024, day('2024-05-10'), null);
      expect(months).toEqual([
        { month: '2024-01', on: '2024-01-31', complete: true, count: 1 },
        { month: '2024-02', on: '2024-02-29', complete: true, count: 1 },
        { month: '2024-03', on: '2024-03-31', complete: true, count: 0 },
        { month: '2024-04', on: '2024-04-30', complete: true, count: 1 },
        { month: '2024-05', on: '2024-05-10', complete: false, count: 2 },
      ]);
      await projector.stop();
      await store.close();
    });

    it("counts one RHF's own overdue parts when asked for that RHF", async () => {
      const { store, projector, charts } = await given(story);
      const hmn = await charts.overdueByMonth(2024, day('2024-05-10'), 'helse-midt-norge');
      // A is Helse Midt-Norge's (overdue in February); C is every RHF's (from April).
      expect(hmn.map((m) => m.count)).toEqual([0, 1, 0, 1, 1]);
      const nord = await charts.overdueByMonth(2024, day('2024-05-10'), 'helse-nord');
      expect(nord.map((m) => m.count)).toEqual([0, 0, 0, 1, 1]);
      await expect(charts.overdueByMonth(2024, day('2024-05-10'), 'hod')).rejects.toThrow(
        'rhf: hod is not one of the four RHFs',
      );
      await projector.stop();
      await store.close();
    });

    it('reads a stream again when it has changed, and gives the same answer as a fresh read', async () => {
      const { store, projector, charts } = await given(story);
      await charts.overdueByMonth(2024, day('2024-05-10'), null);
      const handler = new OppdragCommandHandler(store, new ManualClock('2024-05-08T11:00:00Z'));
      const { position } = await handler.handle(
        {
          type: 'ReportOppdrag',
          data: { oppdragId: '2024-b', reportedOn: day('2024-05-08'), documentRef: 'r', summary: null },
        },
        { commandId: randomUUID(), actor: rhfUser('helse-vest') },
      );
      await projector.waitFor(position!, 5000);
      const again = await charts.overdueByMonth(2024, day('2024-05-10'), null);
      expect(again.map((m) => m.count)).toEqual([1, 1, 0, 1, 1]);
      const fresh = await new ChartQueries(projector, store).overdueByMonth(2024, day('2024-05-10'), null);
      expect(fresh).toEqual(again);
      await projector.stop();
      await store.close();
    });

    it('reads a stream recorded out of order (a clock behind) as oppdragAsOf does: cut before its first later event', async () => {
      // 2024-d: due 10 February, deadline moved on 10 March, reported on 12 March.
      const { store, projector, charts } = await given([
        ['2024-01-05', assign('2024-d', '2024-02-10'), coordinator],
        [
          '2024-03-10',
          {
            type: 'ChangeDeadline',
            data: { oppdragId: '2024-d', deadline: day('2024-06-01'), reason: 'Utsatt' },
          },
          coordinator,
        ],
        [
          '2024-03-12',
          {
            type: 'ReportOppdrag',
            data: { oppdragId: '2024-d', reportedOn: day('2024-03-12'), documentRef: 'r', summary: null },
          },
          rhfUser('helse-midt-norge'),
        ],
      ]);
      // 2024-e: the same events, but the report recorded on 1 February by a writer whose clock was behind.
      const copied = (await store.readStream('oppdrag-2024-d')).map((e) => ({
        id: randomUUID(),
        type: e.type,
        data: { ...e.data, oppdragId: '2024-e' },
        metadata: { ...e.metadata, recordedAt: e.revision >= 2 ? '2024-02-01T11:00:00.000Z' : e.recordedAt },
      }));
      const { position } = await store.appendToStream('oppdrag-2024-e', copied, {
        expectedRevision: 'no_stream',
      });
      await projector.waitFor(position, 5000);
      const months = await charts.overdueByMonth(2024, day('2024-04-10'), null);
      // February: both are overdue, since 2024-e's report comes after its deadline change of 10 March in
      // the stream. By the end of March both are reported.
      expect(months.map((m) => m.count)).toEqual([0, 2, 0, 0]);
      await projector.stop();
      await store.close();
    });

    it('lists every month of a year already past, and none of a year to come', async () => {
      const { store, projector, charts } = await given(story);
      const past = await charts.overdueByMonth(2024, day('2025-02-01'), null);
      expect(past).toHaveLength(12);
      expect(past.every((m) => m.complete)).toBe(true);
      await expect(charts.overdueByMonth(2025, day('2024-05-10'), null)).resolves.toEqual([]);
      await projector.stop();
      await store.close();
    });
  });

  describe('the parts per RHF', () => {
    it('puts each part of the year in one of open, reported and overdue on the day', async () => {
      const { store, projector, charts } = await given([
        ['2024-01-05', assign('2024-a', '2024-02-10'), coordinator],
        [
          '2024-01-06',
          assign('2024-c', '2024-09-01', { lead: null, addressees: [...RHF_IDS], collaborators: [] }),
          coordinator,
        ],
        [
          '2024-03-01',
          {
            type: 'ReportOppdrag',
            data: { oppdragId: '2024-c', reportedOn: day('2024-03-01'), documentRef: 'r', summary: null },
          },
          rhfUser('helse-nord'),
        ],
        ['2024-01-07', assign('2023-old', '2023-05-01', { year: 2023 }), coordinator],
      ]);
      const rows = charts.partsByState(day('2024-05-10'), 2024, null);
      expect(rows).toEqual([
        { organisationId: 'helse-sor-ost', open: 1, reported: 0, overdue: 0 },
        { organisationId: 'helse-vest', open: 1, reported: 0, overdue: 0 },
        { organisationId: 'helse-midt-norge', open: 1, reported: 0, overdue: 1 },
        { organisationId: 'helse-nord', open: 0, reported: 1, overdue: 0 },
      ]);
      expect(charts.partsByState(day('2024-05-10'), 2024, 'helse-nord')).toEqual([
        { organisationId: 'helse-nord', open: 0, reported: 1, overdue: 0 },
      ]);
      await projector.stop();
      await store.close();
    });
  });

  it('knows where a day begins in Oslo, in winter and in summer time', () => {
    expect(new Date(osloStartOfDay(day('2024-01-15'))).toISOString()).toBe('2024-01-14T23:00:00.000Z');
    expect(new Date(osloStartOfDay(day('2024-07-01'))).toISOString()).toBe('2024-06-30T22:00:00.000Z');
    expect(new Date(osloStartOfDay(day('2024-03-31'))).toISOString()).toBe('2024-03-30T23:00:00.000Z');
  });
});
