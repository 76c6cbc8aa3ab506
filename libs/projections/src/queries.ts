import { addDays, effectiveDeadline, RHF_IDS, type CalendarDate, type OppdragStatus } from '#domain';
import {
  foldText,
  isSummaryOpen,
  isSummaryOverdueOn,
  searchTextOf,
  summaryOf,
  type OppdragSummary,
  type OppdragView,
} from './oppdrag-view.js';
import {
  boundOf,
  mergeFirst,
  sortedSummaries,
  SummaryIndex,
  SummaryMap,
  type SortedSummaries,
} from './view-index.js';

/**
 * Where the queries read from: a summary of every oppdrag, in memory, and each whole view on demand.
 * The projector is one; {@link viewsInMemory} makes one of a plain list of views.
 */
export interface ViewSource {
  readonly summaries: ReadonlyMap<string, OppdragSummary>;
  view(id: string): OppdragView | undefined;
  /** The folded search text of one oppdrag (see {@link searchTextOf}). */
  searchText(id: string): string;
}

/** A view source over views held in memory (for tests, tools and small read models). */
export function viewsInMemory(views: Iterable<OppdragView>): ViewSource {
  const byId = new Map<string, OppdragView>();
  const summaries = new Map<string, OppdragSummary>();
  const texts = new Map<string, string>();
  for (const view of views) {
    byId.set(view.oppdrag.id, view);
    summaries.set(view.oppdrag.id, summaryOf(view));
    texts.set(view.oppdrag.id, searchTextOf(view));
  }
  return { summaries, view: (id) => byId.get(id), searchText: (id) => texts.get(id) ?? '' };
}

export interface OppdragFilter {
  readonly year?: number | null;
  readonly lead?: string | null;
  /** Only oppdrag with no lead ("all RHFs, each for itself"). */
  readonly withoutLead?: boolean | null;
  readonly collaborator?: string | null;
  readonly status?: readonly OppdragStatus[] | null;
  readonly hovedmal?: number | null;
  /** Overdue on this day. */
  readonly overdueOn?: CalendarDate | null;
  /** Open and due within this many days of `today`. */
  readonly dueWithinDays?: number | null;
  /** Free text, matched case- and accent-insensitively against id, title and description. */
  readonly text?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

export interface Workload {
  readonly organisationId: string;
  readonly leads: number;
  readonly collaboratesOn: number;
  readonly open: number;
  readonly overdue: number;
  readonly reportedLate: number;
}

export const MAX_PAGE_SIZE = 100;

const STATUSES: readonly OppdragStatus[] = ['assigned', 'started', 'reported', 'closed'];
const OPEN: readonly OppdragStatus[] = ['assigned', 'started'];

/**
 * Read-only questions over the oppdrag summaries; the items of an answer are whole views, read from the
 * source. Every answer is bounded. Over the projector's summaries (a {@link SummaryMap}) the common
 * questions read an index by status and lead, kept sorted and up to date as the summaries change; over
 * any other map, and for other filters, they scan the summaries.
 */
export class OppdragQueries {
  private readonly index: SummaryIndex | null;
  private readonly summaries: ReadonlyMap<string, OppdragSummary>;

  constructor(private readonly source: ViewSource) {
    this.summaries = source.summaries;
    this.index = this.summaries instanceof SummaryMap ? new SummaryIndex(this.summaries) : null;
  }

  byId(id: string): OppdragView | undefined {
    return this.source.view(id);
  }

