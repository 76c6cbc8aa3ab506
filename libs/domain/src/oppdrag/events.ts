import type { CalendarDate } from '../calendar.js';
import type { OrganisationRef } from '../organisations.js';

/** Where an oppdrag was read: one letter, its recipient and the place in it. A joint oppdrag has several. */
export interface SourceReference {
  readonly letter: string;
  readonly recipient: string | null;
  readonly letterKind: 'hoveddokument' | 'tilleggsdokument' | 'other';
  readonly section: { readonly number: number | null; readonly title: string } | null;
  readonly heading: string | null;
  readonly lineStart: number | null;
  readonly lineEnd: number | null;
}

export interface PlannedMilestone {
  readonly id: string;
  /** `statusrapport`, `underveisrapportering`, `rapport` or another kind of interim delivery. */
  readonly kind: string;
  readonly title: string;
  readonly dueDate: CalendarDate;
}

export type CloseOutcome = 'completed' | 'withdrawn' | 'superseded' | 'continued';
export const CLOSE_OUTCOMES: readonly CloseOutcome[] = ['completed', 'withdrawn', 'superseded', 'continued'];

export type OppdragAssigned = {
  readonly type: 'OppdragAssigned';
  readonly data: {
    readonly oppdragId: string;
    readonly year: number;
    readonly title: string;
    readonly description: string;
    readonly hovedmal: { readonly number: number | null; readonly title: string } | null;
    readonly sources: readonly SourceReference[];
    readonly lead: string | null;
    readonly collaborators: readonly OrganisationRef[];
    readonly deadline: CalendarDate | null;
    readonly milestones: readonly PlannedMilestone[];
  };
};

export type OppdragStarted = {
  readonly type: 'OppdragStarted';
  readonly data: { readonly oppdragId: string; readonly startedOn: CalendarDate };
};

export type MilestoneReported = {
  readonly type: 'MilestoneReported';
  readonly data: {
    readonly oppdragId: string;
    readonly milestoneId: string;
    readonly reportedOn: CalendarDate;
    readonly documentRef: string;
    readonly note: string | null;
  };
};

export type OppdragReported = {
  readonly type: 'OppdragReported';
  readonly data: {
    readonly oppdragId: string;
    readonly reportedOn: CalendarDate;
    readonly documentRef: string;
    readonly summary: string | null;
  };
};

export type OppdragReopened = {
  readonly type: 'OppdragReopened';
  readonly data: { readonly oppdragId: string; readonly reason: string };
};

export type OppdragClosed = {
  readonly type: 'OppdragClosed';
  readonly data: {
    readonly oppdragId: string;
    readonly outcome: CloseOutcome;
    readonly reason: string | null;
    readonly closedOn: CalendarDate;
    readonly supersededBy: string | null;
  };
};

export type DeadlineChanged = {
  readonly type: 'DeadlineChanged';
  readonly data: {
    readonly oppdragId: string;
    readonly from: CalendarDate | null;
    readonly to: CalendarDate | null;
    readonly reason: string;
  };
};

export type LeadReassigned = {
  readonly type: 'LeadReassigned';
  readonly data: {
    readonly oppdragId: string;
    readonly from: string | null;
    readonly to: string | null;
    readonly reason: string;
  };
};

export type CollaboratorAdded = {
  readonly type: 'CollaboratorAdded';
  readonly data: {
    readonly oppdragId: string;
    readonly collaborator: OrganisationRef;
    readonly reason: string;
  };
};

export type CollaboratorRemoved = {
  readonly type: 'CollaboratorRemoved';
  readonly data: { readonly oppdragId: string; readonly collaboratorId: string; readonly reason: string };
};

/** Recorded by the engine on the first day after an unmet effective deadline. */
export type DeadlinePassed = {
  readonly type: 'DeadlinePassed';
  readonly data: {
    readonly oppdragId: string;
    readonly deadline: CalendarDate;
    readonly passedOn: CalendarDate;
  };
};

/** Recorded by the engine on the first day after an unmet milestone's due date. */
export type MilestoneDue = {
  readonly type: 'MilestoneDue';
  readonly data: {
    readonly oppdragId: string;
    readonly milestoneId: string;
    readonly dueDate: CalendarDate;
    readonly passedOn: CalendarDate;
  };
};

export type OppdragEvent =
  | OppdragAssigned
  | OppdragStarted
  | MilestoneReported
  | OppdragReported
  | OppdragReopened
  | OppdragClosed
  | DeadlineChanged
  | LeadReassigned
  | CollaboratorAdded
  | CollaboratorRemoved
  | DeadlinePassed
  | MilestoneDue;

export type OppdragEventType = OppdragEvent['type'];

/** Every stored event type string. They are never renamed once stored. */
export const OPPDRAG_EVENT_TYPES: readonly OppdragEventType[] = [
  'OppdragAssigned',
  'OppdragStarted',
  'MilestoneReported',
  'OppdragReported',
  'OppdragReopened',
  'OppdragClosed',
  'DeadlineChanged',
  'LeadReassigned',
  'CollaboratorAdded',
  'CollaboratorRemoved',
  'DeadlinePassed',
  'MilestoneDue',
];

/** The stream category; stream ids are `oppdrag-<id>`. */
export const OPPDRAG_CATEGORY = 'oppdrag';
export const OPPDRAG_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
export const streamIdFor = (oppdragId: string): string => `${OPPDRAG_CATEGORY}-${oppdragId}`;
export const oppdragIdFromStream = (streamId: string): string => streamId.slice(OPPDRAG_CATEGORY.length + 1);
