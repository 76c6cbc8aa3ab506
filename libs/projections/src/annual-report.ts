import {
  annualReportDate,
  deadlineSource,
  effectiveDeadline,
  isMilestoneOverdueOn,
  isOverdueOn,
  isPartOpen,
  isPartOverdueOn,
  isRhfId,
  owesJointDelivery,
  partDueDate,
  partOf,
  type CalendarDate,
  type CloseOutcome,
  type ExistingOppdrag,
  type OppdragStatus,
  type PartStatus,
  type SourceReference,
} from '#domain';
import type { OppdragQueries } from './queries.js';

/**
 * The Årlig melding sheet: for one year, every oppdrag addressed to the RHFs asked for, one row each,
 * with each RHF's own part side by side. Built here once, from the read models and the domain's rules,
 * for every form it is given in (GraphQL, XLSX, CSV, the CLI).
 */

/** The most rows one sheet may hold; a year has a few hundred oppdrag at most. */
export const MAX_ANNUAL_REPORT_ROWS = 5000;

/** Something a part still owes: its own report, or a milestone its part owes and has not reported. */
export interface AnnualReportOwed {
  readonly what: 'report' | 'milestone';
  readonly milestoneId: string | null;
  /** The milestone's title or kind; null for the report. */
  readonly title: string | null;
  readonly dueDate: CalendarDate;
  readonly overdue: boolean;
}

/** One RHF's own part of an oppdrag, as its Årlig melding reports it. */
export interface AnnualReportPart {
  readonly rhf: string;
  /** This RHF leads the oppdrag (its part owes the joint delivery). */
  readonly leads: boolean;
  readonly status: PartStatus;
  readonly startedOn: CalendarDate | null;
  readonly reportedOn: CalendarDate | null;
  readonly documentRef: string | null;
  /** The day its report is due (the domain's partDueDate). */
  readonly dueDate: CalendarDate;
  /** Overdue on the sheet's day (the domain's isPartOverdueOn). */
  readonly overdue: boolean;
  /** A report of this part was delivered after its due date. */
  readonly reportedLate: boolean;
  /** What it still owes, soonest due first; empty once reported or when the oppdrag is closed. */
  readonly owes: readonly AnnualReportOwed[];
}

export interface AnnualReportRow {
  readonly oppdragId: string;
  readonly title: string;
  readonly hovedmal: { readonly number: number | null; readonly title: string } | null;
  /** The letter the oppdrag stands in (for one RHF: its own letter when known). */
  readonly source: Pick<SourceReference, 'letter' | 'letterKind' | 'heading' | 'lineStart'> | null;
  readonly lead: string | null;
  readonly status: OppdragStatus;
  readonly closedOutcome: CloseOutcome | null;
  /** The stated deadline, if any. */
  readonly deadline: CalendarDate | null;
  readonly effectiveDeadline: CalendarDate;
  readonly deadlineSource: 'stated' | 'annual-report';
  /** The oppdrag is overdue on the sheet's day (the domain's isOverdueOn). */
  readonly overdue: boolean;
  /** A report the oppdrag's deadline rests on was delivered late. */
  readonly reportedLate: boolean;
  /** The lead's joint report, when the oppdrag has a lead and its part has reported. */
  readonly jointReport: { readonly reportedOn: CalendarDate; readonly documentRef: string | null } | null;
  /** One entry per RHF of the sheet, in its order: that RHF's part, or null when it is not addressed. */
  readonly parts: ReadonlyArray<AnnualReportPart | null>;
}

/** Per RHF: its parts on the sheet, counted. */
export interface AnnualReportTotals {
  readonly rhf: string;
  readonly parts: number;
  readonly leads: number;
  readonly assigned: number;
  readonly started: number;
  readonly reported: number;
  /** Not reported, of oppdrag not closed. */
  readonly open: number;
  readonly overdue: number;
  readonly reportedLate: number;
  /** Things still owed (reports and milestones). */
  readonly owed: number;
}

export interface AnnualReport {
  readonly year: number;
  /** The day overdue and owed are judged on. */
  readonly on: CalendarDate;
  /** The Årlig melding for the year is due this day. */
  readonly annualReportDate: CalendarDate;
  /** The RHFs of the sheet: one, or all four side by side. */
  readonly rhfs: readonly string[];
  readonly rows: readonly AnnualReportRow[];
  readonly totals: readonly AnnualReportTotals[];
}

/** The sheet has more rows than {@link MAX_ANNUAL_REPORT_ROWS}. */
export class AnnualReportTooLargeError extends RangeError {
  constructor(count: number, max: number) {
    super(`the sheet would have ${count} rows; at most ${max} are allowed`);
  }
}

/**
 * The sheet for one year and the given RHFs, judged on `on`: every oppdrag of that year addressed to at
 * least one of them, grouped by hovedmål in letter order (hovedmål number, then the letter and the line
 * the oppdrag stands on, then id).
 */
export function annualReport(
  queries: OppdragQueries,
  options: {
    readonly year: number;
    readonly rhfs: readonly string[];
    readonly on: CalendarDate;
    /** The most rows allowed (default {@link MAX_ANNUAL_REPORT_ROWS}). */
    readonly maxRows?: number;
  },
): AnnualReport {
  const { year, rhfs, on } = options;
  const maxRows = options.maxRows ?? MAX_ANNUAL_REPORT_ROWS;
  for (const rhf of rhfs) if (!isRhfId(rhf)) throw new RangeError(`rhf: "${rhf}" is not one of the RHFs`);
  if (rhfs.length === 0 || new Set(rhfs).size !== rhfs.length)
    throw new RangeError('rhfs: name one RHF or more, each once');
  const summaries = queries.filter({ year }, on).filter((s) => s.parts.some((p) => rhfs.includes(p.rhf)));
  if (summaries.length > maxRows) throw new AnnualReportTooLargeError(summaries.length, maxRows);
  const sorted = summaries
    .map((s) => {
      const view = queries.byId(s.id);
      if (!view) throw new Error(`the read models hold a summary of ${s.id} but not its view`);
      return rowOf(view.oppdrag, rhfs, on);
    })
    .sort(compareRows);
  return {
    year,
    on,
    annualReportDate: annualReportDate(year),
    rhfs,
    rows: sorted.map((r) => r.row),
    totals: rhfs.map((rhf, i) => totalsOf(rhf, sorted, i)),
  };
}

