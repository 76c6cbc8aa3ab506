import type { StoredOppdragEvent } from '#application';
import {
  addDays,
  decide,
  DomainError,
  evolve,
  initialState,
  isMilestoneOverdueOn,
  isOverdueOn,
  isPartOverdueOn,
  RHF_IDS,
  SYSTEM_ACTOR,
  type Actor,
  type CalendarDate,
  type ExistingOppdrag,
  type OppdragCommand,
  type OppdragState,
} from '#domain';
import { seededRandom } from '#testing';
import {
  applyToView,
  isSummaryOverdueOn,
  OppdragQueries,
  SummaryMap,
  summaryOf,
  viewsInMemory,
  type OppdragView,
} from '../src/index.js';

const coordinator: Actor = { userId: 'k', name: 'Koordinator', role: 'coordinator', organisationId: 'hod' };
const rhfUser = (rhf: string): Actor => ({ userId: rhf, name: rhf, role: 'rhf', organisationId: rhf });

/**
 * A random history of one oppdrag, made by the domain's own decider from random commands by random
 * actors on random days (refusals are skipped), and stored as the projector would read it.
 */
function randomHistory(seed: number, n: number): { state: ExistingOppdrag; view: OppdragView } {
  const { next, pick } = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const id = `p-${seed}-${n}`;
  const lead = pick([...RHF_IDS, null, null]);
  const addressees = lead === null ? [...RHF_IDS] : RHF_IDS.filter((r) => r === lead || next() < 0.4);
  let day = `2024-0${int(1, 3)}-1${int(0, 9)}` as CalendarDate;
  const date = (): CalendarDate => day;
  let state: OppdragState = initialState();
  let view: OppdragView | undefined;
  let revision = -1;
  const apply = (command: OppdragCommand, actor: Actor): void => {
    let events;
    try {
      events = decide(command, state, { actor, now: `${day}T12:00:00.000Z` });
    } catch (error) {
      if (error instanceof DomainError) return;
      throw error;
    }
    for (const event of events) {
      revision += 1;
      state = evolve(state, event);
      const stored: StoredOppdragEvent = {
        event,
        oppdragId: id,
        revision,
        position: { commit: BigInt(n * 1000 + revision + 1), prepare: BigInt(n * 1000 + revision + 1) },
        eventId: `${id}-${revision}`,
        metadata: {
          recordedAt: `${day}T12:00:00.000Z`,
          actor,
          commandId: `${id}-${revision}`,
          commandType: command.type,
          correlationId: 'c',
          causationId: 'c',
        },
        recordedAt: `${day}T12:00:00.000Z`,
      };
      view = applyToView(view, stored);
    }
  };
  apply(
    {
      type: 'AssignOppdrag',
      data: {
        oppdragId: id,
        year: 2024,
        title: 'Tilfeldig oppdrag',
        description: '',
        hovedmal: null,
        sources: [],
        addressees,
        lead,
        collaborators: [],
        deadline: next() < 0.6 ? (`2024-0${int(4, 9)}-0${int(1, 9)}` as CalendarDate) : null,
        milestones:
          next() < 0.5
            ? [
                {
                  id: 'status-1',
                  kind: 'statusrapport',
                  title: 'Status',
                  dueDate: `2024-0${int(3, 8)}-15` as CalendarDate,
                },
              ]
            : [],
      },
    },
    coordinator,
  );
  const steps = int(0, 12);
  for (let i = 0; i < steps; i++) {
    day = addDays(day, int(0, 60));
    const who = rhfUser(pick([...RHF_IDS]));
    const choice = int(0, 11);
    const data = { oppdragId: id };
    if (choice <= 1) apply({ type: 'StartOppdrag', data: { ...data, startedOn: date() } }, who);
    else if (choice <= 3)
      apply(
        { type: 'ReportOppdrag', data: { ...data, reportedOn: date(), documentRef: 'r', summary: null } },
        who,
      );
    else if (choice === 4)
      apply(
        {
          type: 'RecordMilestone',
          data: { ...data, milestoneId: 'status-1', reportedOn: date(), documentRef: 'm', note: null },
        },
        who,
      );
    else if (choice === 5)
      apply(
        { type: 'ReopenOppdrag', data: { ...data, reason: 'igjen', part: pick([...RHF_IDS, null]) } },
        coordinator,
      );
    else if (choice === 6)
      apply(
        {
          type: 'CloseOppdrag',
          data: {
            ...data,
            outcome: pick(['completed', 'withdrawn'] as const),
            reason: 'slutt',
            supersededBy: null,
          },
        },
        coordinator,
      );
    else if (choice === 7)
      apply(
        {
          type: 'ChangeDeadline',
          data: { ...data, deadline: next() < 0.3 ? null : addDays(day, int(-30, 90)), reason: 'ny frist' },
        },
        coordinator,
      );
    else if (choice === 8)
      apply(
        { type: 'AddAddressee', data: { ...data, addressee: pick([...RHF_IDS]), reason: 'også' } },
        coordinator,
      );
    else if (choice === 9)
      apply(
        { type: 'RemoveAddressee', data: { ...data, addressee: pick([...RHF_IDS]), reason: 'ikke' } },
        coordinator,
      );
    else if (choice === 10)
      apply(
        { type: 'ReassignLead', data: { ...data, lead: pick([...RHF_IDS, null]), reason: 'bytte' } },
        coordinator,
      );
    else apply({ type: 'RecordDeadlinePassed', data }, SYSTEM_ACTOR);
  }
  if (state.status === 'initial' || !view) throw new Error('the assignment was refused');
  return { state, view };
}

