/**
 * The oppdrag lifecycle as a specification: for each state, every command, what it yields or why it is refused.
 * Role rules have their own specification (roles.spec.ts); time-driven events theirs (deadlines.spec.ts).
 */
import type { OppdragCommand } from '../src/index.js';
import {
  addCollaborator,
  assign,
  assigned,
  assignment,
  auditor,
  changeDeadline,
  close,
  closed,
  coordinator,
  day,
  deadlineChanged,
  engine,
  fhi,
  helsedirektoratet,
  helseVest,
  ID,
  LEAD,
  leadRhfUser,
  milestoneReported,
  reassignLead,
  recordDeadlinePassed,
  recordMilestone,
  recordMilestoneDue,
  removeCollaborator,
  reopen,
  reopened,
  report,
  reported,
  start,
  started,
  statusrapport,
  underveis,
} from './support/fixtures.js';
import { given } from './support/given.js';

// "Today" in every scenario below is 2024-06-14 in Oslo (see DEFAULT_NOW) unless a scenario says otherwise.

describe('an oppdrag that does not exist yet', () => {
  it('is assigned by a HOD coordinator with exactly the assignment as its first event', () => {
    const state = given()
      .when(assign(), { actor: coordinator })
      .then([{ type: 'OppdragAssigned', data: assignment() }]);

    expect(state).toMatchObject({
      status: 'assigned',
      id: ID,
      lead: 'helse-midt-norge',
      collaborators: [helseVest, fhi],
      deadline: '2024-10-01',
      startedOn: null,
      reportedOn: null,
      reportedLate: false,
      closed: null,
      deadlinePassedFor: null,
    });
  });

  it('may be assigned with no lead ("all RHFs, each for itself"), no deadline, no collaborators and no milestones', () => {
    const data = assignment({ lead: null, deadline: null, collaborators: [], milestones: [] });
    given()
      .when({ type: 'AssignOppdrag', data }, { actor: coordinator })
      .then([{ type: 'OppdragAssigned', data }]);
  });

  describe('refuses an assignment that is not well formed', () => {
    it.each<[string, Parameters<typeof assignment>[0], RegExp]>([
      [
        'an id that is not lower-case and dashes',
        { oppdragId: 'Oppdrag 7' },
        /^oppdragId: must be lower-case/,
      ],
      ['an id starting with a dash', { oppdragId: '-2024-7' }, /^oppdragId: /],
      ['a year before 2000', { year: 1999 }, /^year: must be a whole year from 2000 to 2100$/],
      ['a year that is not whole', { year: 2024.5 }, /^year: /],
      ['a blank title', { title: '   ' }, /^title: is required and must not be blank$/],
      ['a title over 300 characters', { title: 'x'.repeat(301) }, /^title: must be at most 300 characters$/],
      ['a description over 20 000 characters', { description: 'x'.repeat(20_001) }, /^description: /],
      ['HOD as lead', { lead: 'hod' }, /^lead: must be one of the four RHFs/],
      [
        'a body that is not an RHF as lead',
        { lead: 'folkehelseinstituttet' },
        /^lead: must be one of the four RHFs/,
      ],
      [
        'a deadline that is no date',
        { deadline: day('2024-02-30') },
        /^deadline: must be a calendar date YYYY-MM-DD$/,
      ],
      [
        'a collaborator listed twice',
        { collaborators: [fhi, fhi] },
        /^collaborators: Folkehelseinstituttet is listed twice$/,
      ],
      [
        'the lead as a collaborator',
        { collaborators: [{ id: 'helse-midt-norge', name: 'Helse Midt-Norge RHF' }] },
        /^collaborators: Helse Midt-Norge RHF is the lead and cannot also collaborate$/,
      ],
      [
        'HOD as a collaborator',
        { collaborators: [{ id: 'hod', name: 'HOD' }] },
        /^collaborators: HOD issues the oppdrag and cannot collaborate on it$/,
      ],
      [
        'a collaborator with no id',
        { collaborators: [{ id: 'Ikke gyldig', name: 'X' }] },
        /^collaborators: must name/,
      ],
      [
        'a collaborator with a blank name',
        { collaborators: [{ id: 'nav', name: ' ' }] },
        /^collaborators\.name: /,
      ],
      [
        'a milestone id with capitals',
        { milestones: [{ ...statusrapport, id: 'Status' }] },
        /^milestones\.id: must be lower-case/,
      ],
      [
        'a milestone id used twice',
        { milestones: [statusrapport, { ...underveis, id: statusrapport.id }] },
        /^milestones\.id: "statusrapport-1" is used twice$/,
      ],
      [
        'a milestone due on no real day',
        { milestones: [{ ...statusrapport, dueDate: day('2023-02-29') }] },
        /^milestones\.dueDate: must be a calendar date/,
      ],
      ['a milestone with no kind', { milestones: [{ ...statusrapport, kind: '' }] }, /^milestones\.kind: /],
    ])('refuses %s', (_what, overrides, message) => {
      const error = given()
        .when(assign(overrides), { actor: coordinator })
        .thenRefuses('VALIDATION', message);
      expect(error.field).toBeDefined();
    });
  });

  it.each<[string, OppdragCommand, typeof coordinator]>([
    ['StartOppdrag', start(), leadRhfUser],
    ['RecordMilestone', recordMilestone(), leadRhfUser],
    ['ReportOppdrag', report(), leadRhfUser],
    ['ReopenOppdrag', reopen(), coordinator],
    ['CloseOppdrag', close('withdrawn', 'Trukket'), coordinator],
    ['ChangeDeadline', changeDeadline('2024-12-01'), coordinator],
    ['ReassignLead', reassignLead('helse-nord'), coordinator],
    ['AddCollaborator', addCollaborator(), coordinator],
    ['RemoveCollaborator', removeCollaborator(), coordinator],
    ['RecordDeadlinePassed', recordDeadlinePassed(), engine],
    ['RecordMilestoneDue', recordMilestoneDue(), engine],
  ])('refuses %s as not found', (_type, command, actor) => {
    given().when(command, { actor }).thenRefuses('NOT_FOUND', `oppdrag ${ID} does not exist`);
  });
});

