/**
 * Named actors, events and commands for the specifications, so that each test states only what matters to it.
 */
import type {
  Actor,
  CalendarDate,
  CloseOutcome,
  OppdragAssigned,
  OppdragCommand,
  OppdragEvent,
  OrganisationRef,
  PlannedMilestone,
} from '../../src/index.js';

export const ID = '2024-hmn-07';

/** A business date in a test: checked by the type only, so tests may also pass text that is no date. */
export const day = (text: string): CalendarDate => text as CalendarDate;

export const coordinator: Actor = {
  userId: 'u-kari',
  name: 'Kari Nordmann',
  role: 'coordinator',
  organisationId: 'hod',
};
export const coordinatorAtHelseVest: Actor = {
  userId: 'u-ola',
  name: 'Ola Vestmann',
  role: 'coordinator',
  organisationId: 'helse-vest',
};
/** A member of Helse Midt-Norge, the lead RHF of the default oppdrag. */
export const leadRhfUser: Actor = {
  userId: 'u-siri',
  name: 'Siri Midt',
  role: 'rhf',
  organisationId: 'helse-midt-norge',
};
/** A member of Helse Vest, which collaborates on but does not lead the default oppdrag. */
export const otherRhfUser: Actor = {
  userId: 'u-per',
  name: 'Per Vest',
  role: 'rhf',
  organisationId: 'helse-vest',
};
export const auditor: Actor = {
  userId: 'u-anne',
  name: 'Anne Revisor',
  role: 'auditor',
  organisationId: 'hod',
};
export const engine: Actor = {
  userId: 'system:deadline-watcher',
  name: 'Fristvakt',
  role: 'system',
  organisationId: 'hod',
};

export const helseVest: OrganisationRef = { id: 'helse-vest', name: 'Helse Vest RHF' };
export const fhi: OrganisationRef = { id: 'folkehelseinstituttet', name: 'Folkehelseinstituttet' };
export const helsedirektoratet: OrganisationRef = { id: 'helsedirektoratet', name: 'Helsedirektoratet' };

export const statusrapport: PlannedMilestone = {
  id: 'statusrapport-1',
  kind: 'statusrapport',
  title: 'Statusrapport til HOD',
  dueDate: day('2024-05-01'),
};
export const underveis: PlannedMilestone = {
  id: 'underveis-2',
  kind: 'underveisrapportering',
  title: 'Underveisrapportering',
  dueDate: day('2024-09-01'),
};

export type AssignmentData = OppdragAssigned['data'];

/** The lead of the default oppdrag, whose part the default events are about. */
export const LEAD = 'helse-midt-norge';

/** The data of a 2024 oppdrag led by Helse Midt-Norge with a stated deadline of 1 October 2024. */
export function assignment(overrides: Partial<AssignmentData> = {}): AssignmentData {
  return {
    oppdragId: ID,
    year: 2024,
    title: 'Utrede felles løsning for kjernejournal',
    description:
      'De regionale helseforetakene skal, under ledelse av Helse Midt-Norge RHF, utrede en felles løsning.',
    hovedmal: { number: 2, title: 'Bedre samhandling' },
    sources: [
      {
        letter: 'oppdragsdokument-2024-hmn',
        recipient: 'helse-midt-norge',
        letterKind: 'hoveddokument',
        section: { number: 2, title: 'Bedre samhandling' },
        heading: null,
        lineStart: 120,
        lineEnd: 124,
      },
    ],
    addressees: ['helse-midt-norge'],
    lead: 'helse-midt-norge',
    collaborators: [helseVest, fhi],
    deadline: day('2024-10-01'),
    milestones: [statusrapport, underveis],
    assignedOn: day('2024-01-10'),
    ...overrides,
  };
}

// Events ---------------------------------------------------------------------------------------------------

