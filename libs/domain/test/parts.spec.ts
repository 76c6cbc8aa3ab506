/**
 * Joint oppdrag: each addressed RHF owns its part; what each part owes; the oppdrag's status from its
 * parts; corrections as events; the sanity rules; allowedActions; and stored pre-parts histories.
 */
import {
  allowedActions,
  currentDeadlinePassedOn,
  decodeEvent,
  fold,
  isOverdueOn,
  isPartOpen,
  isPartOverdueOn,
  partDueDate,
  RHF_IDS,
  type Actor,
  type ExistingOppdrag,
  type OppdragCommand,
  type OppdragEvent,
} from '../src/index.js';
import {
  addAddressee,
  addMilestone,
  addSource,
  assign,
  assigned,
  auditor,
  changeMilestone,
  close,
  closed,
  coordinator,
  correctDetails,
  day,
  deadlineChanged,
  deadlinePassed,
  ID,
  LEAD,
  leadRhfUser,
  recordMilestone,
  removeAddressee,
  removeMilestone,
  reopen,
  report,
  start,
  statusrapport,
  underveis,
} from './support/fixtures.js';
import { given } from './support/given.js';

const user = (rhf: string): Actor => ({
  userId: `u-${rhf}`,
  name: `Bruker ${rhf}`,
  role: 'rhf',
  organisationId: rhf,
});
const vest = user('helse-vest');
const nord = user('helse-nord');
const sorOst = user('helse-sor-ost');

/** Addressed to all four, with no lead ("each for itself"). */
const noLead = assigned({ lead: null, addressees: [...RHF_IDS], collaborators: [] });
/** Addressed to all four, led by Helse Midt-Norge. */
const led = assigned({ addressees: [...RHF_IDS], collaborators: [] });

const existing = (events: readonly OppdragEvent[]): ExistingOppdrag => {
  const state = fold(events);
  if (state.status === 'initial') throw new Error('no oppdrag');
  return state;
};

/** Applies each decision to the history, as the command handler does. */
function play(history: OppdragEvent[], steps: ReadonlyArray<[OppdragCommand, Actor]>): OppdragEvent[] {
  const events = [...history];
  for (const [command, actor] of steps)
    events.push(
      ...given(...events)
        .when(command, { actor })
        .accepted(),
    );
  return events;
}

describe('an oppdrag with no lead, addressed to all four', () => {
  it('is reported only when every part is reported; until then it is started', () => {
    let events = play([noLead], [[report('2024-06-01'), leadRhfUser]]);
    expect(existing(events)).toMatchObject({ status: 'started', reportedOn: null });
    events = play(events, [
      [report('2024-06-02'), vest],
      [report('2024-06-03'), nord],
    ]);
    expect(existing(events).status).toBe('started');
    events = play(events, [[report('2024-06-05'), sorOst]]);
    // Reported on the day the last part reported.
    expect(existing(events)).toMatchObject({ status: 'reported', reportedOn: '2024-06-05' });
  });

  it('has every part owe the deadline, so each unreported part is overdue after it', () => {
    const state = existing(play([noLead], [[report('2024-06-01'), vest]]));
    const after = day('2024-10-02');
    expect(state.parts.filter((p) => isPartOverdueOn(state, p, after)).map((p) => p.rhf)).toEqual(
      RHF_IDS.filter((r) => r !== 'helse-vest'),
    );
    expect(isOverdueOn(state, after)).toBe(true);
  });

  it('keeps a part open until it reports or the oppdrag is closed', () => {
    const state = existing(play([noLead], [[report('2024-06-01'), vest]]));
    expect(state.parts.filter((p) => isPartOpen(state, p)).map((p) => p.rhf)).toEqual(
      RHF_IDS.filter((r) => r !== 'helse-vest'),
    );
    expect(state.parts.some((p) => isPartOpen({ status: 'closed' }, p))).toBe(false);
  });

  it('meets a milestone only when every part has reported it', () => {
    const events = play([noLead], [[recordMilestone(statusrapport.id, '2024-04-20'), vest]]);
    const milestone = existing(events).milestones[0]!;
    expect(milestone).toMatchObject({
      reportedOn: null,
      reports: [{ rhf: 'helse-vest', reportedOn: '2024-04-20' }],
    });
    const all = play(
      events,
      RHF_IDS.filter((r) => r !== 'helse-vest').map((r) => [
        recordMilestone(statusrapport.id, '2024-04-25'),
        user(r),
      ]),
    );
    expect(existing(all).milestones[0]).toMatchObject({ reportedOn: '2024-04-25', late: false });
  });

  it('lets each RHF record only its own part, and refuses naming another part', () => {
    given(noLead)
      .when(
        { type: 'StartOppdrag', data: { oppdragId: ID, part: 'helse-nord', startedOn: day('2024-03-01') } },
        { actor: vest },
      )
      .thenRefuses('FORBIDDEN', "Bruker helse-vest of Helse Vest RHF cannot act on Helse Nord RHF's part");
  });

  it('needs the part named to reopen a report, since there is no lead', () => {
    const events = play([noLead], [[report('2024-06-01'), vest]]);
    given(...events)
      .when(reopen(), { actor: coordinator })
      .thenRefuses('VALIDATION', 'part: oppdrag 2024-hmn-07 has no lead: name the part to reopen');
    given(...events)
      .when(
        { type: 'ReopenOppdrag', data: { oppdragId: ID, reason: 'Mangler vedlegg', part: 'helse-vest' } },
        { actor: coordinator },
      )
      .then([
        {
          type: 'OppdragReopened',
          data: {
            oppdragId: ID,
            reason: 'Mangler vedlegg',
            scope: 'report',
            part: 'helse-vest',
            reopenedOn: day('2024-06-14'),
          },
        },
      ]);
  });
});

