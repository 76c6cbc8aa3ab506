/**
 * Who may do what: every role against every command, on an oppdrag where the command would otherwise be
 * accepted, so that a refusal can only come from the role rules. Each refusal names the rule that refused it.
 */
import {
  RHF_IDS,
  type Actor,
  type OppdragCommand,
  type OppdragCommandType,
  type OppdragEvent,
} from '../src/index.js';
import {
  addAddressee,
  addCollaborator,
  addMilestone,
  addSource,
  changeMilestone,
  correctDetails,
  removeAddressee,
  removeMilestone,
  assign,
  assigned,
  auditor,
  changeDeadline,
  close,
  coordinator,
  coordinatorAtHelseVest,
  day,
  engine,
  EVERY_COMMAND_TYPE,
  ID,
  LEAD,
  leadRhfUser,
  otherRhfUser,
  reassignLead,
  recordDeadlinePassed,
  recordMilestone,
  recordMilestoneDue,
  removeCollaborator,
  reopen,
  report,
  reported,
  start,
  started,
} from './support/fixtures.js';
import { given } from './support/given.js';

type RoleName =
  | 'coordinator@hod'
  | 'coordinator@helse-vest'
  | 'rhf of the lead'
  | 'rhf of another RHF'
  | 'auditor'
  | 'system';

const ROLES: Record<RoleName, Actor> = {
  'coordinator@hod': coordinator,
  'coordinator@helse-vest': coordinatorAtHelseVest,
  'rhf of the lead': leadRhfUser,
  'rhf of another RHF': otherRhfUser,
  auditor,
  system: engine,
};

/** For each command: a history and a command that the rightful actor gets accepted (on 2024-06-14). */
const SETUPS: Record<OppdragCommandType, { history: OppdragEvent[]; command: OppdragCommand }> = {
  AssignOppdrag: { history: [], command: assign() },
  StartOppdrag: { history: [assigned()], command: start() },
  RecordMilestone: { history: [assigned()], command: recordMilestone() },
  ReportOppdrag: { history: [assigned()], command: report() },
  ReopenOppdrag: { history: [assigned(), started(), reported()], command: reopen() },
  CloseOppdrag: { history: [assigned()], command: close('withdrawn', 'Trukket i tilleggsdokument') },
  ChangeDeadline: { history: [assigned()], command: changeDeadline('2024-12-01') },
  ReassignLead: { history: [assigned()], command: reassignLead('helse-nord') },
  AddCollaborator: { history: [assigned()], command: addCollaborator() },
  RemoveCollaborator: { history: [assigned()], command: removeCollaborator() },
  AddAddressee: { history: [assigned()], command: addAddressee() },
  RemoveAddressee: { history: [assigned({ addressees: [LEAD, 'helse-nord'] })], command: removeAddressee() },
  AddSource: { history: [assigned()], command: addSource() },
  CorrectDetails: {
    history: [assigned()],
    command: correctDetails({ title: 'Utrede felles kjernejournal' }),
  },
  AddMilestone: { history: [assigned()], command: addMilestone() },
  ChangeMilestone: { history: [assigned()], command: changeMilestone({ dueDate: '2024-05-15' }) },
  RemoveMilestone: { history: [assigned()], command: removeMilestone() },
  RecordDeadlinePassed: {
    history: [assigned({ deadline: day('2024-05-31') })],
    command: recordDeadlinePassed(),
  },
  RecordMilestoneDue: { history: [assigned()], command: recordMilestoneDue() },
};

const COORDINATOR_RULE = (type: string): string => `rule "only a HOD coordinator may ${type}"`;
const PART_RULE = (): string => 'rule "an RHF acts only on its own part of an oppdrag addressed to it"';
const ENGINE_RULE = (type: string): string => `rule "only the engine records ${type}"`;
const AUDITOR_RULE = 'rule "auditors write nothing"';

const coordinatorCommand = { rule: COORDINATOR_RULE, allowed: ['coordinator@hod'] as RoleName[] };
const partCommand = { rule: PART_RULE, allowed: ['rhf of the lead'] as RoleName[] };
const engineCommand = { rule: ENGINE_RULE, allowed: ['system'] as RoleName[] };

/** The table of the domain document ("Who may do what"), plus the engine's own commands. */
const MATRIX: Record<OppdragCommandType, { rule: (type: string) => string; allowed: RoleName[] }> = {
  AssignOppdrag: coordinatorCommand,
  StartOppdrag: partCommand,
  RecordMilestone: partCommand,
  ReportOppdrag: partCommand,
  ReopenOppdrag: coordinatorCommand,
  CloseOppdrag: coordinatorCommand,
  ChangeDeadline: coordinatorCommand,
  ReassignLead: coordinatorCommand,
  AddCollaborator: coordinatorCommand,
  RemoveCollaborator: coordinatorCommand,
  AddAddressee: coordinatorCommand,
  RemoveAddressee: coordinatorCommand,
  AddSource: coordinatorCommand,
  CorrectDetails: coordinatorCommand,
  AddMilestone: coordinatorCommand,
  ChangeMilestone: coordinatorCommand,
  RemoveMilestone: coordinatorCommand,
  RecordDeadlinePassed: engineCommand,
  RecordMilestoneDue: engineCommand,
};

const cases = EVERY_COMMAND_TYPE.flatMap((type) =>
  (Object.keys(ROLES) as RoleName[]).map((role) => ({
    type,
    role,
    allowed: MATRIX[type].allowed.includes(role),
  })),
);

