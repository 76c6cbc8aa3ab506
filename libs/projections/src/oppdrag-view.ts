import {
  currentDeadlinePassedOn,
  effectiveDeadline,
  evolve,
  initialState,
  isOpenStatus,
  isOverdueOn,
  type CalendarDate,
  type ExistingOppdrag,
  type OppdragEventType,
  type OppdragStatus,
  type PartStatus,
} from '#domain';
import type { StoredOppdragEvent } from '#application/stored-events.js';

/**
 * The read model of one oppdrag: its state folded by the domain's own `evolve` (so the view can never
 * disagree with the decider), plus what only the stream knows: revision, position and the last change.
 */
export interface OppdragView {
  readonly oppdrag: ExistingOppdrag;
  readonly revision: number;
  /** Global position (commit part) of the last event applied, as a decimal string. */
  readonly position: string;
  readonly assignedAt: string;
  readonly lastChange: {
    readonly type: OppdragEventType;
    readonly at: string;
    readonly actorName: string;
    readonly actorOrganisation: string;
  };
  /** The day the engine recorded the current effective deadline as passed, if it did (see the domain). */
  readonly deadlinePassedOn: CalendarDate | null;
}

/**
 * Applies one stored event to a view. Returns the same view when the event was applied before (its
 * revision is not newer), so applying an event twice changes nothing.
 */
export function applyToView(
  view: OppdragView | undefined,
  stored: StoredOppdragEvent,
): OppdragView | undefined {
  if (view && stored.revision <= view.revision) return view;
  const state = evolve(view ? view.oppdrag : initialState(), stored.event);
  if (state.status === 'initial') return view;
  return {
    oppdrag: state,
    revision: stored.revision,
    position: stored.position.commit.toString(),
    assignedAt: view?.assignedAt ?? stored.recordedAt,
    lastChange: {
      type: stored.event.type,
      at: stored.recordedAt,
      actorName: stored.metadata.actor?.name ?? 'ukjent',
      actorOrganisation: stored.metadata.actor?.organisationId ?? 'ukjent',
    },
    deadlinePassedOn: currentDeadlinePassedOn(state),
  };
}

/**
 * What the queries need to know of one oppdrag, kept in memory for every oppdrag. The whole view (with
 * description, sources and milestone details) stays in the read-model file and is read when asked for.
 */
export interface OppdragSummary {
  readonly id: string;
  readonly revision: number;
  readonly year: number;
  readonly status: OppdragStatus;
  readonly lead: string | null;
  /** The stated deadline, if any. */
  readonly deadline: CalendarDate | null;
  /** One per addressee: its part's status and whether it reported late. */
  readonly parts: ReadonlyArray<{
    readonly rhf: string;
    readonly status: PartStatus;
    readonly reportedLate: boolean;
  }>;
  readonly collaborators: readonly string[];
  readonly hovedmal: number | null;
  readonly effectiveDeadline: CalendarDate;
  /** The order of every list: effective deadline, then id. */
  readonly sortKey: string;
  readonly reportedLate: boolean;
  /** The effective deadline the engine last recorded as passed (see the domain's deadlinePassedFor). */
  readonly deadlinePassedFor: CalendarDate | null;
  /** Milestones not yet met, with whether the engine has recorded their due date as passed. */
  readonly openMilestones: ReadonlyArray<{
    readonly id: string;
    readonly dueDate: CalendarDate;
    readonly recorded: boolean;
  }>;
}

type PartEntry = OppdragSummary['parts'][number];
const partEntries = new Map<string, PartEntry>();

/**
 * One part as a summary holds it. There are few different ones (an RHF, a status, late or not), so every
 * summary shares them: a summary of every oppdrag stays in memory, and these would be most of its objects.
 */
export function partEntry(rhf: string, status: PartStatus, reportedLate: boolean): PartEntry {
  const key = `${rhf}|${status}|${reportedLate ? 1 : 0}`;
  let entry = partEntries.get(key);
  if (!entry) {
    entry = Object.freeze({ rhf, status, reportedLate });
    partEntries.set(key, entry);
  }
  return entry;
}

