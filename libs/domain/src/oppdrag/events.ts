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
    /** The RHFs that must do and report it, each with a part of its own; the lead is always one. */
    readonly addressees: readonly string[];
    readonly lead: string | null;
    readonly collaborators: readonly OrganisationRef[];
    readonly deadline: CalendarDate | null;
    readonly milestones: readonly PlannedMilestone[];
    /** The day it was assigned (Oslo); null on oppdrag recorded before the day was kept. */
    readonly assignedOn: CalendarDate | null;
  };
};

/**
 * Which part an RHF's own event is about. Events recorded before parts existed carry `null`, which reads
 * as the lead's part (the only part there was).
 */
export type PartRef = string | null;

export type OppdragStarted = {
  readonly type: 'OppdragStarted';
  readonly data: { readonly oppdragId: string; readonly part: PartRef; readonly startedOn: CalendarDate };
};

export type MilestoneReported = {
  readonly type: 'MilestoneReported';
  readonly data: {
    readonly oppdragId: string;
    readonly part: PartRef;
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
    readonly part: PartRef;
    readonly reportedOn: CalendarDate;
    readonly documentRef: string;
    readonly summary: string | null;
  };
};

/**
 * A coordinator reopens either one part's report (`scope: 'report'`; `part: null` is the lead's part, as
 * stored before parts existed) or a closed oppdrag (`scope: 'closure'`), always with a reason.
 */
export type OppdragReopened = {
  readonly type: 'OppdragReopened';
  readonly data: {
    readonly oppdragId: string;
    readonly reason: string;
    readonly scope: 'report' | 'closure';
    readonly part: PartRef;
    /** The day it was reopened (Oslo); null on events recorded before the day was kept. */
    readonly reopenedOn: CalendarDate | null;
  };
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
    /**
     * Whether the progress recorded so far moves with the lead. True only on events recorded before parts
     * existed, when the oppdrag's one part belonged to whoever led it; with parts, each part stays its RHF's.
     */
    readonly carriesPart: boolean;
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

/** An RHF is added to the addressees (it gets a part of its own), with a reason. */
export type AddresseeAdded = {
  readonly type: 'AddresseeAdded';
  readonly data: { readonly oppdragId: string; readonly addressee: string; readonly reason: string };
};

/** An RHF is no longer addressed; its part leaves the oppdrag (its events stay in the history). */
export type AddresseeRemoved = {
  readonly type: 'AddresseeRemoved';
  readonly data: { readonly oppdragId: string; readonly addressee: string; readonly reason: string };
};

/** The same oppdrag was found in another letter: its source, and the addressees it adds, if any. */
export type SourceAdded = {
  readonly type: 'SourceAdded';
  readonly data: {
    readonly oppdragId: string;
    readonly source: SourceReference;
    readonly addressees: readonly string[];
  };
};

/** A correction of the title, the description or the hovedmål; only the fields given change. */
export type OppdragDetailsCorrected = {
  readonly type: 'OppdragDetailsCorrected';
  readonly data: {
    readonly oppdragId: string;
    readonly title?: string;
    readonly description?: string;
    readonly hovedmal?: { readonly number: number | null; readonly title: string } | null;
    readonly reason: string;
  };
};

export type MilestoneAdded = {
  readonly type: 'MilestoneAdded';
  readonly data: {
    readonly oppdragId: string;
    readonly milestone: PlannedMilestone;
    readonly reason: string;
  };
};

/** A correction of a planned milestone's kind, title or due date; only the fields given change. */
export type MilestoneChanged = {
  readonly type: 'MilestoneChanged';
  readonly data: {
    readonly oppdragId: string;
    readonly milestoneId: string;
    readonly kind?: string;
    readonly title?: string;
    readonly dueDate?: CalendarDate;
    readonly reason: string;
  };
};

export type MilestoneRemoved = {
  readonly type: 'MilestoneRemoved';
  readonly data: { readonly oppdragId: string; readonly milestoneId: string; readonly reason: string };
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
  | AddresseeAdded
  | AddresseeRemoved
  | SourceAdded
  | OppdragDetailsCorrected
  | MilestoneAdded
  | MilestoneChanged
  | MilestoneRemoved
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
  'AddresseeAdded',
  'AddresseeRemoved',
  'SourceAdded',
  'OppdragDetailsCorrected',
  'MilestoneAdded',
  'MilestoneChanged',
  'MilestoneRemoved',
  'DeadlinePassed',
  'MilestoneDue',
];

/** The stream category; stream ids are `oppdrag-<id>`. */
export const OPPDRAG_CATEGORY = 'oppdrag';
/** What every oppdrag stream id starts with: the streams an event store serves the product. */
export const OPPDRAG_STREAM_PREFIX = `${OPPDRAG_CATEGORY}-`;
export const OPPDRAG_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
export const streamIdFor = (oppdragId: string): string => `${OPPDRAG_STREAM_PREFIX}${oppdragId}`;
export const oppdragIdFromStream = (streamId: string): string => streamId.slice(OPPDRAG_STREAM_PREFIX.length);
