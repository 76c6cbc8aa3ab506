import { RHF_IDS, type CalendarDate, type OppdragStatus } from '#domain';
import {
  isDueWithin,
  isOpen,
  isViewOverdueOn,
  viewEffectiveDeadline,
  type OppdragView,
} from './oppdrag-view.js';
import {
  boundOf,
  mergeFirst,
  sortedViews,
  sortKeyOf,
  ViewIndex,
  ViewMap,
  type SortedViews,
} from './view-index.js';

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

/** Lower-case, without accents, and with ø and æ spelled o and ae, so "sor-ost" finds "Sør-Øst". */
const fold = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae');

const STATUSES: readonly OppdragStatus[] = ['assigned', 'started', 'reported', 'closed'];
const OPEN: readonly OppdragStatus[] = ['assigned', 'started'];

/**
 * Read-only questions over the in-memory views. Every answer is bounded. Over the projector's views (a
 * {@link ViewMap}) the common questions read an index of the views by status and lead, kept sorted and up
 * to date as the views change; over any other map, and for other filters, they scan the views.
 */
export class OppdragQueries {
  private searchText = new WeakMap<OppdragView, string>();
  private readonly index: ViewIndex | null;

  constructor(private readonly views: ReadonlyMap<string, OppdragView>) {
    this.index = views instanceof ViewMap ? new ViewIndex(views) : null;
  }

  byId(id: string): OppdragView | undefined {
    return this.views.get(id);
  }