describe('a led oppdrag addressed to all four', () => {
  it("is reported by the lead's report alone; the other parts report for their Årlig melding", () => {
    let events = play([led], [[report('2024-06-01'), vest]]);
    expect(existing(events).status).toBe('started');
    events = play(events, [[report('2024-06-10'), leadRhfUser]]);
    expect(existing(events)).toMatchObject({ status: 'reported', reportedOn: '2024-06-10' });
  });

  it("gives the lead's part the deadline and the other parts the Årlig melding date", () => {
    const state = existing([led]);
    expect(partDueDate(state, LEAD)).toBe('2024-10-01');
    expect(partDueDate(state, 'helse-vest')).toBe('2025-03-15');
    const lead = state.parts.find((p) => p.rhf === LEAD)!;
    const other = state.parts.find((p) => p.rhf === 'helse-vest')!;
    expect(isPartOverdueOn(state, lead, day('2024-10-02'))).toBe(true);
    expect(isPartOverdueOn(state, other, day('2024-10-02'))).toBe(false);
    expect(isPartOverdueOn(state, other, day('2025-03-16'))).toBe(true);
  });

  it("refuses a milestone from a part that does not owe it: the lead's part owes the milestones", () => {
    given(led)
      .when(recordMilestone(), { actor: vest })
      .thenRefuses('FORBIDDEN', `rule "the lead's part owes the milestones"`);
  });

  it('counts a report after the date the part owes as late, for that part only', () => {
    const ledEarly = assigned({ addressees: [...RHF_IDS], collaborators: [], deadline: day('2024-05-01') });
    const state = existing(play([ledEarly], [[report('2024-06-01'), vest]]));
    expect(state.parts.find((p) => p.rhf === 'helse-vest')?.reportedLate).toBe(false);
    expect(state.reportedLate).toBe(false);
    const late = existing(play([ledEarly], [[report('2024-06-05'), leadRhfUser]]));
    expect(late.parts.find((p) => p.rhf === LEAD)?.reportedLate).toBe(true);
    expect(late.reportedLate).toBe(true);
  });
});

