/**
 * evolve is total and pure, and folding what decide yields gives the state the story describes.
 */
import {
  decide,
  evolve,
  fold,
  initialState,
  type DecisionContext,
  type OppdragCommand,
  type OppdragEvent,
  type OppdragState,
} from '../src/index.js';
import {
  addCollaborator,
  assign,
  assigned,
  assignment,
  changeDeadline,
  close,
  closed,
  coordinator,
  day,
  engine,
  fhi,
  helsedirektoratet,
  helseVest,
  ID,
  leadRhfUser,
  ONE_OF_EACH_EVENT,
  reassignLead,
  recordDeadlinePassed,
  recordMilestone,
  recordMilestoneDue,
  removeCollaborator,
  reopen,
  reopened,
  report,
  reported,
  started,
  statusrapport,
  underveis,
} from './support/fixtures.js';

const everyEvent: OppdragEvent[] = Object.values(ONE_OF_EACH_EVENT);

const STATES: Record<string, OppdragState> = {
  initial: initialState(),
  assigned: fold([assigned()]),
  started: fold([assigned(), started()]),
  reported: fold([assigned(), started(), reported()]),
  closed: fold([assigned(), started(), reported(), closed('completed')]),
  'assigned with no lead, deadline or milestones': fold([
    assigned({ lead: null, deadline: null, milestones: [], collaborators: [] }),
  ]),
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe('evolve', () => {
  const pairs = Object.entries(STATES).flatMap(([name, state]) =>
    everyEvent.map((event) => ({ name, state, event, type: event.type })),
  );

  it.each(pairs)(
    'applies $type to the $name state without throwing or mutating either',
    ({ state, event }) => {
      const frozenState = deepFreeze(structuredClone(state));
      const frozenEvent = deepFreeze(structuredClone(event));
      expect(() => evolve(frozenState, frozenEvent)).not.toThrow();
      expect(frozenState).toEqual(state);
    },
  );

  it.each(everyEvent.filter((e) => e.type !== 'OppdragAssigned').map((e) => [e.type, e] as const))(
    'ignores %s before the oppdrag is assigned',
    (_type, event) => {
      expect(evolve(initialState(), event)).toEqual({ status: 'initial' });
    },
  );

  it('ignores a milestone event for a milestone the oppdrag does not have', () => {
    const before = fold([assigned()]);
    const after = fold(
      [
        {
          type: 'MilestoneReported',
          data: { ...ONE_OF_EACH_EVENT.MilestoneReported.data, milestoneId: 'ukjent' },
        },
        { type: 'MilestoneDue', data: { ...ONE_OF_EACH_EVENT.MilestoneDue.data, milestoneId: 'ukjent' } },
      ],
      before,
    );
    expect(after).toEqual(before);
  });

  it('removing a collaborator that is not there changes nothing', () => {
    const before = fold([assigned()]);
    const after = evolve(before, {
      type: 'CollaboratorRemoved',
      data: { oppdragId: ID, collaboratorId: 'nav', reason: 'x' },
    });
    expect(after).toEqual(before);
  });
});

describe('fold', () => {
  it('of no events is the initial state', () => {
    expect(fold([])).toEqual(initialState());
  });

  it('continues from a given state exactly as a fold of the whole history', () => {
    const history = [assigned(), started(), reported(), reopened()];
    expect(fold(history.slice(2), fold(history.slice(0, 2)))).toEqual(fold(history));
  });

  it('is deterministic: replaying the same history gives the same state', () => {
    const history = [assigned(), started(), reported(), reopened(), reported('2024-06-05')];
    expect(fold(history)).toEqual(fold(structuredClone(history)));
  });
});

describe('the decider, driven through a whole life', () => {
  /** Decides each step on the state so far and folds its events in, as the command handler does. */
  function live(steps: readonly [OppdragCommand, DecisionContext][]): {
    events: OppdragEvent[];
    state: OppdragState;
  } {
    const events: OppdragEvent[] = [];
    let state = initialState();
    for (const [command, ctx] of steps) {
      const frozen = deepFreeze(structuredClone(state));
      const decided = decide(command, frozen, ctx);
      expect(decide(command, frozen, ctx)).toEqual(decided);
      events.push(...decided);
      state = decided.reduce(evolve, state);
    }
    expect(fold(events)).toEqual(state);
    return { events, state };
  }

  const at = (actor: DecisionContext['actor'], now: string): DecisionContext => ({ actor, now });

  it('assign, milestone, overdue, extension, report late, reopen, report again, close', () => {
    const { events, state } = live([
      [assign(), at(coordinator, '2024-02-01T09:00:00Z')],
      [addCollaborator(), at(coordinator, '2024-02-05T09:00:00Z')],
      [
        recordMilestone(statusrapport.id, '2024-04-29', 'sak 24/555'),
        at(leadRhfUser, '2024-04-30T09:00:00Z'),
      ],
      [recordMilestoneDue(underveis.id), at(engine, '2024-09-02T00:05:00Z')],
      [recordDeadlinePassed(), at(engine, '2024-10-02T00:05:00Z')],
      [report('2024-10-10', 'sak 24/2000'), at(leadRhfUser, '2024-10-10T12:00:00Z')],
      [reopen('Mangler økonomidelen'), at(coordinator, '2024-10-20T12:00:00Z')],
      [changeDeadline('2024-12-01', 'Utsatt etter oppfølgingsmøte'), at(coordinator, '2024-10-21T12:00:00Z')],
      [reassignLead(null, 'Alle RHF-ene hver for seg'), at(coordinator, '2024-10-22T12:00:00Z')],
      [
        reassignLead('helse-midt-norge', 'Tilbake til Helse Midt-Norge'),
        at(coordinator, '2024-10-23T12:00:00Z'),
      ],
      [removeCollaborator(fhi.id), at(coordinator, '2024-10-24T12:00:00Z')],
      [report('2024-11-15', 'sak 24/2100'), at(leadRhfUser, '2024-11-15T12:00:00Z')],
      [close('completed', 'Levert'), at(coordinator, '2024-11-30T23:30:00Z')],
    ]);

    expect(events.map((e) => e.type)).toEqual([
      'OppdragAssigned',
      'CollaboratorAdded',
      'OppdragStarted',
      'MilestoneReported',
      'MilestoneDue',
      'DeadlinePassed',
      'OppdragReported',
      'OppdragReopened',
      'DeadlineChanged',
      'LeadReassigned',
      'LeadReassigned',
      'CollaboratorRemoved',
      'OppdragReported',
      'OppdragClosed',
    ]);

    expect(state).toEqual({
      status: 'closed',
      id: ID,
      year: 2024,
      title: 'Utrede felles løsning for kjernejournal',
      description:
        'De regionale helseforetakene skal, under ledelse av Helse Midt-Norge RHF, utrede en felles løsning.',
      hovedmal: { number: 2, title: 'Bedre samhandling' },
      sources: assignment().sources,
      addressees: ['helse-midt-norge'],
      parts: [
        {
          rhf: 'helse-midt-norge',
          status: 'reported',
          startedOn: '2024-04-29',
          reportedOn: '2024-11-15',
          documentRef: 'sak 24/2100',
          summary: null,
          reportedLate: true,
        },
      ],
      lead: 'helse-midt-norge',
      collaborators: [helseVest, helsedirektoratet],
      deadline: day('2024-12-01'),
      milestones: [
        {
          ...statusrapport,
          reports: [
            {
              rhf: 'helse-midt-norge',
              reportedOn: '2024-04-29',
              documentRef: 'sak 24/555',
              note: null,
              late: false,
            },
          ],
          reportedOn: '2024-04-29',
          documentRef: 'sak 24/555',
          late: false,
          dueRecorded: false,
        },
        { ...underveis, reports: [], reportedOn: null, documentRef: null, late: false, dueRecorded: true },
      ],
      assignedOn: '2024-01-10',
      startedOn: '2024-04-29',
      reportedOn: '2024-11-15',
      documentRef: 'sak 24/2100',
      reportedLate: true,
      closed: { outcome: 'completed', closedOn: '2024-12-01', reason: 'Levert', supersededBy: null },
      reopenedOn: '2024-10-20',
      // Reopened after the deadline had passed: its passing is a new fact from then on, and the
      // moved deadline was met. The DeadlinePassed of 2024-10-01 stays in the history (events above).
      deadlinePassedFor: null,
      deadlinePassedOn: null,
    });
  });

  it('assign with no deadline, then withdraw: closed with no report and never late', () => {
    const { state } = live([
      [assign({ deadline: null, milestones: [] }), at(coordinator, '2024-02-01T09:00:00Z')],
      [close('withdrawn', 'Trukket i tilleggsdokument'), at(coordinator, '2024-05-01T09:00:00Z')],
    ]);
    expect(state).toMatchObject({
      status: 'closed',
      startedOn: null,
      reportedOn: null,
      reportedLate: false,
      deadline: null,
      closed: { outcome: 'withdrawn', closedOn: '2024-05-01', reason: 'Trukket i tilleggsdokument' },
    });
  });
});