const DAYS = [
  '2024-02-01',
  '2024-05-01',
  '2024-07-15',
  '2024-10-02',
  '2025-03-15',
  '2025-03-16',
  '2025-08-01',
] as CalendarDate[];

describe('the read models answer every overdue question as the domain does (random histories)', () => {
  const histories = Array.from({ length: 300 }, (_, n) => randomHistory(1000 + n, n));

  it('made varied histories: every status, with and without a lead, several parts', () => {
    const statuses = new Set(histories.map((h) => h.state.status));
    expect([...statuses].sort()).toEqual(['assigned', 'closed', 'reported', 'started']);
    expect(
      histories.some((h) => h.state.lead === null && h.state.parts.some((p) => p.status === 'reported')),
    ).toBe(true);
    expect(histories.some((h) => h.state.parts.length > 1 && h.state.lead !== null)).toBe(true);
  });

  it('summary and state agree on the oppdrag, each part and each milestone, on every day', () => {
    for (const { state, view } of histories) {
      expect(view.oppdrag).toEqual(state);
      const summary = summaryOf(view);
      for (const day of DAYS) {
        expect([state.id, day, isSummaryOverdueOn(summary, day)]).toEqual([
          state.id,
          day,
          isOverdueOn(state, day),
        ]);
        for (const part of state.parts) {
          const summed = summary.parts.find((p) => p.rhf === part.rhf);
          expect(summed && isPartOverdueOn(summary, summed, day)).toBe(isPartOverdueOn(state, part, day));
        }
        const overdueMilestones = state.milestones
          .filter((m) => isMilestoneOverdueOn(state, m, day))
          .map((m) => m.id);
        expect(
          summary.openMilestones
            .filter((m) => isMilestoneOverdueOn(summary, { reportedOn: null, dueDate: m.dueDate }, day))
            .map((m) => m.id),
        ).toEqual(overdueMilestones);
      }
    }
  });

  it('the queries list, count and workload the overdue as the domain does', () => {
    const queries = new OppdragQueries(viewsInMemory(histories.map((h) => h.view)));
    // The same views behind the projector's indexed summaries (by status and lead, sorted by deadline).
    const summaries = new SummaryMap();
    const byId = new Map(histories.map((h) => [h.state.id, h.view]));
    for (const h of histories) summaries.set(h.state.id, summaryOf(h.view));
    const indexed = new OppdragQueries({ summaries, view: (id) => byId.get(id), searchText: () => '' });
    for (const day of DAYS) {
      const expected = histories
        .filter((h) => isOverdueOn(h.state, day))
        .map((h) => h.state.id)
        .sort();
      const answered = queries.overdueOn(day, 100);
      expect(answered.totalCount).toBe(expected.length);
      const fromIndex = indexed.overdueOn(day, 100);
      expect(fromIndex.totalCount).toBe(expected.length);
      expect(fromIndex.items.map((v) => v.oppdrag.id)).toEqual(answered.items.map((v) => v.oppdrag.id));
      expect(
        queries
          .filter({ overdueOn: day }, day)
          .map((s) => s.id)
          .sort(),
      ).toEqual(expected);
      for (const row of queries.workload(day, null)) {
        const parts = histories.flatMap((h) =>
          h.state.parts.filter((p) => p.rhf === row.organisationId).map((p) => ({ h, p })),
        );
        expect([row.organisationId, row.parts, row.overdue]).toEqual([
          row.organisationId,
          parts.length,
          parts.filter(({ h, p }) => isPartOverdueOn(h.state, p, day)).length,
        ]);
      }
    }
  });
});
