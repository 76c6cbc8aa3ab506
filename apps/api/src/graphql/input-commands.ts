import { organisationRef, type CalendarDate, type OppdragCommand } from '#domain';
import { ApiError } from './errors.js';
import type {
  AddCollaboratorInput,
  AddMilestoneInput,
  AddresseeInput,
  AssignOppdragInput,
  ChangeDeadlineInput,
  ChangeMilestoneInput,
  CloseOppdragInput,
  CorrectDetailsInput,
  ReassignLeadInput,
  RecordMilestoneInput,
  RemoveCollaboratorInput,
  RemoveMilestoneInput,
  ReopenOppdragInput,
  ReportOppdragInput,
  StartOppdragInput,
} from './inputs.js';

/*
 * What each mutation's input means as a command of the domain: the one place where an input maps to its
 * command. Optional fields become the domain's explicit nulls and defaults; the decider checks the rest.
 */

export function assignOppdragCommand(
  input: AssignOppdragInput,
): Extract<OppdragCommand, { type: 'AssignOppdrag' }> {
  return {
    type: 'AssignOppdrag',
    data: {
      oppdragId: input.oppdragId,
      year: input.year,
      title: input.title,
      description: input.description ?? '',
      hovedmal: input.hovedmalTitle
        ? { number: input.hovedmalNumber ?? null, title: input.hovedmalTitle }
        : null,
      sources: (input.sources ?? []).map((s) => ({
        letter: s.letter,
        recipient: s.recipient ?? null,
        letterKind: (s.letterKind ?? 'other') as 'hoveddokument' | 'tilleggsdokument' | 'other',
        section: s.sectionTitle ? { number: s.sectionNumber ?? null, title: s.sectionTitle } : null,
        heading: s.heading ?? null,
        lineStart: s.lineStart ?? null,
        lineEnd: s.lineEnd ?? null,
      })),
      lead: input.lead ?? null,
      collaborators: (input.collaborators ?? []).map(organisationRef),
      deadline: (input.deadline ?? null) as CalendarDate | null,
      milestones: (input.milestones ?? []).map((m) => ({
        id: m.id,
        kind: m.kind,
        title: m.title,
        dueDate: m.dueDate as CalendarDate,
      })),
      ...(input.addressees ? { addressees: input.addressees } : {}),
      assignedOn: (input.assignedOn ?? null) as CalendarDate | null,
      confirmPastDeadline: input.confirmPastDeadline ?? false,
      registerNewOrganisation: input.registerNewOrganisation ?? false,
    },
  };
}

export function startOppdragCommand(
  input: StartOppdragInput,
): Extract<OppdragCommand, { type: 'StartOppdrag' }> {
  return {
    type: 'StartOppdrag',
    data: {
      oppdragId: input.oppdragId,
      part: input.part ?? null,
      startedOn: input.startedOn as CalendarDate,
    },
  };
}

export function recordMilestoneCommand(
  input: RecordMilestoneInput,
): Extract<OppdragCommand, { type: 'RecordMilestone' }> {
  return {
    type: 'RecordMilestone',
    data: {
      oppdragId: input.oppdragId,
      part: input.part ?? null,
      milestoneId: input.milestoneId,
      reportedOn: input.reportedOn as CalendarDate,
      documentRef: input.documentRef,
      note: input.note ?? null,
    },
  };
}

export function reportOppdragCommand(
  input: ReportOppdragInput,
): Extract<OppdragCommand, { type: 'ReportOppdrag' }> {
  return {
    type: 'ReportOppdrag',
    data: {
      oppdragId: input.oppdragId,
      part: input.part ?? null,
      reportedOn: input.reportedOn as CalendarDate,
      documentRef: input.documentRef,
      summary: input.summary ?? null,
    },
  };
}

export function reopenOppdragCommand(
  input: ReopenOppdragInput,
): Extract<OppdragCommand, { type: 'ReopenOppdrag' }> {
  return {
    type: 'ReopenOppdrag',
    data: { oppdragId: input.oppdragId, reason: input.reason, part: input.part ?? null },
  };
}

export function closeOppdragCommand(
  input: CloseOppdragInput,
): Extract<OppdragCommand, { type: 'CloseOppdrag' }> {
  return {
    type: 'CloseOppdrag',
    data: {
      oppdragId: input.oppdragId,
      outcome: input.outcome,
      reason: input.reason ?? null,
      supersededBy: input.supersededBy ?? null,
    },
  };
}