interface SortableRow {
  readonly row: AnnualReportRow;
  readonly order: readonly [number, number, string, number, string];
}

const LETTER_KIND_ORDER: Readonly<Record<SourceReference['letterKind'], number>> = {
  hoveddokument: 0,
  tilleggsdokument: 1,
  other: 2,
};

function compareRows(a: SortableRow, b: SortableRow): number {
  for (let i = 0; i < a.order.length; i++) {
    const x = a.order[i] as string | number;
    const y = b.order[i] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** The source to show: with one RHF, the letter sent to it when there is one; otherwise the first. */
function sourceFor(oppdrag: ExistingOppdrag, rhfs: readonly string[]): SourceReference | null {
  const own = rhfs.length === 1 ? oppdrag.sources.find((s) => s.recipient === rhfs[0]) : undefined;
  return own ?? oppdrag.sources[0] ?? null;
}

function rowOf(oppdrag: ExistingOppdrag, rhfs: readonly string[], on: CalendarDate): SortableRow {
  const source = sourceFor(oppdrag, rhfs);
  const leadPart = oppdrag.lead === null ? undefined : partOf(oppdrag, oppdrag.lead);
  const row: AnnualReportRow = {
    oppdragId: oppdrag.id,
    title: oppdrag.title,
    hovedmal: oppdrag.hovedmal,
    source: source
      ? {
          letter: source.letter,
          letterKind: source.letterKind,
          heading: source.heading,
          lineStart: source.lineStart,
        }
      : null,
    lead: oppdrag.lead,
    status: oppdrag.status,
    closedOutcome: oppdrag.closed?.outcome ?? null,
    deadline: oppdrag.deadline,
    effectiveDeadline: effectiveDeadline(oppdrag),
    deadlineSource: deadlineSource(oppdrag),
    overdue: isOverdueOn(oppdrag, on),
    reportedLate: oppdrag.reportedLate,
    jointReport:
      leadPart?.status === 'reported' && leadPart.reportedOn !== null
        ? { reportedOn: leadPart.reportedOn, documentRef: leadPart.documentRef }
        : null,
    parts: rhfs.map((rhf) => partRow(oppdrag, rhf, on)),
  };
  return {
    row,
    order: [
      oppdrag.hovedmal?.number ?? Number.MAX_SAFE_INTEGER,
      source ? LETTER_KIND_ORDER[source.letterKind] : Number.MAX_SAFE_INTEGER,
      source?.letter ?? '',
      source?.lineStart ?? Number.MAX_SAFE_INTEGER,
      oppdrag.id,
    ],
  };
}

function partRow(oppdrag: ExistingOppdrag, rhf: string, on: CalendarDate): AnnualReportPart | null {
  const part = partOf(oppdrag, rhf);
  if (!part) return null;
  return {
    rhf,
    leads: oppdrag.lead === rhf,
    status: part.status,
    startedOn: part.startedOn,
    reportedOn: part.reportedOn,
    documentRef: part.documentRef,
    dueDate: partDueDate(oppdrag, rhf),
    overdue: isPartOverdueOn(oppdrag, part, on),
    reportedLate: part.reportedLate,
    owes: owedByPart(oppdrag, rhf, on),
  };
}

/**
 * What one RHF's part still owes, as the stillOwes query counts it: nothing once its part is reported or
 * the oppdrag is closed; otherwise its report, and, when its part owes the joint delivery, each milestone
 * not met that it has not reported itself.
 */
export function owedByPart(oppdrag: ExistingOppdrag, rhf: string, on: CalendarDate): AnnualReportOwed[] {
  const part = partOf(oppdrag, rhf);
  if (!part || !isPartOpen(oppdrag, part)) return [];
  const dueDate = partDueDate(oppdrag, rhf);
  const owed: AnnualReportOwed[] = [
    { what: 'report', milestoneId: null, title: null, dueDate, overdue: dueDate < on },
  ];
  if (owesJointDelivery(oppdrag, rhf)) {
    for (const m of oppdrag.milestones) {
      if (m.reportedOn !== null || m.reports.some((r) => r.rhf === rhf)) continue;
      owed.push({
        what: 'milestone',
        milestoneId: m.id,
        title: m.title || m.kind,
        dueDate: m.dueDate,
        overdue: isMilestoneOverdueOn(oppdrag, m, on),
      });
    }
  }
  return owed.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

function totalsOf(rhf: string, rows: readonly SortableRow[], index: number): AnnualReportTotals {
  const totals = {
    rhf,
    parts: 0,
    leads: 0,
    assigned: 0,
    started: 0,
    reported: 0,
    open: 0,
    overdue: 0,
    reportedLate: 0,
    owed: 0,
  };
  for (const { row } of rows) {
    const part = row.parts[index];
    if (!part) continue;
    totals.parts += 1;
    if (part.leads) totals.leads += 1;
    totals[part.status] += 1;
    if (isPartOpen(row, part)) totals.open += 1;
    if (part.overdue) totals.overdue += 1;
    if (part.reportedLate) totals.reportedLate += 1;
    totals.owed += part.owes.length;
  }
  return totals;
}
