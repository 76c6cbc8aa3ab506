import {
  effectiveDeadline,
  owesJointDelivery,
  partDueDate,
  type CalendarDate,
  type FeedScope,
} from '#domain';
import type { OppdragView } from './oppdrag-view.js';
import type { ViewSource } from './queries.js';

/** One date in a calendar feed: a deadline or a milestone, with the oppdrag it belongs to. */
export interface CalendarItem {
  /** Stable for the same deadline or milestone in the same feed, so that a calendar replaces the event. */
  readonly uid: string;
  readonly date: CalendarDate;
  readonly kind: 'deadline' | 'milestone';
  readonly view: OppdragView;
  /** The milestone, for a milestone. */
  readonly milestoneId: string | null;
  /** For an RHF's feed: the part's report is due by the Årlig melding (it does not owe the joint delivery). */
  readonly annualReport: boolean;
}

/** The most items one feed holds: a calendar client reads it whole, every time. */
export const MAX_CALENDAR_ITEMS = 2000;

/**
 * What a feed shows: for one RHF, the due date of each unreported part of an oppdrag not closed and the
 * milestones its part owes and has not met; for every RHF, the effective deadline of each open oppdrag
 * and its milestones not met. Soonest first, at most {@link MAX_CALENDAR_ITEMS}.
 */
export function calendarItems(source: ViewSource, scope: FeedScope): CalendarItem[] {
  const scopeKey = scope.kind === 'all' ? 'alle' : scope.rhf;
  const items: CalendarItem[] = [];
  const uidOf = (id: string, what: string): string => `${id}.${what}.${scopeKey}@oppdragsflyt`;
  for (const s of source.summaries.values()) {
    if (s.status === 'closed') continue;
    const part = scope.kind === 'rhf' ? s.parts.find((p) => p.rhf === scope.rhf) : undefined;
    if (scope.kind === 'rhf' && !part) continue;
    const milestonesOwed = scope.kind === 'all' || owesJointDelivery(s, scope.rhf);
    const deadlineOwed = scope.kind === 'all' ? s.status !== 'reported' : part?.status !== 'reported';
    if (!deadlineOwed && !(milestonesOwed && s.openMilestones.length > 0)) continue;
    const view = source.view(s.id);
    if (!view) continue;
    if (deadlineOwed) {
      items.push({
        uid: uidOf(s.id, 'frist'),
        date: scope.kind === 'rhf' ? partDueDate(s, scope.rhf) : effectiveDeadline(s),
        kind: 'deadline',
        view,
        milestoneId: null,
        annualReport: scope.kind === 'rhf' && !milestonesOwed,
      });
    }
    if (!milestonesOwed) continue;
    for (const m of view.oppdrag.milestones) {
      if (m.reportedOn !== null) continue;
      if (scope.kind === 'rhf' && m.reports.some((r) => r.rhf === scope.rhf)) continue;
      items.push({
        uid: uidOf(s.id, `delleveranse.${m.id}`),
        date: m.dueDate,
        kind: 'milestone',
        view,
        milestoneId: m.id,
        annualReport: false,
      });
    }
  }
  items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : 1));
  return items.slice(0, MAX_CALENDAR_ITEMS);
}