export function changeDeadlineCommand(
  input: ChangeDeadlineInput,
): Extract<OppdragCommand, { type: 'ChangeDeadline' }> {
  return {
    type: 'ChangeDeadline',
    data: {
      oppdragId: input.oppdragId,
      deadline: (input.deadline ?? null) as CalendarDate | null,
      reason: input.reason,
      confirmPastDeadline: input.confirmPastDeadline ?? false,
    },
  };
}

export function reassignLeadCommand(
  input: ReassignLeadInput,
): Extract<OppdragCommand, { type: 'ReassignLead' }> {
  return {
    type: 'ReassignLead',
    data: { oppdragId: input.oppdragId, lead: input.lead ?? null, reason: input.reason },
  };
}

export function addCollaboratorCommand(
  input: AddCollaboratorInput,
): Extract<OppdragCommand, { type: 'AddCollaborator' }> {
  return {
    type: 'AddCollaborator',
    data: {
      oppdragId: input.oppdragId,
      collaborator: organisationRef(input.collaborator),
      reason: input.reason,
      registerNewOrganisation: input.registerNewOrganisation ?? false,
    },
  };
}

export function removeCollaboratorCommand(
  input: RemoveCollaboratorInput,
): Extract<OppdragCommand, { type: 'RemoveCollaborator' }> {
  return {
    type: 'RemoveCollaborator',
    data: { oppdragId: input.oppdragId, collaboratorId: input.collaboratorId, reason: input.reason },
  };
}

export function addAddresseeCommand(
  input: AddresseeInput,
): Extract<OppdragCommand, { type: 'AddAddressee' }> {
  return {
    type: 'AddAddressee',
    data: { oppdragId: input.oppdragId, addressee: input.addressee, reason: input.reason },
  };
}

export function removeAddresseeCommand(
  input: AddresseeInput,
): Extract<OppdragCommand, { type: 'RemoveAddressee' }> {
  return {
    type: 'RemoveAddressee',
    data: { oppdragId: input.oppdragId, addressee: input.addressee, reason: input.reason },
  };
}

export function correctDetailsCommand(
  input: CorrectDetailsInput,
): Extract<OppdragCommand, { type: 'CorrectDetails' }> {
  if (input.clearHovedmal && input.hovedmalTitle) {
    throw new ApiError(
      'BAD_USER_INPUT',
      'clearHovedmal: give either clearHovedmal or hovedmalTitle',
      'clearHovedmal',
    );
  }
  const hovedmal = input.clearHovedmal
    ? null
    : input.hovedmalTitle
      ? { number: input.hovedmalNumber ?? null, title: input.hovedmalTitle }
      : undefined;
  return {
    type: 'CorrectDetails',
    data: {
      oppdragId: input.oppdragId,
      title: input.title ?? null,
      description: input.description ?? null,
      ...(hovedmal !== undefined ? { hovedmal } : {}),
      reason: input.reason,
    },
  };
}

export function addMilestoneCommand(
  input: AddMilestoneInput,
): Extract<OppdragCommand, { type: 'AddMilestone' }> {
  const m = input.milestone;
  return {
    type: 'AddMilestone',
    data: {
      oppdragId: input.oppdragId,
      milestone: { id: m.id, kind: m.kind, title: m.title, dueDate: m.dueDate as CalendarDate },
      reason: input.reason,
      confirmPastDeadline: input.confirmPastDeadline ?? false,
    },
  };
}

export function changeMilestoneCommand(
  input: ChangeMilestoneInput,
): Extract<OppdragCommand, { type: 'ChangeMilestone' }> {
  return {
    type: 'ChangeMilestone',
    data: {
      oppdragId: input.oppdragId,
      milestoneId: input.milestoneId,
      kind: input.kind ?? null,
      title: input.title ?? null,
      dueDate: (input.dueDate ?? null) as CalendarDate | null,
      reason: input.reason,
      confirmPastDeadline: input.confirmPastDeadline ?? false,
    },
  };
}

export function removeMilestoneCommand(
  input: RemoveMilestoneInput,
): Extract<OppdragCommand, { type: 'RemoveMilestone' }> {
  return {
    type: 'RemoveMilestone',
    data: { oppdragId: input.oppdragId, milestoneId: input.milestoneId, reason: input.reason },
  };
}