  /** Matching oppdrag sorted by effective deadline then id, one page after `after` (an opaque cursor). */
  list(filter: OppdragFilter, today: CalendarDate, first: number, after: string | null): Page<OppdragView> {
    const size = Math.min(Math.max(first, 1), MAX_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : null;
    const candidates = this.candidates(filter);
    // Each list is sorted: count its matches, find the cursor in it, and merge only the page.
    const lists: SortedViews[] = [];
    if (candidates) {
      const folded = filter.text ? fold(filter.text.trim()) : '';
      for (const list of candidates.lists) {
        if (!candidates.residual) {
          lists.push(list);
          continue;
        }
        const keys: string[] = [];
        const views: OppdragView[] = [];
        for (let i = 0; i < list.views.length; i++) {
          const view = list.views[i] as OppdragView;
          if (!this.matches(view, filter, today, folded)) continue;
          keys.push(list.keys[i] as string);
          views.push(view);
        }
        lists.push({ keys, views });
      }
    } else {
      lists.push(sortedViews(this.filter(filter, today)));
    }
    let totalCount = 0;
    let remaining = 0;
    const ranges = lists.map((list) => {
      const start = cursor === null ? 0 : boundOf(list.keys, cursor, true);
      totalCount += list.views.length;
      remaining += list.views.length - start;
      return { list, start, end: list.views.length };
    });
    const items = mergeFirst(ranges, size);
    const last = items[items.length - 1];
    return {
      items,
      totalCount,
      endCursor: last ? encodeCursor(sortKeyOf(last)) : null,
      hasNextPage: remaining > size,
    };
  }

  filter(filter: OppdragFilter, today: CalendarDate): OppdragView[] {
    const text = filter.text ? fold(filter.text.trim()) : '';
    const out: OppdragView[] = [];
    for (const view of this.views.values()) {
      if (this.matches(view, filter, today, text)) out.push(view);
    }
    return out;
  }

  /** What is overdue on a day, most overdue first. */
  overdueOn(day: CalendarDate, limit: number): { items: OppdragView[]; totalCount: number } {
    const size = Math.min(limit, MAX_PAGE_SIZE);
    if (this.index && size >= 1) {
      // Overdue: open, and the effective deadline (the first part of the sort key) is before the day.
      const below = `${day}|`;
      let totalCount = 0;
      const ranges: Array<{ list: SortedViews; start: number; end: number }> = [];
      for (const group of this.index.groups()) {
        if (!OPEN.includes(group.status as OppdragStatus)) continue;
        const end = boundOf(group.list.keys, below);
        totalCount += end;
        ranges.push({ list: group.list, start: 0, end });
      }
      return { items: mergeFirst(ranges, size), totalCount };
    }
    const all = sortedViews(this.filter({ overdueOn: day }, day)).views;
    return { items: all.slice(0, size), totalCount: all.length };
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
          totalCount += list.views.length;
          return { list, start: 0, end: list.views.length };
        });
        return { lead, totalCount, items: mergeFirst(ranges, size) };
      });
    }
    const groups = new Map<string | null, OppdragView[]>(leads.map((id) => [id, []]));
    for (const view of this.filter(filter, today)) groups.get(view.oppdrag.lead)?.push(view);
    return [...groups.entries()].map(([lead, views]) => ({
      lead,
      totalCount: views.length,
      items: sortedViews(views).views.slice(0, size),
    }));
  }

  /** Per RHF: how many it leads, collaborates on, has open, overdue on `day`, and reported late. */
  workload(day: CalendarDate, year: number | null): Workload[] {
    const rows = new Map<
      string,
      { leads: number; collaboratesOn: number; open: number; overdue: number; reportedLate: number }
    >(RHF_IDS.map((id) => [id, { leads: 0, collaboratesOn: 0, open: 0, overdue: 0, reportedLate: 0 }]));
    for (const view of this.views.values()) {
      const o = view.oppdrag;
      if (year !== null && o.year !== year) continue;
      if (o.lead) {
        const row = rows.get(o.lead);
        if (row) {
          row.leads += 1;
          if (isOpen(view)) row.open += 1;
          if (isViewOverdueOn(view, day)) row.overdue += 1;
          if (o.reportedLate) row.reportedLate += 1;
        }
      }
      for (const c of o.collaborators) {
        const row = rows.get(c.id);
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
    for (const view of this.views.values()) {
      const o = view.oppdrag;
      if (o.status === 'closed') continue;
      const deadline = isViewOverdueOn(view, today) && o.deadlinePassedFor !== viewEffectiveDeadline(view);
      const milestoneIds = o.milestones
        .filter((m) => m.reportedOn === null && !m.dueRecorded && m.dueDate < today)
        .map((m) => m.id);
      if (deadline || milestoneIds.length > 0) out.push({ oppdragId: o.id, deadline, milestoneIds });
    }
    return out;
  }

  count(): number {
    return this.views.size;
  }

  /**
   * The sorted lists that hold every view the filter can match, when the index can narrow them by status
   * and lead; `residual` says whether other parts of the filter must still be checked view by view.
   */
  private candidates(filter: OppdragFilter): { lists: readonly SortedViews[]; residual: boolean } | null {
    if (!this.index) return null;
    const statuses = statusesOf(filter);
    const byStatus = statuses.length < STATUSES.length;
    const byLead = filter.lead != null || !!filter.withoutLead;
    const residual = hasResidual(filter);
    if (!byStatus && !byLead && residual) return null;
    const lists: SortedViews[] = [];
    for (const group of this.index.groups()) {
      if (!statuses.includes(group.status as OppdragStatus)) continue;
      if (filter.lead != null && group.lead !== filter.lead) continue;
      if (filter.withoutLead && group.lead !== null) continue;
      lists.push(group.list);
    }
    return { lists, residual };
  }

  private matches(view: OppdragView, filter: OppdragFilter, today: CalendarDate, folded?: string): boolean {
    const o = view.oppdrag;
    if (filter.year != null && o.year !== filter.year) return false;
    if (filter.lead != null && o.lead !== filter.lead) return false;
    if (filter.withoutLead && o.lead !== null) return false;
    if (filter.collaborator != null && !o.collaborators.some((c) => c.id === filter.collaborator))
      return false;
    if (filter.status && filter.status.length > 0 && !filter.status.includes(o.status)) return false;
    if (filter.hovedmal != null && o.hovedmal?.number !== filter.hovedmal) return false;
    if (filter.overdueOn != null && !isViewOverdueOn(view, filter.overdueOn)) return false;
    if (filter.dueWithinDays != null && !isDueWithin(view, today, filter.dueWithinDays)) return false;
    const text = folded ?? (filter.text ? fold(filter.text.trim()) : '');
    if (text && !this.textOf(view).includes(text)) return false;
    return true;
  }

  private textOf(view: OppdragView): string {
    let text = this.searchText.get(view);
    if (text === undefined) {
      const o = view.oppdrag;
      text = fold(`${o.id} ${o.title} ${o.description} ${o.hovedmal?.title ?? ''}`);
      this.searchText.set(view, text);
    }
    return text;
  }
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
export const cursorOf = (view: OppdragView): string => encodeCursor(sortKeyOf(view));
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}\|[a-z0-9-]+$/.test(key))
    throw new RangeError('after: is not a cursor this list gave out');
  return key;
}