export const assigned = (overrides: Partial<AssignmentData> = {}): OppdragEvent => ({
  type: 'OppdragAssigned',
  data: assignment(overrides),
});
export const started = (startedOn = '2024-03-01'): OppdragEvent => ({
  type: 'OppdragStarted',
  data: { oppdragId: ID, part: LEAD, startedOn: day(startedOn) },
});
export const reported = (reportedOn = '2024-06-01', documentRef = 'sak 24/1234'): OppdragEvent => ({
  type: 'OppdragReported',
  data: { oppdragId: ID, part: LEAD, reportedOn: day(reportedOn), documentRef, summary: null },
});
export const milestoneReported = (milestoneId: string, reportedOn: string): OppdragEvent => ({
  type: 'MilestoneReported',
  data: {
    oppdragId: ID,
    part: LEAD,
    milestoneId,
    reportedOn: day(reportedOn),
    documentRef: 'sak 24/999',
    note: null,
  },
});
export const reopened = (
  reason = 'Rapporten manglet økonomidelen',
  reopenedOn: string | null = null,
): OppdragEvent => ({
  type: 'OppdragReopened',
  data: {
    oppdragId: ID,
    reason,
    scope: 'report',
    part: LEAD,
    reopenedOn: reopenedOn === null ? null : day(reopenedOn),
  },
});
export const closed = (outcome: CloseOutcome = 'completed', closedOn = '2024-06-10'): OppdragEvent => ({
  type: 'OppdragClosed',
  data: {
    oppdragId: ID,
    outcome,
    reason: outcome === 'completed' || outcome === 'continued' ? null : 'Erstattet av nytt oppdrag',
    closedOn: day(closedOn),
    supersededBy: null,
  },
});
export const deadlineChanged = (
  from: string | null,
  to: string | null,
  reason = 'Ny frist avtalt',
): OppdragEvent => ({
  type: 'DeadlineChanged',
  data: { oppdragId: ID, from: from === null ? null : day(from), to: to === null ? null : day(to), reason },
});
export const deadlinePassed = (deadline: string, passedOn: string): OppdragEvent => ({
  type: 'DeadlinePassed',
  data: { oppdragId: ID, deadline: day(deadline), passedOn: day(passedOn) },
});
export const milestoneDue = (milestoneId: string, dueDate: string, passedOn: string): OppdragEvent => ({
  type: 'MilestoneDue',
  data: { oppdragId: ID, milestoneId, dueDate: day(dueDate), passedOn: day(passedOn) },
});

// Commands -------------------------------------------------------------------------------------------------

export const assign = (overrides: Partial<AssignmentData> = {}): OppdragCommand => ({
  type: 'AssignOppdrag',
  data: assignment(overrides),
});
export const start = (startedOn = '2024-06-03'): OppdragCommand => ({
  type: 'StartOppdrag',
  data: { oppdragId: ID, startedOn: day(startedOn) },
});
export const recordMilestone = (
  milestoneId = statusrapport.id,
  reportedOn = '2024-04-20',
  documentRef = 'sak 24/555',
  note: string | null = null,
): OppdragCommand => ({
  type: 'RecordMilestone',
  data: { oppdragId: ID, milestoneId, reportedOn: day(reportedOn), documentRef, note },
});
export const report = (
  reportedOn = '2024-06-10',
  documentRef = 'sak 24/1234',
  summary: string | null = null,
): OppdragCommand => ({
  type: 'ReportOppdrag',
  data: { oppdragId: ID, reportedOn: day(reportedOn), documentRef, summary },
});
export const reopen = (reason = 'Rapporten manglet økonomidelen'): OppdragCommand => ({
  type: 'ReopenOppdrag',
  data: { oppdragId: ID, reason },
});
export const close = (
  outcome: CloseOutcome,
  reason: string | null = null,
  supersededBy: string | null = null,
): OppdragCommand => ({
  type: 'CloseOppdrag',
  data: { oppdragId: ID, outcome, reason, supersededBy },
});
export const changeDeadline = (
  deadline: string | null,
  reason = 'Ny frist avtalt i oppfølgingsmøtet',
): OppdragCommand => ({
  type: 'ChangeDeadline',
  data: { oppdragId: ID, deadline: deadline === null ? null : day(deadline), reason },
});
export const reassignLead = (
  lead: string | null,
  reason = 'Helse Vest overtar ledelsen',
): OppdragCommand => ({
  type: 'ReassignLead',
  data: { oppdragId: ID, lead, reason },
});
export const addCollaborator = (
  collaborator: OrganisationRef = helsedirektoratet,
  reason = 'Helsedirektoratet bidrar med data',
): OppdragCommand => ({
  type: 'AddCollaborator',
  data: { oppdragId: ID, collaborator, reason },
});
export const removeCollaborator = (
  collaboratorId = fhi.id,
  reason = 'FHI deltar ikke likevel',
): OppdragCommand => ({
  type: 'RemoveCollaborator',
  data: { oppdragId: ID, collaboratorId, reason },
});
export const recordDeadlinePassed = (): OppdragCommand => ({
  type: 'RecordDeadlinePassed',
  data: { oppdragId: ID },
});
export const recordMilestoneDue = (milestoneId = statusrapport.id): OppdragCommand => ({
  type: 'RecordMilestoneDue',
  data: { oppdragId: ID, milestoneId },
});