describe('an assigned oppdrag', () => {
  const history = [assigned()];

  it('cannot be assigned again', () => {
    given(...history)
      .when(assign(), { actor: coordinator })
      .thenRefuses('INVALID_TRANSITION', `oppdrag ${ID} is already assigned; assign creates an oppdrag once`);
  });

  describe('start', () => {
    it('is started by its lead RHF on a past day', () => {
      const state = given(...history)
        .when(start('2024-06-03'), { actor: leadRhfUser })
        .then([
          { type: 'OppdragStarted', data: { oppdragId: ID, part: LEAD, startedOn: day('2024-06-03') } },
        ]);
      expect(state).toMatchObject({ status: 'started', startedOn: '2024-06-03' });
    });

    it('may be started today', () => {
      given(...history)
        .when(start('2024-06-14'), { actor: leadRhfUser })
        .then([
          { type: 'OppdragStarted', data: { oppdragId: ID, part: LEAD, startedOn: day('2024-06-14') } },
        ]);
    });

    it('refuses a start date in the future (Oslo time)', () => {
      given(...history)
        .when(start('2024-06-15'), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', 'startedOn: must not be after today (2024-06-14)');
    });

    it('accepts tomorrow-in-UTC once it is already that day in Oslo', () => {
      given(...history)
        .when(start('2024-06-15'), { actor: leadRhfUser, now: '2024-06-14T22:30:00Z' })
        .then([
          { type: 'OppdragStarted', data: { oppdragId: ID, part: LEAD, startedOn: day('2024-06-15') } },
        ]);
    });

    it('refuses a start date that is no date', () => {
      given(...history)
        .when(start('2024-06-31'), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', 'startedOn: must be a calendar date YYYY-MM-DD');
    });
  });

  describe('record a milestone', () => {
    it('also starts the oppdrag, on the day the milestone was delivered', () => {
      const state = given(...history)
        .when(recordMilestone(statusrapport.id, '2024-04-20', 'sak 24/555', '  Levert i tide  '), {
          actor: leadRhfUser,
        })
        .then([
          { type: 'OppdragStarted', data: { oppdragId: ID, part: LEAD, startedOn: day('2024-04-20') } },
          {
            type: 'MilestoneReported',
            data: {
              oppdragId: ID,
              part: LEAD,
              milestoneId: statusrapport.id,
              reportedOn: day('2024-04-20'),
              documentRef: 'sak 24/555',
              note: 'Levert i tide',
            },
          },
        ]);
      expect(state).toMatchObject({ status: 'started', startedOn: '2024-04-20' });
      if (state.status === 'initial') throw new Error('unreachable');
      expect(state.milestones[0]).toMatchObject({
        reportedOn: '2024-04-20',
        documentRef: 'sak 24/555',
        late: false,
      });
      expect(state.milestones[1]).toMatchObject({ reportedOn: null });
    });

    it('refuses a milestone the oppdrag does not have', () => {
      given(...history)
        .when(recordMilestone('sluttrapport'), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', `milestoneId: oppdrag ${ID} has no milestone "sluttrapport"`);
    });

    it('refuses a delivery date in the future', () => {
      given(...history)
        .when(recordMilestone(statusrapport.id, '2024-07-01'), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', 'reportedOn: must not be after today (2024-06-14)');
    });

    it.each(['', '   '])('refuses a blank document reference (%j)', (documentRef) => {
      given(...history)
        .when(recordMilestone(statusrapport.id, '2024-04-20', documentRef), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', 'documentRef: is required and must not be blank');
    });
  });

  describe('report', () => {
    it('yields OppdragStarted then OppdragReported, started on the day it was reported', () => {
      const state = given(...history)
        .when(report('2024-06-10', '  sak 24/1234 ', 'Utredningen er levert'), { actor: leadRhfUser })
        .then([
          { type: 'OppdragStarted', data: { oppdragId: ID, part: LEAD, startedOn: day('2024-06-10') } },
          {
            type: 'OppdragReported',
            data: {
              oppdragId: ID,
              part: LEAD,
              reportedOn: day('2024-06-10'),
              documentRef: 'sak 24/1234',
              summary: 'Utredningen er levert',
            },
          },
        ]);
      expect(state).toMatchObject({
        status: 'reported',
        startedOn: '2024-06-10',
        reportedOn: '2024-06-10',
        documentRef: 'sak 24/1234',
        reportedLate: false,
      });
    });

    it('treats a summary of only spaces as no summary', () => {
      given(...history)
        .when(report('2024-06-10', 'sak 24/1234', '   '), { actor: leadRhfUser })
        .then([
          { type: 'OppdragStarted', data: { oppdragId: ID, part: LEAD, startedOn: day('2024-06-10') } },
          {
            type: 'OppdragReported',
            data: {
              oppdragId: ID,
              part: LEAD,
              reportedOn: day('2024-06-10'),
              documentRef: 'sak 24/1234',
              summary: null,
            },
          },
        ]);
    });

    it('refuses a report dated in the future', () => {
      given(...history)
        .when(report('2024-06-15'), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', 'reportedOn: must not be after today (2024-06-14)');
    });

    it('refuses a report without a document reference', () => {
      given(...history)
        .when(report('2024-06-10', ' '), { actor: leadRhfUser })
        .thenRefuses('VALIDATION', 'documentRef: is required and must not be blank');
    });
  });

  it('cannot be reopened, since it was never reported', () => {
    given(...history)
      .when(reopen(), { actor: coordinator })
      .thenRefuses(
        'INVALID_TRANSITION',
        `Helse Midt-Norge RHF's part of oppdrag ${ID} is assigned; only a reported part or a closed oppdrag can be reopened`,
      );
  });

  describe('close', () => {
    it('is closed as withdrawn, with its reason, on today', () => {
      const state = given(...history)
        .when(close('withdrawn', ' Oppdraget er trukket i tilleggsdokument 2 '), { actor: coordinator })
        .then([
          {
            type: 'OppdragClosed',
            data: {
              oppdragId: ID,
              outcome: 'withdrawn',
              reason: 'Oppdraget er trukket i tilleggsdokument 2',
              closedOn: day('2024-06-14'),
              supersededBy: null,
            },
          },
        ]);
      expect(state).toMatchObject({
        status: 'closed',
        closed: {
          outcome: 'withdrawn',
          closedOn: '2024-06-14',
          reason: 'Oppdraget er trukket i tilleggsdokument 2',
        },
      });
    });

    it('is closed as superseded, naming the oppdrag that replaces it', () => {
      given(...history)
        .when(close('superseded', 'Erstattet', '2025-hmn-03'), { actor: coordinator })
        .then([
          {
            type: 'OppdragClosed',
            data: {
              oppdragId: ID,
              outcome: 'superseded',
              reason: 'Erstattet',
              closedOn: day('2024-06-14'),
              supersededBy: '2025-hmn-03',
            },
          },
        ]);
    });

    it.each([
      ['withdrawn', null],
      ['withdrawn', ''],
      ['withdrawn', '   '],
      ['superseded', null],
      ['superseded', ' \t '],
    ] as const)('refuses to close as %s without a reason (%j)', (outcome, reason) => {
      given(...history)
        .when(close(outcome, reason), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });

    it.each(['completed', 'continued'] as const)(
      'refuses to close as %s before it is reported',
      (outcome) => {
        given(...history)
          .when(close(outcome, 'Ferdig'), { actor: coordinator })
          .thenRefuses(
            'INVALID_TRANSITION',
            `oppdrag ${ID} is assigned; it can be closed as ${outcome} only once reported (withdraw or supersede it instead)`,
          );
      },
    );

    it('refuses an outcome that does not exist', () => {
      const command = close('withdrawn', 'x');
      const bogus = {
        ...command,
        data: { ...command.data, outcome: 'cancelled' },
      } as unknown as OppdragCommand;
      given(...history)
        .when(bogus, { actor: coordinator })
        .thenRefuses('VALIDATION', 'outcome: must be one of completed, withdrawn, superseded, continued');
    });

    it('refuses supersededBy with any outcome but superseded', () => {
      given(...history)
        .when(close('withdrawn', 'Trukket', '2025-hmn-03'), { actor: coordinator })
        .thenRefuses('VALIDATION', 'supersededBy: is allowed only with outcome superseded');
    });

    it('refuses an oppdrag superseding itself', () => {
      given(...history)
        .when(close('superseded', 'Erstattet', ID), { actor: coordinator })
        .thenRefuses('VALIDATION', 'supersededBy: an oppdrag cannot supersede itself');
    });

    it('refuses supersededBy that is no oppdrag id', () => {
      given(...history)
        .when(close('superseded', 'Erstattet', 'Oppdrag 3'), { actor: coordinator })
        .thenRefuses('VALIDATION', /^supersededBy: must be lower-case letters/);
    });
  });

  describe('change the deadline', () => {
    it('records the old and new deadline and the reason', () => {
      const state = given(...history)
        .when(changeDeadline('2024-12-01', '  Avtalt i oppfølgingsmøtet  '), { actor: coordinator })
        .then([
          {
            type: 'DeadlineChanged',
            data: {
              oppdragId: ID,
              from: day('2024-10-01'),
              to: day('2024-12-01'),
              reason: 'Avtalt i oppfølgingsmøtet',
            },
          },
        ]);
      expect(state).toMatchObject({ deadline: '2024-12-01', status: 'assigned' });
    });

    it('may remove the stated deadline, leaving the Årlig melding as the deadline', () => {
      given(...history)
        .when(changeDeadline(null), { actor: coordinator })
        .then([
          {
            type: 'DeadlineChanged',
            data: {
              oppdragId: ID,
              from: day('2024-10-01'),
              to: null,
              reason: 'Ny frist avtalt i oppfølgingsmøtet',
            },
          },
        ]);
    });

    it('may set a deadline where the letter gave none', () => {
      given(assigned({ deadline: null }))
        .when(changeDeadline('2024-11-01'), { actor: coordinator })
        .then([
          {
            type: 'DeadlineChanged',
            data: {
              oppdragId: ID,
              from: null,
              to: day('2024-11-01'),
              reason: 'Ny frist avtalt i oppfølgingsmøtet',
            },
          },
        ]);
    });

    it.each(['', '   ', '\n'])('refuses a change without a reason (%j)', (reason) => {
      given(...history)
        .when(changeDeadline('2024-12-01', reason), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });

    it('refuses a change to the deadline it already has', () => {
      given(...history)
        .when(changeDeadline('2024-10-01'), { actor: coordinator })
        .thenRefuses('VALIDATION', 'deadline: is already 2024-10-01');
    });

    it('refuses a deadline that is no date', () => {
      given(...history)
        .when(changeDeadline('2024-13-01'), { actor: coordinator })
        .thenRefuses('VALIDATION', 'deadline: must be a calendar date YYYY-MM-DD');
    });
  });

  describe('reassign the lead', () => {
    it('records the old and new lead and the reason', () => {
      const state = given(...history)
        .when(reassignLead('helse-nord', 'Helse Nord overtar'), { actor: coordinator })
        .then([
          {
            type: 'AddresseeAdded',
            data: { oppdragId: ID, addressee: 'helse-nord', reason: 'Helse Nord overtar' },
          },
          {
            type: 'LeadReassigned',
            data: {
              oppdragId: ID,
              from: 'helse-midt-norge',
              to: 'helse-nord',
              reason: 'Helse Nord overtar',
              carriesPart: false,
            },
          },
        ]);
      expect(state).toMatchObject({ lead: 'helse-nord' });
    });

    it('may leave it to every RHF for itself (no lead)', () => {
      given(...history)
        .when(reassignLead(null, 'Alle RHF-ene hver for seg'), { actor: coordinator })
        .then([
          {
            type: 'LeadReassigned',
            data: {
              oppdragId: ID,
              from: 'helse-midt-norge',
              to: null,
              reason: 'Alle RHF-ene hver for seg',
              carriesPart: false,
            },
          },
        ]);
    });

    it.each(['', '  '])('refuses a reassignment without a reason (%j)', (reason) => {
      given(...history)
        .when(reassignLead('helse-nord', reason), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });

    it('refuses the lead it already has', () => {
      given(...history)
        .when(reassignLead('helse-midt-norge'), { actor: coordinator })
        .thenRefuses('VALIDATION', `lead: helse-midt-norge already leads oppdrag ${ID}`);
    });

    it('refuses a lead that is not an RHF', () => {
      given(...history)
        .when(reassignLead('helsedirektoratet'), { actor: coordinator })
        .thenRefuses('VALIDATION', /^lead: must be one of the four RHFs/);
    });

    it('refuses a collaborator as the new lead, since the lead cannot also collaborate', () => {
      given(...history)
        .when(reassignLead('helse-vest'), { actor: coordinator })
        .thenRefuses(
          'VALIDATION',
          `lead: Helse Vest RHF collaborates on oppdrag ${ID}; remove it as a collaborator before it can lead`,
        );
    });
  });

  describe('add a collaborator', () => {
    it('records the collaborator and the reason', () => {
      const state = given(...history)
        .when(addCollaborator(helsedirektoratet, 'Hdir leverer data'), { actor: coordinator })
        .then([
          {
            type: 'CollaboratorAdded',
            data: { oppdragId: ID, collaborator: helsedirektoratet, reason: 'Hdir leverer data' },
          },
        ]);
      expect(state).toMatchObject({ collaborators: [helseVest, fhi, helsedirektoratet] });
    });

    it.each(['', ' '])('refuses an addition without a reason (%j)', (reason) => {
      given(...history)
        .when(addCollaborator(helsedirektoratet, reason), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });

    it('refuses the lead as a collaborator', () => {
      given(...history)
        .when(addCollaborator({ id: 'helse-midt-norge', name: 'Helse Midt-Norge RHF' }), {
          actor: coordinator,
        })
        .thenRefuses(
          'VALIDATION',
          `collaborator: Helse Midt-Norge RHF leads oppdrag ${ID} and cannot also collaborate`,
        );
    });

    it('refuses a collaborator already on the oppdrag', () => {
      given(...history)
        .when(addCollaborator(fhi), { actor: coordinator })
        .thenRefuses(
          'VALIDATION',
          `collaborator: Folkehelseinstituttet is already a collaborator on oppdrag ${ID}`,
        );
    });

    it('refuses HOD as a collaborator', () => {
      given(...history)
        .when(addCollaborator({ id: 'hod', name: 'Helse- og omsorgsdepartementet' }), { actor: coordinator })
        .thenRefuses('VALIDATION', 'collaborator: HOD issues the oppdrag and cannot collaborate on it');
    });

    it('refuses a 51st collaborator', () => {
      const fifty = Array.from({ length: 50 }, (_, i) => ({ id: `kommune-${i}`, name: `Kommune ${i}` }));
      given(assigned({ collaborators: fifty }))
        .when(addCollaborator(), { actor: coordinator })
        .thenRefuses('VALIDATION', 'collaborator: an oppdrag has at most 50 collaborators');
    });
  });

  describe('remove a collaborator', () => {
    it('records which collaborator left and why', () => {
      const state = given(...history)
        .when(removeCollaborator('folkehelseinstituttet', 'FHI deltar ikke'), { actor: coordinator })
        .then([
          {
            type: 'CollaboratorRemoved',
            data: { oppdragId: ID, collaboratorId: 'folkehelseinstituttet', reason: 'FHI deltar ikke' },
          },
        ]);
      expect(state).toMatchObject({ collaborators: [helseVest] });
    });

    it.each(['', '\t'])('refuses a removal without a reason (%j)', (reason) => {
      given(...history)
        .when(removeCollaborator('folkehelseinstituttet', reason), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });

    it('refuses to remove an organisation that does not collaborate', () => {
      given(...history)
        .when(removeCollaborator('nav'), { actor: coordinator })
        .thenRefuses('VALIDATION', `collaboratorId: "nav" is not a collaborator on oppdrag ${ID}`);
    });

    it('lets a removed collaborator then lead', () => {
      given(assigned(), {
        type: 'CollaboratorRemoved',
        data: { oppdragId: ID, collaboratorId: 'helse-vest', reason: 'Skal lede' },
      })
        .when(reassignLead('helse-vest', 'Helse Vest leder'), { actor: coordinator })
        .then([
          {
            type: 'AddresseeAdded',
            data: { oppdragId: ID, addressee: 'helse-vest', reason: 'Helse Vest leder' },
          },
          {
            type: 'LeadReassigned',
            data: {
              oppdragId: ID,
              from: 'helse-midt-norge',
              to: 'helse-vest',
              reason: 'Helse Vest leder',
              carriesPart: false,
            },
          },
        ]);
    });
  });

  it('has its deadline recorded as passed by the engine once the deadline day is over', () => {
    given(...history)
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-10-02T08:00:00Z' })
      .then([
        {
          type: 'DeadlinePassed',
          data: { oppdragId: ID, deadline: day('2024-10-01'), passedOn: day('2024-10-02') },
        },
      ]);
  });

  it('has an unmet milestone recorded as due by the engine once its due day is over', () => {
    given(...history)
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .then([
        {
          type: 'MilestoneDue',
          data: {
            oppdragId: ID,
            milestoneId: statusrapport.id,
            dueDate: day('2024-05-01'),
            passedOn: day('2024-05-02'),
          },
        },
      ]);
  });

  it('refuses to record a milestone it does not have as due', () => {
    given(...history)
      .when(recordMilestoneDue('sluttrapport'), { actor: engine })
      .thenRefuses('VALIDATION', `milestoneId: oppdrag ${ID} has no milestone "sluttrapport"`);
  });
});

describe('a started oppdrag', () => {
  const history = [assigned(), started('2024-03-01')];

  it('cannot be started again', () => {
    given(...history)
      .when(start('2024-06-01'), { actor: leadRhfUser })
      .thenRefuses(
        'INVALID_TRANSITION',
        `Helse Midt-Norge RHF's part of oppdrag ${ID} is started; only an assigned part can be started`,
      );
  });

  it('records a milestone without starting it again', () => {
    given(...history)
      .when(recordMilestone(statusrapport.id, '2024-04-20'), { actor: leadRhfUser })
      .then([
        {
          type: 'MilestoneReported',
          data: {
            oppdragId: ID,
            part: LEAD,
            milestoneId: statusrapport.id,
            reportedOn: day('2024-04-20'),
            documentRef: 'sak 24/555',
            note: null,
          },
        },
      ]);
  });

  it('refuses a milestone that was already reported', () => {
    given(...history, milestoneReported(statusrapport.id, '2024-04-20'))
      .when(recordMilestone(statusrapport.id, '2024-04-21'), { actor: leadRhfUser })
      .thenRefuses(
        'INVALID_TRANSITION',
        `milestone ${statusrapport.id} of oppdrag ${ID} was already reported by Helse Midt-Norge RHF on 2024-04-20`,
      );
  });

  it('is reported with OppdragReported alone', () => {
    const state = given(...history)
      .when(report('2024-06-10'), { actor: leadRhfUser })
      .then([
        {
          type: 'OppdragReported',
          data: {
            oppdragId: ID,
            part: LEAD,
            reportedOn: day('2024-06-10'),
            documentRef: 'sak 24/1234',
            summary: null,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'reported', startedOn: '2024-03-01', reportedOn: '2024-06-10' });
  });

  it('may be reported on the day it was started', () => {
    given(...history)
      .when(report('2024-03-01'), { actor: leadRhfUser })
      .accepted();
  });

  it('refuses a report dated before the day it was started', () => {
    given(...history)
      .when(report('2024-02-29'), { actor: leadRhfUser })
      .thenRefuses(
        'VALIDATION',
        "reportedOn: must not be before the day Helse Midt-Norge RHF's part was started (2024-03-01)",
      );
  });

  it('refuses a report dated in the future', () => {
    given(...history)
      .when(report('2024-06-15'), { actor: leadRhfUser })
      .thenRefuses('VALIDATION', 'reportedOn: must not be after today (2024-06-14)');
  });

  it('cannot be reopened', () => {
    given(...history)
      .when(reopen(), { actor: coordinator })
      .thenRefuses(
        'INVALID_TRANSITION',
        `Helse Midt-Norge RHF's part of oppdrag ${ID} is started; only a reported part or a closed oppdrag can be reopened`,
      );
  });

  it('may be withdrawn with a reason', () => {
    given(...history)
      .when(close('withdrawn', 'Trukket'), { actor: coordinator })
      .then([
        {
          type: 'OppdragClosed',
          data: {
            oppdragId: ID,
            outcome: 'withdrawn',
            reason: 'Trukket',
            closedOn: day('2024-06-14'),
            supersededBy: null,
          },
        },
      ]);
  });

  it('refuses a superseding close without a reason', () => {
    given(...history)
      .when(close('superseded', '  ', '2025-hmn-03'), { actor: coordinator })
      .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
  });

  it.each(['completed', 'continued'] as const)('cannot be closed as %s before it is reported', (outcome) => {
    given(...history)
      .when(close(outcome), { actor: coordinator })
      .thenRefuses(
        'INVALID_TRANSITION',
        `oppdrag ${ID} is started; it can be closed as ${outcome} only once reported`,
      );
  });

  it.each<[string, OppdragCommand, string]>([
    ['change the deadline', changeDeadline('2024-12-01'), 'DeadlineChanged'],
    [
      'reassign the lead (to an RHF not yet addressed)',
      reassignLead('helse-nord'),
      'AddresseeAdded,LeadReassigned',
    ],
    ['add a collaborator', addCollaborator(), 'CollaboratorAdded'],
    ['remove a collaborator', removeCollaborator(), 'CollaboratorRemoved'],
  ])('lets a coordinator %s', (_what, command, type) => {
    expect(
      given(...history)
        .when(command, { actor: coordinator })
        .accepted()
        .map((e) => e.type),
    ).toEqual(type.split(','));
  });

  it.each<[string, OppdragCommand]>([
    ['change the deadline', changeDeadline('2024-12-01', ' ')],
    ['reassign the lead', reassignLead('helse-nord', ' ')],
    ['add a collaborator', addCollaborator(helsedirektoratet, ' ')],
    ['remove a collaborator', removeCollaborator(fhi.id, ' ')],
  ])('refuses to %s without a reason', (_what, command) => {
    given(...history)
      .when(command, { actor: coordinator })
      .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
  });
});

describe('a reported oppdrag', () => {
  const history = [assigned(), started('2024-03-01'), reported('2024-06-01')];

  it('cannot be started', () => {
    given(...history)
      .when(start('2024-06-01'), { actor: leadRhfUser })
      .thenRefuses(
        'INVALID_TRANSITION',
        `Helse Midt-Norge RHF's part of oppdrag ${ID} is reported; only an assigned part can be started`,
      );
  });

  it('cannot be reported again until a coordinator reopens it', () => {
    given(...history)
      .when(report('2024-06-10'), { actor: leadRhfUser })
      .thenRefuses(
        'INVALID_TRANSITION',
        `oppdrag ${ID} is already reported; a coordinator must reopen it first`,
      );
  });

  it('still accepts a milestone delivered late, without changing its status', () => {
    const state = given(...history)
      .when(recordMilestone(statusrapport.id, '2024-06-02'), { actor: leadRhfUser })
      .then([
        {
          type: 'MilestoneReported',
          data: {
            oppdragId: ID,
            part: LEAD,
            milestoneId: statusrapport.id,
            reportedOn: day('2024-06-02'),
            documentRef: 'sak 24/555',
            note: null,
          },
        },
      ]);
    expect(state.status).toBe('reported');
  });

  describe('reopen', () => {
    it('goes back to started, with the reason, and forgets the report', () => {
      const state = given(...history)
        .when(reopen('  Rapporten manglet økonomidelen '), { actor: coordinator })
        .then([
          {
            type: 'OppdragReopened',
            data: {
              oppdragId: ID,
              reason: 'Rapporten manglet økonomidelen',
              scope: 'report',
              part: LEAD,
              reopenedOn: day('2024-06-14'),
            },
          },
        ]);
      expect(state).toMatchObject({
        status: 'started',
        startedOn: '2024-03-01',
        reportedOn: null,
        documentRef: null,
      });
    });

    it.each(['', '   '])('refuses to reopen without a reason (%j)', (reason) => {
      given(...history)
        .when(reopen(reason), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });

    it('lets the lead RHF report again once reopened', () => {
      given(...history, reopened())
        .when(report('2024-06-12', 'sak 24/2000'), { actor: leadRhfUser })
        .then([
          {
            type: 'OppdragReported',
            data: {
              oppdragId: ID,
              part: LEAD,
              reportedOn: day('2024-06-12'),
              documentRef: 'sak 24/2000',
              summary: null,
            },
          },
        ]);
    });
  });

  describe('close', () => {
    it('is closed as completed, a reason being optional', () => {
      const state = given(...history)
        .when(close('completed'), { actor: coordinator })
        .then([
          {
            type: 'OppdragClosed',
            data: {
              oppdragId: ID,
              outcome: 'completed',
              reason: null,
              closedOn: day('2024-06-14'),
              supersededBy: null,
            },
          },
        ]);
      expect(state).toMatchObject({
        status: 'closed',
        closed: { outcome: 'completed', closedOn: '2024-06-14', reason: null },
      });
    });

    it('treats an optional reason of only spaces as none', () => {
      given(...history)
        .when(close('completed', '   '), { actor: coordinator })
        .then([
          {
            type: 'OppdragClosed',
            data: {
              oppdragId: ID,
              outcome: 'completed',
              reason: null,
              closedOn: day('2024-06-14'),
              supersededBy: null,
            },
          },
        ]);
    });

    it('is closed as continued, keeping a reason that is given', () => {
      given(...history)
        .when(close('continued', ' Videreføres i 2025 '), { actor: coordinator })
        .then([
          {
            type: 'OppdragClosed',
            data: {
              oppdragId: ID,
              outcome: 'continued',
              reason: 'Videreføres i 2025',
              closedOn: day('2024-06-14'),
              supersededBy: null,
            },
          },
        ]);
    });

    it('uses the Oslo day as the closing day', () => {
      const [event] = given(...history)
        .when(close('completed'), { actor: coordinator, now: '2024-12-31T23:15:00Z' })
        .accepted();
      expect(event).toMatchObject({ data: { closedOn: '2025-01-01' } });
    });

    it.each(['withdrawn', 'superseded'] as const)('still needs a reason to close as %s', (outcome) => {
      given(...history)
        .when(close(outcome, ''), { actor: coordinator })
        .thenRefuses('VALIDATION', 'reason: is required and must not be blank');
    });
  });

  it.each<[string, OppdragCommand, string]>([
    ['change the deadline', changeDeadline('2024-12-01'), 'DeadlineChanged'],
    [
      'reassign the lead (to an RHF not yet addressed)',
      reassignLead('helse-nord'),
      'AddresseeAdded,LeadReassigned',
    ],
    ['add a collaborator', addCollaborator(), 'CollaboratorAdded'],
    ['remove a collaborator', removeCollaborator(), 'CollaboratorRemoved'],
  ])('still lets a coordinator %s', (_what, command, type) => {
    expect(
      given(...history)
        .when(command, { actor: coordinator })
        .accepted()
        .map((e) => e.type),
    ).toEqual(type.split(','));
  });

  it('does not have its deadline recorded as passed, since it was met', () => {
    given(...history)
      .when(recordDeadlinePassed(), { actor: engine, now: '2024-11-01T12:00:00Z' })
      .thenRefuses('INVALID_TRANSITION', `oppdrag ${ID} is reported; its deadline was met`);
  });

  it('still has an unmet milestone recorded as due (the oppdrag is not closed)', () => {
    given(...history)
      .when(recordMilestoneDue(statusrapport.id), { actor: engine })
      .then([
        {
          type: 'MilestoneDue',
          data: {
            oppdragId: ID,
            milestoneId: statusrapport.id,
            dueDate: day('2024-05-01'),
            passedOn: day('2024-05-02'),
          },
        },
      ]);
  });
});

describe('a closed oppdrag', () => {
  const history = [
    assigned(),
    started('2024-03-01'),
    reported('2024-06-01'),
    closed('completed', '2024-06-10'),
  ];
  const closedMessage = (verb: string): string =>
    `oppdrag ${ID} is closed (completed); cannot ${verb} a closed oppdrag`;

  it.each<[string, OppdragCommand, typeof coordinator, string]>([
    ['StartOppdrag', start(), leadRhfUser, closedMessage('start')],
    [
      'RecordMilestone',
      recordMilestone(underveis.id, '2024-06-12'),
      leadRhfUser,
      closedMessage('record a milestone on'),
    ],
    ['ReportOppdrag', report(), leadRhfUser, closedMessage('report')],
    ['CloseOppdrag (completed)', close('completed'), coordinator, closedMessage('close')],
    ['CloseOppdrag (withdrawn)', close('withdrawn', 'Trukket'), coordinator, closedMessage('close')],
    ['ChangeDeadline', changeDeadline('2024-12-01'), coordinator, closedMessage('change the deadline of')],
    ['ReassignLead', reassignLead('helse-nord'), coordinator, closedMessage('reassign the lead of')],
    ['AddCollaborator', addCollaborator(), coordinator, closedMessage('add a collaborator to')],
    ['RemoveCollaborator', removeCollaborator(), coordinator, closedMessage('remove a collaborator from')],
    ['RecordDeadlinePassed', recordDeadlinePassed(), engine, closedMessage('record a passed deadline on')],
    [
      'RecordMilestoneDue',
      recordMilestoneDue(underveis.id),
      engine,
      closedMessage('record a due milestone on'),
    ],
  ])('refuses %s, even from the actor who could otherwise do it', (_type, command, actor, message) => {
    given(...history)
      .when(command, { actor, now: '2025-06-01T12:00:00Z' })
      .thenRefuses('INVALID_TRANSITION', message);
  });

  it('refuses to be assigned again', () => {
    given(...history)
      .when(assign(), { actor: coordinator })
      .thenRefuses('INVALID_TRANSITION', `oppdrag ${ID} is already assigned`);
  });

  it('names the outcome it was closed with', () => {
    given(assigned(), closed('withdrawn'))
      .when(report('2024-06-10'), { actor: leadRhfUser })
      .thenRefuses(
        'INVALID_TRANSITION',
        `oppdrag ${ID} is closed (withdrawn); cannot report a closed oppdrag`,
      );
  });

  it('refuses an auditor on role grounds before anything else', () => {
    given(...history)
      .when(reopen(), { actor: auditor })
      .thenRefuses('FORBIDDEN', 'rule "auditors write nothing"');
  });

  it('is terminal after a deadline change too', () => {
    given(assigned(), deadlineChanged('2024-10-01', '2024-12-01'), closed('withdrawn'))
      .when(changeDeadline('2025-01-01'), { actor: coordinator })
      .thenRefuses(
        'INVALID_TRANSITION',
        closedMessage('change the deadline of').replace('completed', 'withdrawn'),
      );
  });
});