describe('the role matrix', () => {
  it('covers every command type and every role', () => {
    expect(new Set(cases.map((c) => c.type)).size).toBe(19);
    expect(cases).toHaveLength(19 * 6);
  });

  it.each(cases.filter((c) => c.allowed))('$role may $type', ({ type, role }) => {
    const { history, command } = SETUPS[type];
    expect(
      given(...history)
        .when(command, { actor: ROLES[role] })
        .accepted().length,
    ).toBeGreaterThan(0);
  });

  it.each(cases.filter((c) => !c.allowed))('$role may not $type', ({ type, role }) => {
    const { history, command } = SETUPS[type];
    const rule = role === 'auditor' ? AUDITOR_RULE : MATRIX[type].rule(type);
    given(...history)
      .when(command, { actor: ROLES[role] })
      .thenRefuses('FORBIDDEN', rule);
  });
});

describe('the rules, as a person reads them', () => {
  it('tells an auditor that auditors write nothing, naming the command', () => {
    given(assigned())
      .when(changeDeadline('2024-12-01'), { actor: auditor })
      .thenRefuses(
        'FORBIDDEN',
        'rule "auditors write nothing": Anne Revisor is an auditor and cannot ChangeDeadline',
      );
  });

  it('tells a coordinator outside HOD where they are, not just that they are a coordinator', () => {
    given(assigned())
      .when(close('withdrawn', 'Trukket'), { actor: coordinatorAtHelseVest })
      .thenRefuses(
        'FORBIDDEN',
        'rule "only a HOD coordinator may CloseOppdrag": Ola Vestmann is coordinator at helse-vest',
      );
  });

  it('refuses a user of an RHF the oppdrag is not addressed to, naming the addressees', () => {
    given(assigned())
      .when(report(), { actor: otherRhfUser })
      .thenRefuses(
        'FORBIDDEN',
        `rule "an RHF acts only on its own part of an oppdrag addressed to it": oppdrag ${ID} is addressed to Helse Midt-Norge RHF, not Helse Vest RHF`,
      );
  });

  it('refuses a collaborating RHF too: collaborating is not being addressed', () => {
    // Helse Vest collaborates on the default oppdrag.
    given(assigned())
      .when(start(), { actor: otherRhfUser })
      .thenRefuses('FORBIDDEN', `oppdrag ${ID} is addressed to Helse Midt-Norge RHF, not Helse Vest RHF`);
  });

  it('refuses a coordinator who tries to report on behalf of an RHF', () => {
    given(assigned())
      .when(report(), { actor: coordinator })
      .thenRefuses(
        'FORBIDDEN',
        'rule "an RHF acts only on its own part of an oppdrag addressed to it": Kari Nordmann is coordinator at hod, not an RHF user',
      );
  });

  it("refuses an RHF user who names another RHF's part, even of an oppdrag addressed to both", () => {
    given(assigned({ addressees: [LEAD, 'helse-vest'], collaborators: [] }))
      .when(
        {
          type: 'ReportOppdrag',
          data: { oppdragId: ID, part: LEAD, reportedOn: day('2024-06-10'), documentRef: 'x', summary: null },
        },
        { actor: otherRhfUser },
      )
      .thenRefuses('FORBIDDEN', "Per Vest of Helse Vest RHF cannot act on Helse Midt-Norge RHF's part");
  });

  it('refuses a user recording time-driven events by hand', () => {
    given(assigned({ deadline: day('2024-05-31') }))
      .when(recordDeadlinePassed(), { actor: coordinator })
      .thenRefuses(
        'FORBIDDEN',
        'rule "only the engine records RecordDeadlinePassed": Kari Nordmann is coordinator',
      );
  });

  describe('an oppdrag with no lead, addressed to all four RHFs ("each for itself")', () => {
    const noLead = assigned({ lead: null, addressees: [...RHF_IDS], collaborators: [] });

    it.each([...RHF_IDS])(
      'lets a member of %s start, record milestones on and report its own part',
      (rhf) => {
        const actor: Actor = { userId: `u-${rhf}`, name: 'RHF-bruker', role: 'rhf', organisationId: rhf };
        for (const command of [start(), recordMilestone(), report()]) {
          const events = given(noLead).when(command, { actor }).accepted();
          expect(events.every((e) => 'part' in e.data && e.data.part === rhf)).toBe(true);
        }
      },
    );
  });

  describe('after the lead is reassigned', () => {
    const history = [
      assigned(),
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
    ] satisfies OppdragEvent[];
    const helseNordUser: Actor = {
      userId: 'u-nils',
      name: 'Nils Nord',
      role: 'rhf',
      organisationId: 'helse-nord',
    };

    it('lets the new lead report, which reports the oppdrag', () => {
      const decision = given(...history).when(report(), { actor: helseNordUser });
      expect(decision.accepted().map((e) => e.type)).toEqual(['OppdragStarted', 'OppdragReported']);
      expect(decision.state().status).toBe('reported');
    });

    it('lets the former lead, still addressed, report its own part, which does not report the oppdrag', () => {
      const decision = given(...history).when(report(), { actor: leadRhfUser });
      expect(decision.accepted().map((e) => e.type)).toEqual(['OppdragStarted', 'OppdragReported']);
      expect(decision.state().status).toBe('started');
    });
  });

  it('checks the role before the state: a forbidden actor learns nothing about the oppdrag', () => {
    given().when(report(), { actor: auditor }).thenRefuses('FORBIDDEN', AUDITOR_RULE);
    given()
      .when(reopen(), { actor: leadRhfUser })
      .thenRefuses('FORBIDDEN', COORDINATOR_RULE('ReopenOppdrag'));
  });
});
