import { annualReportDate, type CalendarDate } from '../calendar.js';
import type { OrganisationRef } from '../organisations.js';
import type { CloseOutcome, OppdragAssigned, PlannedMilestone } from './events.js';

/** One part's report of one milestone. */
export interface MilestonePartReport {
  readonly rhf: string;
  readonly reportedOn: CalendarDate;
  readonly documentRef: string;
  readonly note: string | null;
  readonly late: boolean;
}

export interface MilestoneState extends PlannedMilestone {
  /** Each part's report of it, in the order they came. */
  readonly reports: readonly MilestonePartReport[];
  /**
   * The day the milestone was met for the oppdrag: the lead's report, or with no lead, the last of the
   * reports once every part that owes it has reported. Null while it is not met.
   */
  readonly reportedOn: CalendarDate | null;
  readonly documentRef: string | null;
  /** Met after its due date; stays true once set. */
  readonly late: boolean;
  /** The engine has recorded that its due date passed unmet. */
  readonly dueRecorded: boolean;
}

export type PartStatus = 'assigned' | 'started' | 'reported';

/** One addressed RHF's own part of an oppdrag: what it has started and reported. */
export interface PartState {
  readonly rhf: string;
  readonly status: PartStatus;
  readonly startedOn: CalendarDate | null;
  readonly reportedOn: CalendarDate | null;
  readonly documentRef: string | null;
  readonly summary: string | null;
  /** A report of this part was once delivered after the date it owed; stays true for ever. */
  readonly reportedLate: boolean;
}

export interface OppdragFacts {
  readonly id: string;
  readonly year: number;
  readonly title: string;
  readonly description: string;
  readonly hovedmal: OppdragAssigned['data']['hovedmal'];
  readonly sources: OppdragAssigned['data']['sources'];
  /** The RHFs that must do and report it, in the order they were added. */
  readonly addressees: readonly string[];
  /** One part per addressee, in the same order. */
  readonly parts: readonly PartState[];
  readonly lead: string | null;
  readonly collaborators: readonly OrganisationRef[];
  readonly deadline: CalendarDate | null;
  readonly milestones: readonly MilestoneState[];
  readonly assignedOn: CalendarDate | null;
  /** The first day any part started. */
  readonly startedOn: CalendarDate | null;
  /** When reported: the lead's report, or with no lead the last part's report. */
  readonly reportedOn: CalendarDate | null;
  readonly documentRef: string | null;
  /** A report that the oppdrag's deadline rests on was once delivered late; stays true for ever. */
  readonly reportedLate: boolean;
  readonly closed: {
    readonly outcome: CloseOutcome;
    readonly closedOn: CalendarDate;
    readonly reason: string | null;
    readonly supersededBy: string | null;
  } | null;
  /** The last day the oppdrag was reopened, if it was. */
  readonly reopenedOn: CalendarDate | null;
  /** The effective deadline for which the engine has recorded `DeadlinePassed`, if any. */
  readonly deadlinePassedFor: CalendarDate | null;
  /** The day that passing was recorded for (the day it became overdue). */
  readonly deadlinePassedOn: CalendarDate | null;
}

export type OppdragStatus = 'assigned' | 'started' | 'reported' | 'closed';

export type OppdragState =
  { readonly status: 'initial' } | ({ readonly status: OppdragStatus } & OppdragFacts);

export type ExistingOppdrag = Exclude<OppdragState, { status: 'initial' }>;

export const initialState = (): OppdragState => ({ status: 'initial' });

/** The stated deadline, or else 15 March of the year after the letter's year (the Årlig melding). */
export function effectiveDeadline(oppdrag: Pick<OppdragFacts, 'deadline' | 'year'>): CalendarDate {
  return oppdrag.deadline ?? annualReportDate(oppdrag.year);
}

/** Whether the stated deadline or the Årlig melding rule applies. */
export function deadlineSource(oppdrag: Pick<OppdragFacts, 'deadline'>): 'stated' | 'annual-report' {
  return oppdrag.deadline ? 'stated' : 'annual-report';
}

