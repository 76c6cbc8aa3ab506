import { annualReportDate, type CalendarDate } from '../calendar.js';
import type { OrganisationRef } from '../organisations.js';
import type { CloseOutcome, OppdragAssigned, PlannedMilestone } from './events.js';

export interface MilestoneState extends PlannedMilestone {
  readonly reportedOn: CalendarDate | null;
  readonly documentRef: string | null;
  /** Reported after its due date; stays true once set. */
  readonly late: boolean;
  /** The engine has recorded that its due date passed unmet. */
  readonly dueRecorded: boolean;
}

export interface OppdragFacts {
  readonly id: string;
  readonly year: number;
  readonly title: string;
  readonly description: string;
  readonly hovedmal: OppdragAssigned['data']['hovedmal'];
  readonly sources: OppdragAssigned['data']['sources'];
  readonly lead: string | null;
  readonly collaborators: readonly OrganisationRef[];
  readonly deadline: CalendarDate | null;
  readonly milestones: readonly MilestoneState[];
  readonly startedOn: CalendarDate | null;
  readonly reportedOn: CalendarDate | null;
  readonly documentRef: string | null;
  /** A report was once delivered after the effective deadline; stays true for ever. */
  readonly reportedLate: boolean;
  readonly closed: {
    readonly outcome: CloseOutcome;
    readonly closedOn: CalendarDate;
    readonly reason: string | null;
  } | null;
  /** The effective deadline for which the engine has recorded `DeadlinePassed`, if any. */
  readonly deadlinePassedFor: CalendarDate | null;
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

/** Overdue on day D: the effective deadline is before D and it is neither reported nor closed. */
export function isOverdueOn(oppdrag: ExistingOppdrag, day: CalendarDate): boolean {
  return (oppdrag.status === 'assigned' || oppdrag.status === 'started') && effectiveDeadline(oppdrag) < day;
}

/** A milestone is overdue on day D: due before D, not reported, and the oppdrag is not closed. */
export function isMilestoneOverdueOn(
  oppdrag: ExistingOppdrag,
  milestone: MilestoneState,
  day: CalendarDate,
): boolean {
  return oppdrag.status !== 'closed' && milestone.reportedOn === null && milestone.dueDate < day;
}
