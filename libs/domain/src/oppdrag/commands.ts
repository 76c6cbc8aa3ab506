import type { CalendarDate } from '../calendar.js';
import type { OrganisationRef } from '../organisations.js';
import type { CloseOutcome, OppdragAssigned, PlannedMilestone, SourceReference } from './events.js';

/** Confirmations a coordinator gives for what the sanity rules otherwise refuse. */
export interface Confirmations {
  /** A deadline (or milestone) before the letter's year is meant. */
  readonly confirmPastDeadline?: boolean;
  /** A collaborator the registry does not know is a new organisation, not a misspelling. */
  readonly registerNewOrganisation?: boolean;
}

export type AssignOppdrag = {
  readonly type: 'AssignOppdrag';
  readonly data: Omit<OppdragAssigned['data'], 'addressees' | 'assignedOn'> & {
    /** Default: the lead alone, or all four RHFs when there is no lead. */
    readonly addressees?: readonly string[];
    /** Default: 1 January of its year, or today if that is sooner. */
    readonly assignedOn?: CalendarDate | null;
  } & Confirmations;
};
/** What an assignment states: the event's data, with addressees and the day assigned defaulted. */
export type AssignData = AssignOppdrag['data'];
/**
 * An RHF user's own part: `part` may be left out (it is the user's RHF); naming another RHF's part is
 * refused.
 */
export type StartOppdrag = {
  readonly type: 'StartOppdrag';
  readonly data: {
    readonly oppdragId: string;
    readonly part?: string | null;
    readonly startedOn: CalendarDate;
  };
};
export type RecordMilestone = {
  readonly type: 'RecordMilestone';
  readonly data: {
    readonly oppdragId: string;
    readonly part?: string | null;
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
    readonly part?: string | null;
    readonly reportedOn: CalendarDate;
    readonly documentRef: string;
    readonly summary: string | null;
  };
};
/**
 * Reopens a closed oppdrag, or else one part's report: the part named, or the lead's part when none is
 * named (an oppdrag with no lead must name it).
 */
export type ReopenOppdrag = {
  readonly type: 'ReopenOppdrag';
  readonly data: { readonly oppdragId: string; readonly reason: string; readonly part?: string | null };
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
  } & Confirmations;
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
  } & Confirmations;
};
export type RemoveCollaborator = {
  readonly type: 'RemoveCollaborator';
  readonly data: { readonly oppdragId: string; readonly collaboratorId: string; readonly reason: string };
};
export type AddAddressee = {
  readonly type: 'AddAddressee';
  readonly data: { readonly oppdragId: string; readonly addressee: string; readonly reason: string };
};
export type RemoveAddressee = {
  readonly type: 'RemoveAddressee';
  readonly data: { readonly oppdragId: string; readonly addressee: string; readonly reason: string };
};
/** The same oppdrag read in another letter: adds the source, and its recipient as an addressee. */
export type AddSource = {
  readonly type: 'AddSource';
  readonly data: {
    readonly oppdragId: string;
    readonly source: SourceReference;
    readonly addressees: readonly string[];
  };
};
export type CorrectDetails = {
  readonly type: 'CorrectDetails';
  readonly data: {
    readonly oppdragId: string;
    readonly title?: string | null;
    readonly description?: string | null;
    /** Undefined leaves it; null removes it. */
    readonly hovedmal?: { readonly number: number | null; readonly title: string } | null;
    readonly reason: string;
  };
};
export type AddMilestone = {
  readonly type: 'AddMilestone';
  readonly data: {
    readonly oppdragId: string;
    readonly milestone: PlannedMilestone;
    readonly reason: string;
  } & Confirmations;
};
export type ChangeMilestone = {
  readonly type: 'ChangeMilestone';
  readonly data: {
    readonly oppdragId: string;
    readonly milestoneId: string;
    readonly kind?: string | null;
    readonly title?: string | null;
    readonly dueDate?: CalendarDate | null;
    readonly reason: string;
  } & Confirmations;
};
export type RemoveMilestone = {
  readonly type: 'RemoveMilestone';
  readonly data: { readonly oppdragId: string; readonly milestoneId: string; readonly reason: string };
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
  | AddAddressee
  | RemoveAddressee
  | AddSource
  | CorrectDetails
  | AddMilestone
  | ChangeMilestone
  | RemoveMilestone
  | RecordDeadlinePassed
  | RecordMilestoneDue;

export type OppdragCommandType = OppdragCommand['type'];
