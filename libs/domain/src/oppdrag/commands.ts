import type { CalendarDate } from '../calendar.js';
import type { OrganisationRef } from '../organisations.js';
import type { CloseOutcome, OppdragAssigned } from './events.js';

export type AssignOppdrag = { readonly type: 'AssignOppdrag'; readonly data: OppdragAssigned['data'] };
export type StartOppdrag = {
  readonly type: 'StartOppdrag';
  readonly data: { readonly oppdragId: string; readonly startedOn: CalendarDate };
};
export type RecordMilestone = {
  readonly type: 'RecordMilestone';
  readonly data: {
    readonly oppdragId: string;
    readonly milestoneId: string;
    readonly reportedOn: CalendarDate;
    readonly documentRef: string;
    readonly note: string | null;
  };
};
export type ReportOppdrag = {
  readonly type: 'ReportOppdrag';
  readonly data: {
    readonly oppdragId: string;
    readonly reportedOn: CalendarDate;
    readonly documentRef: string;
    readonly summary: string | null;
  };
};
export type ReopenOppdrag = {
  readonly type: 'ReopenOppdrag';
  readonly data: { readonly oppdragId: string; readonly reason: string };
};
export type CloseOppdrag = {
  readonly type: 'CloseOppdrag';
  readonly data: {
    readonly oppdragId: string;
    readonly outcome: CloseOutcome;
    readonly reason: string | null;
    readonly supersededBy: string | null;
  };
};
export type ChangeDeadline = {
  readonly type: 'ChangeDeadline';
  readonly data: {
    readonly oppdragId: string;
    readonly deadline: CalendarDate | null;
    readonly reason: string;
  };
};
export type ReassignLead = {
  readonly type: 'ReassignLead';
  readonly data: { readonly oppdragId: string; readonly lead: string | null; readonly reason: string };
};
export type AddCollaborator = {
  readonly type: 'AddCollaborator';
  readonly data: {
    readonly oppdragId: string;
    readonly collaborator: OrganisationRef;
    readonly reason: string;
  };
};
export type RemoveCollaborator = {
  readonly type: 'RemoveCollaborator';
  readonly data: { readonly oppdragId: string; readonly collaboratorId: string; readonly reason: string };
};
export type RecordDeadlinePassed = {
  readonly type: 'RecordDeadlinePassed';
  readonly data: { readonly oppdragId: string };
};
export type RecordMilestoneDue = {
  readonly type: 'RecordMilestoneDue';
  readonly data: { readonly oppdragId: string; readonly milestoneId: string };
};

export type OppdragCommand =
  | AssignOppdrag
  | StartOppdrag
  | RecordMilestone
  | ReportOppdrag
  | ReopenOppdrag
  | CloseOppdrag
  | ChangeDeadline
  | ReassignLead
  | AddCollaborator
  | RemoveCollaborator
  | RecordDeadlinePassed
  | RecordMilestoneDue;

export type OppdragCommandType = OppdragCommand['type'];