  /** Matching oppdrag sorted by effective deadline then id, one page after `after` (an opaque cursor). */
  list(filter: OppdragFilter, today: CalendarDate, first: number, after: string | null): Page<OppdragView> {
    const size = Math.min(Math.max(first, 1), MAX_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : null;
    const candidates = this.candidates(filter);
    // Each list is sorted: count its matches, find the cursor in it, and merge only the page.
    const lists: SortedSummaries[] = [];
    if (candidates) {
      const folded = filter.text ? foldText(filter.text.trim()) : '';
      for (const list of candidates.lists) {
        if (!candidates.residual) {
          lists.push(list);
          continue;
        }
        const keys: string[] = [];
        const items: OppdragSummary[] = [];
        for (let i = 0; i < list.items.length; i++) {
          const summary = list.items[i] as OppdragSummary;
          if (!this.matches(summary, filter, today, folded)) continue;
          keys.push(list.keys[i] as string);
          items.push(summary);
        }
        lists.push({ keys, items });
      }
    } else {
      lists.push(sortedSummaries(this.filter(filter, today)));
    }
    let totalCount = 0;
    let remaining = 0;
    const ranges = lists.map((list) => {
      const start = cursor === null ? 0 : boundOf(list.keys, cursor, true);
      totalCount += list.items.length;
      remaining += list.items.length - start;
      return { list, start, end: list.items.length };
    });
    const page = mergeFirst(ranges, size);
    const last = page[page.length - 1];
    return {
      items: this.viewsOf(page),
      totalCount,
      endCursor: last ? encodeCursor(last.sortKey) : null,
      hasNextPage: remaining > size,
    };
  }

  /** What is overdue on a day, most overdue first. */
  overdueOn(day: CalendarDate, limit: number): { items: OppdragView[]; totalCount: number } {
    const size = Math.min(limit, MAX_PAGE_SIZE);
    if (this.index && size >= 1) {
      // Overdue: open, and the effective deadline (the first part of the sort key) is before the day.
      const below = `${day}|`;
      let totalCount = 0;
      const ranges: Array<{ list: SortedSummaries; start: number; end: number }> = [];
      for (const group of this.index.groups()) {
        if (!OPEN.includes(group.status as OppdragStatus)) continue;
        const end = boundOf(group.list.keys, below);
        totalCount += end;
        ranges.push({ list: group.list, start: 0, end });
      }
      return { items: this.viewsOf(mergeFirst(ranges, size)), totalCount };
    }
    const all = sortedSummaries(this.filter({ overdueOn: day }, day)).items;
    return { items: this.viewsOf(all.slice(0, Math.max(size, 0))), totalCount: all.length };
  }

  /** Who leads what: per RHF (and "no lead"), the open oppdrag it leads, soonest deadline first. */
  whoLeadsWhat(
    filter: OppdragFilter,
    today: CalendarDate,
    limitPerLead: number,
  ): Array<{ lead: string | null; totalCount: number; items: OppdragView[] }> {
    const leads: Array<string | null> = [...RHF_IDS, null];
    const size = Math.min(limitPerLead, MAX_PAGE_SIZE);
    const restricted = filter.lead != null || !!filter.withoutLead;
    const index = this.index;
    if (index && !hasResidual(filter) && !restricted && size >= 1) {
      const statuses = statusesOf(filter);
      return leads.map((lead) => {
        let totalCount = 0;
        const ranges = statuses.map((status) => {
          const list = index.bucket(status, lead);
          totalCount += list.items.length;
          return { list, start: 0, end: list.items.length };
        });
        return { lead, totalCount, items: this.viewsOf(mergeFirst(ranges, size)) };
      });
    }
    const groups = new Map<string | null, OppdragSummary[]>(leads.map((id) => [id, []]));
    for (const summary of this.filter(filter, today)) groups.get(summary.lead)?.push(summary);
    return [...groups.entries()].map(([lead, summaries]) => ({
      lead,
      totalCount: summaries.length,
      items: this.viewsOf(sortedSummaries(summaries).items.slice(0, Math.max(size, 0))),
    }));
  }

  /** Per RHF: how many it leads, collaborates on, has open, overdue on `day`, and reported late. */
  workload(day: CalendarDate, year: number | null): Workload[] {
    const rows = new Map<
      string,
      { leads: number; collaboratesOn: number; open: number; overdue: number; reportedLate: number }
    >(RHF_IDS.map((id) => [id, { leads: 0, collaboratesOn: 0, open: 0, overdue: 0, reportedLate: 0 }]));
    for (const s of this.summaries.values()) {
      if (year !== null && s.year !== year) continue;
      if (s.lead) {
        const row = rows.get(s.lead);
        if (row) {
          row.leads += 1;
          if (isSummaryOpen(s)) row.open += 1;
          if (isSummaryOverdueOn(s, day)) row.overdue += 1;
          if (s.reportedLate) row.reportedLate += 1;
        }
      }
      for (const c of s.collaborators) {
        const row = rows.get(c);
        if (row) row.collaboratesOn += 1;
      }
    }
    return [...rows.entries()].map(([organisationId, r]) => ({ organisationId, ...r }));
  }

  /** Open oppdrag whose effective deadline or milestones have passed unrecorded: work for the deadline watcher. */
  dueForRecording(
    today: CalendarDate,
  ): Array<{ oppdragId: string; deadline: boolean; milestoneIds: string[] }> {
    const out: Array<{ oppdragId: string; deadline: boolean; milestoneIds: string[] }> = [];
    for (const s of this.summaries.values()) {
      if (s.status === 'closed') continue;
      const deadline = isSummaryOverdueOn(s, today) && s.deadlinePassedFor !== s.effectiveDeadline;
      const milestoneIds = s.unrecordedMilestones.filter((m) => m.dueDate < today).map((m) => m.id);
      if (deadline || milestoneIds.length > 0) out.push({ oppdragId: s.id, deadline, milestoneIds });
    }
    return out;
  }

  count(): number {
    return this.summaries.size;
  }

  /** Every summary the filter matches, in no particular order (not bounded: for tools and tests). */
  filter(filter: OppdragFilter, today: CalendarDate): OppdragSummary[] {
    const text = filter.text ? foldText(filter.text.trim()) : '';
    const out: OppdragSummary[] = [];
    for (const summary of this.summaries.values()) {
      if (this.matches(summary, filter, today, text)) out.push(summary);
    }
    return out;
  }

  private matches(s: OppdragSummary, filter: OppdragFilter, today: CalendarDate, folded: string): boolean {
    if (filter.year != null && s.year !== filter.year) return false;
    if (filter.lead != null && s.lead !== filter.lead) return false;
    if (filter.withoutLead && s.lead !== null) return false;
    if (filter.collaborator != null && !s.collaborators.includes(filter.collaborator)) return false;
    if (filter.status && filter.status.length > 0 && !filter.status.includes(s.status)) return false;
    if (filter.hovedmal != null && s.hovedmal !== filter.hovedmal) return false;
    if (filter.overdueOn != null && !isSummaryOverdueOn(s, filter.overdueOn)) return false;
    if (filter.dueWithinDays != null && !isDueWithin(s, today, filter.dueWithinDays)) return false;
    if (folded && !this.source.searchText(s.id).includes(folded)) return false;
    return true;
  }

  private viewsOf(summaries: readonly OppdragSummary[]): OppdragView[] {
    return summaries.map((s) => {
      const view = this.source.view(s.id);
      if (!view) throw new Error(`the read models hold a summary of ${s.id} but not its view`);
      return view;
    });
  }

  /**
   * The sorted lists that hold every summary the filter can match, when the index can narrow them by
   * status and lead; `residual` says whether other parts of the filter must still be checked one by one.
   */
  private candidates(filter: OppdragFilter): { lists: readonly SortedSummaries[]; residual: boolean } | null {
    if (!this.index) return null;
    const statuses = statusesOf(filter);
    const byStatus = statuses.length < STATUSES.length;
    const byLead = filter.lead != null || !!filter.withoutLead;
    const residual = hasResidual(filter);
    if (!byStatus && !byLead && residual) return null;
    const lists: SortedSummaries[] = [];
    for (const group of this.index.groups()) {
      if (!statuses.includes(group.status as OppdragStatus)) continue;
      if (filter.lead != null && group.lead !== filter.lead) continue;
      if (filter.withoutLead && group.lead !== null) continue;
      lists.push(group.list);
    }
    return { lists, residual };
  }
}

/** Open and due within `days` days from `today` (inclusive), not yet overdue. */
function isDueWithin(s: OppdragSummary, today: CalendarDate, days: number): boolean {
  return isSummaryOpen(s) && s.effectiveDeadline >= today && s.effectiveDeadline <= addDays(today, days);
}

/** Whether a filter asks about more than status and lead (what the index cannot answer alone). */
function hasResidual(filter: OppdragFilter): boolean {
  return (
    filter.year != null ||
    filter.collaborator != null ||
    filter.hovedmal != null ||
    filter.overdueOn != null ||
    filter.dueWithinDays != null ||
    !!filter.text?.trim() ||
    (filter.lead != null && !!filter.withoutLead)
  );
}

/** The statuses a filter allows, each once, in a fixed order (all four when it names none). */
function statusesOf(filter: OppdragFilter): OppdragStatus[] {
  if (!filter.status || filter.status.length === 0) return [...STATUSES];
  return STATUSES.filter((s) => filter.status!.includes(s));
}
const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

/** The cursor of one view in a list: pass it as `after` to continue after that view. */
export const cursorOf = (view: OppdragView): string =>
  encodeCursor(`${effectiveDeadline(view.oppdrag)}|${view.oppdrag.id}`);
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}\|[a-z0-9-]+$/.test(key))
    throw new RangeError('after: is not a cursor this list gave out');
  return key;
}
