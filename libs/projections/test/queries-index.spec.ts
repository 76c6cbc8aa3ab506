import { randomUUID } from 'node:crypto';
import { ManualClock, OppdragCommandHandler } from '#application';
import type { Actor, CalendarDate, OppdragCommand, OppdragStatus } from '#domain';
import { SqliteEventStore } from '#event-store';
import { assignCommand, coordinator, rhfUser, seededRandom } from '#testing';
import {
  OppdragProjector,
  OppdragQueries,
  ReadModelStore,
  SummaryMap,
  viewsInMemory,
  type OppdragFilter,
  type OppdragView,
} from '../src/index.js';

const RHFS = ['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord'];
const STATUSES: OppdragStatus[] = ['assigned', 'started', 'reported', 'closed'];
const ids = (views: readonly OppdragView[]): string[] => views.map((v) => `${v.oppdrag.id}@${v.revision}`);

describe('the indexed queries', () => {
  it('answer exactly as a scan of the views, before and after the views change', async () => {
    const store = new SqliteEventStore({ path: ':memory:', pollIntervalMs: 5 });
    const clock = new ManualClock('2023-01-10T09:00:00Z');
    const handler = new OppdragCommandHandler(store, clock);
    const projector = new OppdragProjector(store, new ReadModelStore(':memory:'));
    await projector.start();
    expect(projector.summaries).toBeInstanceOf(SummaryMap);
    const indexed = new OppdragQueries(projector);
    const { next: random, pick } = seededRandom(7);
    const oppdragIds = Array.from({ length: 60 }, (_, i) => `2023-x-${String(i).padStart(2, '0')}`);
    const leads = new Map<string, string | null>();

    const step = async (): Promise<void> => {
      clock.advance(Math.floor(random() * 20 * 86_400_000));
      const today = clock.now().slice(0, 10) as CalendarDate;
      const id = pick(oppdragIds);
      const lead = leads.has(id) ? (leads.get(id) as string | null) : pick([...RHFS, null]);
      const asLead = rhfUser(lead ?? 'helse-vest');
      const commands: Array<[OppdragCommand, Actor]> = [
        [
          assignCommand({
            oppdragId: id,
            lead,
            collaborators: [],
            year: pick([2023, 2024]),
            deadline: pick(['2023-06-01', '2023-12-31', '2024-03-01', null]) as CalendarDate | null,
            hovedmal: pick([
              { number: 1, title: 'Én' },
              { number: 2, title: 'To' },
            ]),
          }),
          coordinator,
        ],
        [{ type: 'StartOppdrag', data: { oppdragId: id, startedOn: today } }, asLead],
        [
          {
            type: 'ReportOppdrag',
            data: { oppdragId: id, reportedOn: today, documentRef: 'r', summary: null },
          },
          asLead,
        ],
        [{ type: 'ReopenOppdrag', data: { oppdragId: id, reason: 'Mangler' } }, coordinator],
        [
          {
            type: 'CloseOppdrag',
            data: {
              oppdragId: id,
              outcome: pick(['completed', 'withdrawn'] as const),
              reason: 'x',
              supersededBy: null,
            },
          },
          coordinator,
        ],
        [
          {
            type: 'ChangeDeadline',
            data: {
              oppdragId: id,
              deadline: pick(['2023-03-01', '2023-09-01', '2024-01-15', null]) as CalendarDate | null,
              reason: 'Ny frist',
            },
          },
          coordinator,
        ],
        [
          { type: 'ReassignLead', data: { oppdragId: id, lead: pick([...RHFS, null]), reason: 'Bytte' } },
          coordinator,
        ],
      ];
      const [command, actor] = pick(commands);
      try {
        const result = await handler.handle(command, { commandId: randomUUID(), actor });
        if (result.state.status !== 'initial') leads.set(id, result.state.lead);
      } catch {
        // Refused commands write nothing; the mix is random on purpose.
      }
    };

    const compare = (): void => {
      // The same questions answered by scanning summaries made afresh from every view.
      const scanned = new OppdragQueries(viewsInMemory(projector.allViews()));
      for (const day of ['2023-01-01', '2023-07-01', '2024-02-01', '2025-06-01'] as CalendarDate[]) {
        for (const limit of [1, 5, 50, 500]) {
          const a = indexed.overdueOn(day, limit);
          const b = scanned.overdueOn(day, limit);
          expect(ids(a.items)).toEqual(ids(b.items));
          expect(a.totalCount).toBe(b.totalCount);
        }
        const filters: OppdragFilter[] = [
          {},
          { status: ['assigned', 'started'] },
          { status: ['reported'] },
          { status: ['closed', 'assigned'] },
          { lead: 'helse-vest' },
          { withoutLead: true },
          { lead: 'helse-nord', status: ['started', 'reported'] },
          { year: 2023 },
          { year: 2024, status: ['assigned'] },
          { lead: 'helse-sor-ost', year: 2023, hovedmal: 2 },
          { overdueOn: day, lead: 'helse-midt-norge' },
          { status: STATUSES, text: 'x-1' },
          { dueWithinDays: 90 },
        ];
        for (const filter of filters) {
          for (const limit of [1, 3, 25]) {
            const a = indexed.whoLeadsWhat(filter, day, limit);
            const b = scanned.whoLeadsWhat(filter, day, limit);
            expect(a.map((g) => [g.lead, g.totalCount, ids(g.items)])).toEqual(
              b.map((g) => [g.lead, g.totalCount, ids(g.items)]),
            );
          }
          for (const first of [1, 4, 100]) {
            let cursorA: string | null = null;
            let cursorB: string | null = null;
            for (let page = 0; page < 30; page++) {
              const a = indexed.list(filter, day, first, cursorA);
              const b = scanned.list(filter, day, first, cursorB);
              expect([ids(a.items), a.totalCount, a.endCursor, a.hasNextPage]).toEqual([
                ids(b.items),
                b.totalCount,
                b.endCursor,
                b.hasNextPage,
              ]);
              if (!a.hasNextPage) break;
              cursorA = a.endCursor;
              cursorB = b.endCursor;
            }
          }
        }
      }
    };

    try {
      for (let i = 0; i < 250; i++) await step();
      await projector.waitFor((await store.headPosition())!);
      expect(projector.summaries.size).toBeGreaterThan(20);
      compare();
      // The index follows every later change, including views taken out and put back.
      for (let i = 0; i < 250; i++) await step();
      await projector.waitFor((await store.headPosition())!);
      compare();
      const [someId, someSummary] = [...projector.summaries.entries()][3]!;
      projector.summaries.delete(someId);
      compare();
      projector.summaries.set(someId, someSummary);
      compare();
      await projector.rebuild();
      compare();
    } finally {
      await projector.stop();
      await store.close();
    }
  });
});