export const addAddressee = (
  addressee = 'helse-nord',
  reason = 'Gjelder også Helse Nord',
): OppdragCommand => ({
  type: 'AddAddressee',
  data: { oppdragId: ID, addressee, reason },
});
export const removeAddressee = (
  addressee = 'helse-nord',
  reason = 'Gjelder ikke Helse Nord',
): OppdragCommand => ({
  type: 'RemoveAddressee',
  data: { oppdragId: ID, addressee, reason },
});
export const addSource = (
  letter = 'oppdragsdokument-2024-helse-nord',
  addressees = ['helse-nord'],
): OppdragCommand => ({
  type: 'AddSource',
  data: {
    oppdragId: ID,
    source: {
      letter,
      recipient: addressees[0] ?? null,
      letterKind: 'hoveddokument',
      section: { number: 2, title: 'Bedre samhandling' },
      heading: null,
      lineStart: 98,
      lineEnd: 101,
    },
    addressees,
  },
});
export const correctDetails = (
  changes: {
    title?: string;
    description?: string;
    hovedmal?: { number: number | null; title: string } | null;
  },
  reason = 'Skrivefeil',
): OppdragCommand => ({
  type: 'CorrectDetails',
  data: { oppdragId: ID, ...changes, reason },
});
export const addMilestone = (
  milestone: PlannedMilestone = {
    id: 'rapport-3',
    kind: 'rapport',
    title: 'Sluttrapport',
    dueDate: day('2024-12-01'),
  },
  reason = 'Avtalt i oppfølgingsmøtet',
): OppdragCommand => ({
  type: 'AddMilestone',
  data: { oppdragId: ID, milestone, reason },
});
export const changeMilestone = (
  changes: { kind?: string; title?: string; dueDate?: string },
  milestoneId = statusrapport.id,
  reason = 'Utsatt',
): OppdragCommand => ({
  type: 'ChangeMilestone',
  data: {
    oppdragId: ID,
    milestoneId,
    ...changes,
    dueDate: changes.dueDate === undefined ? undefined : day(changes.dueDate),
    reason,
  },
});
export const removeMilestone = (
  milestoneId = underveis.id,
  reason = 'Ikke lenger nødvendig',
): OppdragCommand => ({
  type: 'RemoveMilestone',
  data: { oppdragId: ID, milestoneId, reason },
});

/** Every command type, so that tables over "every command" can be checked for completeness. */
export const EVERY_COMMAND_TYPE = [
  'AssignOppdrag',
  'StartOppdrag',
  'RecordMilestone',
  'ReportOppdrag',
  'ReopenOppdrag',
  'CloseOppdrag',
  'ChangeDeadline',
  'ReassignLead',
  'AddCollaborator',
  'RemoveCollaborator',
  'AddAddressee',
  'RemoveAddressee',
  'AddSource',
  'CorrectDetails',
  'AddMilestone',
  'ChangeMilestone',
  'RemoveMilestone',
  'RecordDeadlinePassed',
  'RecordMilestoneDue',
] as const satisfies readonly OppdragCommand['type'][];

