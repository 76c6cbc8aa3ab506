/**
 * Who may do what: every role against every command, on an oppdrag where the command would otherwise be
 * accepted, so that a refusal can only come from the role rules. Each refusal names the rule that refused it.
 */
import type { Actor, OppdragCommand, OppdragCommandType, OppdragEvent } from '../src/index.js';
import {
  addCollaborator,
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
  RecordDeadlinePassed: {
    history: [assigned({ deadline: day('2024-05-31') })],
    command: recordDeadlinePassed(),
  },
  RecordMilestoneDue: { history: [assigned()], command: recordMilestoneDue() },
};

const COORDINATOR_RULE = (type: string): string => `rule "only a HOD coordinator may ${type}"`;
const LEAD_RULE = (type: string): string => `rule "only a member of the lead RHF may ${type}"`;
const ENGINE_RULE = (type: string): string => `rule "only the engine records ${type}"`;
const AUDITOR_RULE = 'rule "auditors write nothing"';

const coordinatorCommand = { rule: COORDINATOR_RULE, allowed: ['coordinator@hod'] as RoleName[] };
const leadCommand = { rule: LEAD_RULE, allowed: ['rhf of the lead'] as RoleName[] };
const engineCommand = { rule: ENGINE_RULE, allowed: ['system'] as RoleName[] };

/** The table of the domain document ("Who may do what"), plus the engine's own commands. */
const MATRIX: Record<OppdragCommandType, { rule: (type: string) => string; allowed: RoleName[] }> = {
  AssignOppdrag: coordinatorCommand,
  StartOppdrag: leadCommand,
  RecordMilestone: leadCommand,
  ReportOppdrag: leadCommand,
  ReopenOppdrag: coordinatorCommand,
  CloseOppdrag: coordinatorCommand,
  ChangeDeadline: coordinatorCommand,
  ReassignLead: coordinatorCommand,
  AddCollaborator: coordinatorCommand,
  RemoveCollaborator: coordinatorCommand,
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
    expect(new Set(cases.map((c) => c.type)).size).toBe(12);
    expect(cases).toHaveLength(12 * 6);
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

  it('refuses a user of one RHF reporting on an oppdrag another RHF leads, naming the lead', () => {
    given(assigned())
      .when(report(), { actor: otherRhfUser })
      .thenRefuses(
        'FORBIDDEN',
        `rule "only a member of the lead RHF may ReportOppdrag": oppdrag ${ID} is led by Helse Midt-Norge RHF, not helse-vest`,
      );
  });

  it('refuses a collaborating RHF too: collaborating is not leading', () => {
    // Helse Vest collaborates on the default oppdrag.
    given(assigned())
      .when(start(), { actor: otherRhfUser })
      .thenRefuses('FORBIDDEN', `oppdrag ${ID} is led by Helse Midt-Norge RHF, not helse-vest`);
  });

  it('refuses a coordinator who tries to report on behalf of an RHF', () => {
    given(assigned())
      .when(report(), { actor: coordinator })
      .thenRefuses(
        'FORBIDDEN',
        'rule "only a member of the lead RHF may ReportOppdrag": Kari Nordmann is coordinator',
      );
  });

  it('refuses a user recording time-driven events by hand', () => {
    given(assigned({ deadline: day('2024-05-31') }))
      .when(recordDeadlinePassed(), { actor: coordinator })
      .thenRefuses(
        'FORBIDDEN',
        'rule "only the engine records RecordDeadlinePassed": Kari Nordmann is coordinator',
      );
  });

  describe('an oppdrag with no lead ("all RHFs, each for itself")', () => {
    const noLead = assigned({ lead: null, collaborators: [] });

    it.each(['helse-sor-ost', 'helse-vest', 'helse-midt-norge', 'helse-nord'])(
      'refuses every lead command from a member of %s',
      (organisationId) => {
        const actor: Actor = {
          userId: `u-${organisationId}`,
          name: 'RHF-bruker',
          role: 'rhf',
          organisationId,
        };
        for (const command of [start(), recordMilestone(), report()]) {
          given(noLead)
            .when(command, { actor })
            .thenRefuses('FORBIDDEN', `oppdrag ${ID} is led by no RHF, not ${organisationId}`);
        }
      },
    );
  });

  describe('after the lead is reassigned', () => {
    const history = [
      assigned(),
      {
        type: 'LeadReassigned',
        data: { oppdragId: ID, from: 'helse-midt-norge', to: 'helse-nord', reason: 'Helse Nord overtar' },
      } satisfies OppdragEvent,
    ];
    const helseNordUser: Actor = {
      userId: 'u-nils',
      name: 'Nils Nord',
      role: 'rhf',
      organisationId: 'helse-nord',
    };

    it('lets the new lead report', () => {
      given(...history)
        .when(report(), { actor: helseNordUser })
        .accepted();
    });

    it('refuses the former lead', () => {
      given(...history)
        .when(report(), { actor: leadRhfUser })
        .thenRefuses('FORBIDDEN', `oppdrag ${ID} is led by Helse Nord RHF, not helse-midt-norge`);
    });
  });

  it('checks the role before the state: a forbidden actor learns nothing about the oppdrag', () => {
    given().when(report(), { actor: auditor }).thenRefuses('FORBIDDEN', AUDITOR_RULE);
    given()
      .when(reopen(), { actor: leadRhfUser })
      .thenRefuses('FORBIDDEN', COORDINATOR_RULE('ReopenOppdrag'));
  });
});