describe('corrections, each an event with a reason', () => {
  it('adds and removes an addressee; never the lead, never the last', () => {
    const events = play([assigned()], [[addAddressee('helse-nord'), coordinator]]);
    expect(existing(events).addressees).toEqual([LEAD, 'helse-nord']);
    given(...events)
      .when(addAddressee('helse-nord'), { actor: coordinator })
      .thenRefuses('VALIDATION', 'addressee: Helse Nord RHF is already addressed');
    given(...events)
      .when(removeAddressee(LEAD), { actor: coordinator })
      .thenRefuses('VALIDATION', 'leads oppdrag 2024-hmn-07; reassign the lead before removing it');
    const removed = play(events, [[removeAddressee('helse-nord'), coordinator]]);
    expect(existing(removed).parts.map((p) => p.rhf)).toEqual([LEAD]);
    given(assigned({ lead: null, addressees: ['helse-nord'], collaborators: [] }))
      .when(removeAddressee('helse-nord'), { actor: coordinator })
      .thenRefuses('VALIDATION', 'is the only addressee');
    given(assigned())
      .when(addAddressee('helse-vest'), { actor: coordinator })
      .thenRefuses(
        'VALIDATION',
        'Helse Vest RHF collaborates on oppdrag 2024-hmn-07; remove it as a collaborator',
      );
  });

  it('adds a source once, with the addressees it brings', () => {
    const events = play(
      [assigned()],
      [[addSource('oppdragsdokument-2024-helse-nord', ['helse-nord']), coordinator]],
    );
    const state = existing(events);
    expect(state.sources.map((s) => s.letter)).toEqual([
      'oppdragsdokument-2024-hmn',
      'oppdragsdokument-2024-helse-nord',
    ]);
    expect(state.addressees).toEqual([LEAD, 'helse-nord']);
    given(...events)
      .when(addSource('oppdragsdokument-2024-helse-nord', ['helse-nord']), { actor: coordinator })
      .thenRefuses('INVALID_TRANSITION', 'already has the source oppdragsdokument-2024-helse-nord');
  });

  it('corrects the title, description and hovedmål, only what differs', () => {
    const state = given(assigned())
      .when(correctDetails({ title: 'Ny tittel', hovedmal: null }, 'Feil i brevet'), { actor: coordinator })
      .then([
        {
          type: 'OppdragDetailsCorrected',
          data: { oppdragId: ID, title: 'Ny tittel', hovedmal: null, reason: 'Feil i brevet' },
        },
      ]);
    expect(state).toMatchObject({ title: 'Ny tittel', hovedmal: null });
    given(assigned())
      .when(correctDetails({ title: 'Utrede felles løsning for kjernejournal' }), { actor: coordinator })
      .thenRefuses('VALIDATION', 'nothing to correct');
    given(assigned())
      .when(correctDetails({ title: 'Ny' }, ' '), { actor: coordinator })
      .thenRefuses('VALIDATION', 'reason: is required');
  });

  it('adds, moves and removes milestones; a due date moved later is a new promise', () => {
    let events = play([assigned()], [[addMilestone(), coordinator]]);
    expect(existing(events).milestones.map((m) => m.id)).toEqual([
      statusrapport.id,
      underveis.id,
      'rapport-3',
    ]);
    given(...events)
      .when(addMilestone(), { actor: coordinator })
      .thenRefuses('VALIDATION', 'milestone.id: "rapport-3" is already a milestone');
    events = [
      ...events,
      {
        type: 'MilestoneDue',
        data: {
          oppdragId: ID,
          milestoneId: statusrapport.id,
          dueDate: day('2024-05-01'),
          passedOn: day('2024-05-02'),
        },
      },
    ];
    events = play(events, [[changeMilestone({ dueDate: '2024-07-01' }), coordinator]]);
    expect(existing(events).milestones[0]).toMatchObject({ dueDate: '2024-07-01', dueRecorded: false });
    events = play(events, [[removeMilestone(underveis.id), coordinator]]);
    expect(existing(events).milestones.map((m) => m.id)).toEqual([statusrapport.id, 'rapport-3']);
    given(...events)
      .when(removeMilestone(underveis.id), { actor: coordinator })
      .thenRefuses('VALIDATION', 'milestoneId: oppdrag 2024-hmn-07 has no milestone "underveis-2"');
  });

  it('lets a coordinator reopen a closed oppdrag, visibly, and nobody else', () => {
    const history = [assigned(), closed('withdrawn', '2024-05-01')];
    given(...history)
      .when(reopen('Lukket ved en feil'), { actor: leadRhfUser })
      .thenRefuses('FORBIDDEN', 'only a HOD coordinator');
    const state = given(...history)
      .when(reopen('Lukket ved en feil'), { actor: coordinator })
      .then([
        {
          type: 'OppdragReopened',
          data: {
            oppdragId: ID,
            reason: 'Lukket ved en feil',
            scope: 'closure',
            part: null,
            reopenedOn: day('2024-06-14'),
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'assigned', closed: null, reopenedOn: '2024-06-14' });
  });
});

describe('sanity rules', () => {
  it('refuses a start before the oppdrag was assigned, and a report before the part started', () => {
    given(assigned())
      .when(start('2024-01-09'), { actor: leadRhfUser })
      .thenRefuses(
        'VALIDATION',
        'startedOn: must not be before the day the oppdrag was assigned (2024-01-10)',
      );
    given(assigned())
      .when(recordMilestone(statusrapport.id, '2024-01-05'), { actor: leadRhfUser })
      .thenRefuses(
        'VALIDATION',
        'reportedOn: must not be before the day the oppdrag was assigned (2024-01-10)',
      );
  });

  it("refuses a deadline before the letter's year unless confirmed", () => {
    given()
      .when(assign({ deadline: day('2023-12-31') }), { actor: coordinator })
      .thenRefuses(
        'VALIDATION',
        "deadline: 2023-12-31 is before the letter's year 2024; pass confirmPastDeadline: true",
      );
    expect(
      given()
        .when(
          {
            type: 'AssignOppdrag',
            data: { ...assign({ deadline: day('2023-12-31') }).data, confirmPastDeadline: true },
          } as OppdragCommand,
          { actor: coordinator },
        )
        .state(),
    ).toMatchObject({ deadline: '2023-12-31' });
    given(assigned())
      .when(
        { type: 'ChangeDeadline', data: { oppdragId: ID, deadline: day('2023-06-01'), reason: 'Feil' } },
        { actor: coordinator },
      )
      .thenRefuses('VALIDATION', 'confirmPastDeadline');
  });

  it('refuses an organisation the registry does not know, naming the nearest, unless registered as new', () => {
    const misspelt = { id: 'helsedirektortet', name: 'Helsedirektortet' };
    given(assigned())
      .when(
        { type: 'AddCollaborator', data: { oppdragId: ID, collaborator: misspelt, reason: 'Data' } },
        { actor: coordinator },
      )
      .thenRefuses(
        'VALIDATION',
        '"Helsedirektortet" is not a known organisation; did you mean Helsedirektoratet?',
      );
    given(assigned())
      .when(
        {
          type: 'AddCollaborator',
          data: {
            oppdragId: ID,
            collaborator: { id: 'bergen-kommune', name: 'Bergen kommune' },
            reason: 'Pilot',
            registerNewOrganisation: true,
          },
        },
        { actor: coordinator },
      )
      .then([
        {
          type: 'CollaboratorAdded',
          data: {
            oppdragId: ID,
            collaborator: { id: 'bergen-kommune', name: 'Bergen kommune' },
            reason: 'Pilot',
          },
        },
      ]);
  });

  it('shows the deadline as passed only while it is the deadline that passed', () => {
    const history = [assigned({ deadline: day('2024-06-01') }), deadlinePassed('2024-06-01', '2024-06-02')];
    expect(currentDeadlinePassedOn(existing(history))).toBe('2024-06-02');
    const moved = [...history, deadlineChanged('2024-06-01', '2024-09-01')];
    expect(currentDeadlinePassedOn(existing(moved))).toBeNull();
    expect(isOverdueOn(existing(moved), day('2024-06-14'))).toBe(false);
  });
});

describe('allowedActions: the role table and the lifecycle, in one place', () => {
  it('gives an RHF user the actions of its own part, and nothing on an oppdrag not addressed to it', () => {
    expect(allowedActions(existing([led]), vest)).toEqual(['start', 'report']);
    expect(allowedActions(existing([led]), leadRhfUser)).toEqual(['start', 'recordMilestone', 'report']);
    expect(allowedActions(existing([assigned()]), vest)).toEqual([]);
    const reported = existing(play([led], [[report('2024-06-01'), vest]]));
    expect(allowedActions(reported, vest)).toEqual([]);
  });

  it('gives a coordinator the corrections, and only reopen once closed; an auditor nothing', () => {
    expect(allowedActions(existing([assigned()]), coordinator)).toEqual([
      'changeDeadline',
      'reassignLead',
      'addCollaborator',
      'removeCollaborator',
      'addAddressee',
      'correctDetails',
      'addMilestone',
      'changeMilestone',
      'removeMilestone',
      'close',
    ]);
    expect(allowedActions(existing([assigned(), closed('withdrawn')]), coordinator)).toEqual(['reopen']);
    expect(allowedActions(existing([assigned()]), auditor)).toEqual([]);
  });

  it('agrees with decide: every action it offers is accepted for its actor', () => {
    const samples: Record<string, OppdragCommand> = {
      start: start('2024-06-01'),
      report: report('2024-06-10'),
      recordMilestone: recordMilestone(),
      close: close('withdrawn', 'Trukket'),
      addAddressee: addAddressee(),
      correctDetails: correctDetails({ title: 'Ny tittel' }),
      addMilestone: addMilestone(),
      removeMilestone: removeMilestone(),
    };
    for (const [history, actor] of [
      [[led], vest],
      [[led], leadRhfUser],
      [[assigned()], coordinator],
    ] as const) {
      for (const action of allowedActions(existing(history), actor)) {
        const command = samples[action];
        if (command)
          expect(
            given(...history)
              .when(command, { actor })
              .accepted().length,
          ).toBeGreaterThan(0);
      }
    }
  });
});

describe('a history stored before parts existed', () => {
  /** As the first builds stored it: no parts, no addressees, reopen without scope. */
  const stored: Array<[string, Record<string, unknown>]> = [
    [
      'OppdragAssigned',
      {
        schemaVersion: 2,
        oppdragId: 'gammel-1',
        year: 2023,
        title: 'Gammelt oppdrag',
        description: '',
        hovedmal: null,
        sources: [],
        lead: 'helse-vest',
        collaborators: [{ id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' }],
        deadline: '2023-06-01',
        milestones: [{ id: 'status-1', kind: 'statusrapport', title: 'Status', dueDate: '2023-04-01' }],
      },
    ],
    ['OppdragStarted', { schemaVersion: 1, oppdragId: 'gammel-1', startedOn: '2023-02-01' }],
    [
      'MilestoneReported',
      {
        schemaVersion: 1,
        oppdragId: 'gammel-1',
        milestoneId: 'status-1',
        reportedOn: '2023-04-03',
        documentRef: 'a',
        note: null,
      },
    ],
    [
      'OppdragReported',
      { schemaVersion: 1, oppdragId: 'gammel-1', reportedOn: '2023-06-10', documentRef: 'b', summary: null },
    ],
    ['OppdragReopened', { schemaVersion: 1, oppdragId: 'gammel-1', reason: 'Mangler' }],
    [
      'LeadReassigned',
      {
        schemaVersion: 1,
        oppdragId: 'gammel-1',
        from: 'helse-vest',
        to: 'helse-nord',
        reason: 'Nord overtar',
      },
    ],
    [
      'OppdragReported',
      { schemaVersion: 1, oppdragId: 'gammel-1', reportedOn: '2023-07-01', documentRef: 'c', summary: null },
    ],
  ];

  it("folds to today's answers: the one part was the lead's, and it moved with the lead", () => {
    const events = stored.map(([type, data]) => decodeEvent(type, data));
    const afterReopen = existing(events.slice(0, 5));
    expect(afterReopen).toMatchObject({
      status: 'started',
      reportedOn: null,
      reportedLate: true,
      startedOn: '2023-02-01',
    });
    expect(isOverdueOn(afterReopen, day('2023-06-20'))).toBe(true);
    const state = existing(events);
    expect(state).toMatchObject({
      status: 'reported',
      lead: 'helse-nord',
      addressees: ['helse-nord'],
      startedOn: '2023-02-01',
      reportedOn: '2023-07-01',
      documentRef: 'c',
      reportedLate: true,
      assignedOn: null,
    });
    expect(state.milestones[0]).toMatchObject({ reportedOn: '2023-04-03', late: true });
    expect(state.parts).toEqual([
      {
        rhf: 'helse-nord',
        status: 'reported',
        startedOn: '2023-02-01',
        reportedOn: '2023-07-01',
        documentRef: 'c',
        summary: null,
        reportedLate: true,
      },
    ]);
    // The former lead is no longer addressed (its part moved); the new lead may act once reopened.
    expect(allowedActions(afterReopen, vest)).toEqual(['report']);
    expect(allowedActions(state, vest)).toEqual([]);
    expect(allowedActions(state, nord)).toEqual([]);
  });

  it('reads a stored oppdrag with no lead as addressed to all four, as "each for itself" meant', () => {
    const event = decodeEvent('OppdragAssigned', { ...stored[0]![1], lead: null });
    expect(existing([event])).toMatchObject({ addressees: [...RHF_IDS], status: 'assigned' });
  });
});