/** One event of every type, as decide produces them, keyed by type. */
export const ONE_OF_EACH_EVENT: { readonly [T in OppdragEvent['type']]: Extract<OppdragEvent, { type: T }> } =
  {
    OppdragAssigned: { type: 'OppdragAssigned', data: assignment() },
    OppdragStarted: {
      type: 'OppdragStarted',
      data: { oppdragId: ID, part: LEAD, startedOn: day('2024-03-01') },
    },
    MilestoneReported: {
      type: 'MilestoneReported',
      data: {
        oppdragId: ID,
        part: LEAD,
        milestoneId: statusrapport.id,
        reportedOn: day('2024-04-20'),
        documentRef: 'sak 24/555',
        note: 'Levert',
      },
    },
    OppdragReported: {
      type: 'OppdragReported',
      data: {
        oppdragId: ID,
        part: LEAD,
        reportedOn: day('2024-06-01'),
        documentRef: 'sak 24/1234',
        summary: 'Levert',
      },
    },
    OppdragReopened: {
      type: 'OppdragReopened',
      data: {
        oppdragId: ID,
        reason: 'Mangler økonomidelen',
        scope: 'report',
        part: LEAD,
        reopenedOn: day('2024-06-05'),
      },
    },
    OppdragClosed: {
      type: 'OppdragClosed',
      data: {
        oppdragId: ID,
        outcome: 'superseded',
        reason: 'Erstattet',
        closedOn: day('2024-06-10'),
        supersededBy: '2025-hmn-03',
      },
    },
    DeadlineChanged: {
      type: 'DeadlineChanged',
      data: { oppdragId: ID, from: day('2024-10-01'), to: null, reason: 'Årlig melding holder' },
    },
    LeadReassigned: {
      type: 'LeadReassigned',
      data: {
        oppdragId: ID,
        from: 'helse-midt-norge',
        to: 'helse-nord',
        reason: 'Helse Nord overtar',
        carriesPart: false,
      },
    },
    AddresseeAdded: {
      type: 'AddresseeAdded',
      data: { oppdragId: ID, addressee: 'helse-nord', reason: 'Gjelder også Helse Nord' },
    },
    AddresseeRemoved: {
      type: 'AddresseeRemoved',
      data: { oppdragId: ID, addressee: 'helse-nord', reason: 'Gjelder ikke Helse Nord' },
    },
    SourceAdded: {
      type: 'SourceAdded',
      data: {
        oppdragId: ID,
        source: {
          letter: 'oppdragsdokument-2024-helse-nord',
          recipient: 'helse-nord',
          letterKind: 'hoveddokument',
          section: { number: 2, title: 'Bedre samhandling' },
          heading: null,
          lineStart: 98,
          lineEnd: 101,
        },
        addressees: ['helse-nord'],
      },
    },
    OppdragDetailsCorrected: {
      type: 'OppdragDetailsCorrected',
      data: { oppdragId: ID, title: 'Utrede felles kjernejournal', reason: 'Skrivefeil i tittelen' },
    },
    MilestoneAdded: {
      type: 'MilestoneAdded',
      data: {
        oppdragId: ID,
        milestone: { id: 'rapport-3', kind: 'rapport', title: 'Sluttrapport', dueDate: day('2024-12-01') },
        reason: 'Avtalt i oppfølgingsmøtet',
      },
    },
    MilestoneChanged: {
      type: 'MilestoneChanged',
      data: {
        oppdragId: ID,
        milestoneId: statusrapport.id,
        dueDate: day('2024-05-15'),
        reason: 'Utsatt to uker',
      },
    },
    MilestoneRemoved: {
      type: 'MilestoneRemoved',
      data: { oppdragId: ID, milestoneId: underveis.id, reason: 'Ikke lenger nødvendig' },
    },
    CollaboratorAdded: {
      type: 'CollaboratorAdded',
      data: { oppdragId: ID, collaborator: helsedirektoratet, reason: 'Hdir leverer data' },
    },
    CollaboratorRemoved: {
      type: 'CollaboratorRemoved',
      data: { oppdragId: ID, collaboratorId: fhi.id, reason: 'FHI deltar ikke' },
    },
    DeadlinePassed: {
      type: 'DeadlinePassed',
      data: { oppdragId: ID, deadline: day('2024-10-01'), passedOn: day('2024-10-02') },
    },
    MilestoneDue: {
      type: 'MilestoneDue',
      data: {
        oppdragId: ID,
        milestoneId: underveis.id,
        dueDate: day('2024-09-01'),
        passedOn: day('2024-09-02'),
      },
    },
  };