/** What the overdue rules read of an oppdrag (a folded state or a read model's summary). */
export interface OverdueFacts {
  readonly status: OppdragStatus;
  readonly deadline: CalendarDate | null;
  readonly year: number;
}

/** Open: neither reported nor closed. */
export const isOpenStatus = (status: OppdragStatus): boolean => status === 'assigned' || status === 'started';

/**
 * The one overdue rule: an oppdrag is overdue on day D when its effective deadline is before D and it is
 * neither reported nor closed. The decider, the deadline watcher, the read models and the API all ask this.
 */
export function isOverdueOn(oppdrag: OverdueFacts, day: CalendarDate): boolean {
  return isOpenStatus(oppdrag.status) && effectiveDeadline(oppdrag) < day;
}

/** Whether a part owes the joint delivery (milestones and deadline): the lead's part, or every part with no lead. */
export const owesJointDelivery = (oppdrag: Pick<OppdragFacts, 'lead'>, rhf: string): boolean =>
  oppdrag.lead === null || oppdrag.lead === rhf;

/**
 * The day a part's report is due: the effective deadline for a part that owes the joint delivery, and
 * the Årlig melding date for the other parts of a led oppdrag (they report on the joint work there).
 */
export function partDueDate(
  oppdrag: Pick<OppdragFacts, 'lead' | 'deadline' | 'year'>,
  rhf: string,
): CalendarDate {
  return owesJointDelivery(oppdrag, rhf) ? effectiveDeadline(oppdrag) : annualReportDate(oppdrag.year);
}

/** A part is open while it has not reported and the oppdrag is not closed. */
export const isPartOpen = (
  oppdrag: { readonly status: OppdragStatus },
  part: Pick<PartState, 'status'>,
): boolean => oppdrag.status !== 'closed' && part.status !== 'reported';

/** A part is overdue on day D when what it owes is due before D, it has not reported, and the oppdrag is open. */
export function isPartOverdueOn(
  oppdrag: Pick<OppdragFacts, 'lead' | 'deadline' | 'year'> & { readonly status: OppdragStatus },
  part: Pick<PartState, 'rhf' | 'status'>,
  day: CalendarDate,
): boolean {
  return isPartOpen(oppdrag, part) && partDueDate(oppdrag, part.rhf) < day;
}

/** A milestone is overdue on day D: due before D, not met, and the oppdrag is not closed. */
export function isMilestoneOverdueOn(
  oppdrag: { readonly status: OppdragStatus },
  milestone: Pick<MilestoneState, 'reportedOn' | 'dueDate'>,
  day: CalendarDate,
): boolean {
  return oppdrag.status !== 'closed' && milestone.reportedOn === null && milestone.dueDate < day;
}

/** The part of this RHF, if it is addressed. */
export const partOf = (oppdrag: Pick<OppdragFacts, 'parts'>, rhf: string): PartState | undefined =>
  oppdrag.parts.find((p) => p.rhf === rhf);

/** The parts that owe a milestone: the lead's, or every part with no lead. */
export const partsOwingMilestones = (oppdrag: Pick<OppdragFacts, 'lead' | 'parts'>): readonly PartState[] =>
  oppdrag.lead === null ? oppdrag.parts : oppdrag.parts.filter((p) => p.rhf === oppdrag.lead);

/** The effective deadline's `DeadlinePassed` day, or null when the current deadline has not been recorded as passed. */
export const currentDeadlinePassedOn = (
  oppdrag: Pick<OppdragFacts, 'deadline' | 'year' | 'deadlinePassedFor' | 'deadlinePassedOn'>,
): CalendarDate | null =>
  oppdrag.deadlinePassedFor !== null && oppdrag.deadlinePassedFor === effectiveDeadline(oppdrag)
    ? oppdrag.deadlinePassedOn
    : null;