/** A summary read back from the read-model file, its parts shared as {@link summaryOf} makes them. */
export function sharedParts(summary: OppdragSummary): OppdragSummary {
  return { ...summary, parts: summary.parts.map((p) => partEntry(p.rhf, p.status, p.reportedLate)) };
}

/**
 * The rule of {@link foldText}, for any text: lower-case, decomposed, accents dropped, ø and æ spelled
 * out. Exported for the test that checks the fast path against it.
 */
export const foldTextByRule = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae');

/** Any character beyond Latin-1. */
const BEYOND_LATIN_1 = /[\u0100-\uffff]/;
/** Latin-1 characters beyond ASCII. */
const LATIN_1_UPPER_HALF = /[\u0080-\u00ff]/g;
/** Each Latin-1 character beyond ASCII, folded by the rule on its own. */
const FOLDED_LATIN_1 = new Map<string, string>(
  Array.from({ length: 128 }, (_, i) => {
    const c = String.fromCharCode(128 + i);
    return [c, foldTextByRule(c)];
  }),
);

/**
 * Lower-case, without accents, and with ø and æ spelled o and ae, so "sor-ost" finds "Sør-Øst".
 *
 * Norwegian text is Latin-1, and for Latin-1 the rule works character by character: lower-casing keeps
 * it Latin-1, and each character decomposes on its own into a letter and at most one accent, so no
 * accents meet and are reordered. Such text is lower-cased and its few characters beyond ASCII looked
 * up; any other text takes the rule ({@link foldTextByRule}) itself.
 */
export const foldText = (text: string): string => {
  if (BEYOND_LATIN_1.test(text)) return foldTextByRule(text);
  return text.toLowerCase().replace(LATIN_1_UPPER_HALF, (c) => FOLDED_LATIN_1.get(c) ?? foldTextByRule(c));
};

/** The summary of a view. */
export function summaryOf(view: OppdragView): OppdragSummary {
  const o = view.oppdrag;
  const due = effectiveDeadline(o);
  return {
    id: o.id,
    revision: view.revision,
    year: o.year,
    status: o.status,
    lead: o.lead,
    deadline: o.deadline,
    parts: o.parts.map((p) => partEntry(p.rhf, p.status, p.reportedLate)),
    collaborators: o.collaborators.map((c) => c.id),
    hovedmal: o.hovedmal?.number ?? null,
    effectiveDeadline: due,
    sortKey: `${due}|${o.id}`,
    reportedLate: o.reportedLate,
    deadlinePassedFor: o.deadlinePassedFor,
    openMilestones: o.milestones
      .filter((m) => m.reportedOn === null)
      .map((m) => ({ id: m.id, dueDate: m.dueDate, recorded: m.dueRecorded })),
  };
}

/** Id, title, description and main goal, folded for free-text search. */
export const searchTextOf = (view: OppdragView): string =>
  foldText(
    `${view.oppdrag.id} ${view.oppdrag.title} ${view.oppdrag.description} ${view.oppdrag.hovedmal?.title ?? ''}`,
  );

export const isSummaryOpen = (s: OppdragSummary): boolean => isOpenStatus(s.status);
/** The domain's one overdue rule, asked of a summary (it holds what the rule reads). */
export const isSummaryOverdueOn = (s: OppdragSummary, day: CalendarDate): boolean => isOverdueOn(s, day);

export const isOpen = (view: OppdragView): boolean => isOpenStatus(view.oppdrag.status);

/** The next date something is due: an unreported milestone or the effective deadline, whichever is first. */
export function nextDueDate(view: OppdragView): { date: CalendarDate; what: string } | null {
  const { oppdrag } = view;
  if (oppdrag.status === 'closed') return null;
  // On the same day, the milestone listed first wins, and a milestone wins over the deadline.
  let next: { date: CalendarDate; what: string } | null = null;
  for (const m of oppdrag.milestones) {
    if (m.reportedOn === null && (next === null || m.dueDate < next.date))
      next = { date: m.dueDate, what: m.title || m.kind };
  }
  if (isOpen(view)) {
    const deadline = effectiveDeadline(oppdrag);
    if (next === null || deadline < next.date) next = { date: deadline, what: 'frist' };
  }
  return next;
}
