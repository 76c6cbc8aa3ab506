import { RHF_IDS, type CalendarDate, type OppdragStatus } from '#domain';
import {
  isDueWithin,
  isOpen,
  isViewOverdueOn,
  viewEffectiveDeadline,
  type OppdragView,
} from './oppdrag-view.js';

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

const fold = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

/** Read-only questions over the in-memory views. Every answer is bounded. */
export class OppdragQueries {
  private searchText = new WeakMap<OppdragView, string>();

  constructor(private readonly views: ReadonlyMap<string, OppdragView>) {}

  byId(id: string): OppdragView | undefined {
    return this.views.get(id);
  }

  /** Matching oppdrag sorted by effective deadline then id, one page after `after` (an opaque cursor). */
  list(filter: OppdragFilter, today: CalendarDate, first: number, after: string | null): Page<OppdragView> {
    const size = Math.min(Math.max(first, 1), MAX_PAGE_SIZE);
    const matches = this.filter(filter, today).sort(byDeadlineThenId);
    let start = 0;
    if (after) {
      const key = decodeCursor(after);
      start = matches.findIndex((v) => sortKey(v) > key);
      if (start === -1) start = matches.length;
    }
    const items = matches.slice(start, start + size);
    const last = items[items.length - 1];
    return {
      items,
      totalCount: matches.length,
      endCursor: last ? encodeCursor(sortKey(last)) : null,
      hasNextPage: start + size < matches.length,
    };
  }

  filter(filter: OppdragFilter, today: CalendarDate): OppdragView[] {
    const text = filter.text ? fold(filter.text.trim()) : '';
    const out: OppdragView[] = [];
    for (const view of this.views.values()) {
      const o = view.oppdrag;
      if (filter.year != null && o.year !== filter.year) continue;
      if (filter.lead != null && o.lead !== filter.lead) continue;
      if (filter.withoutLead && o.lead !== null) continue;
      if (filter.collaborator != null && !o.collaborators.some((c) => c.id === filter.collaborator)) continue;
      if (filter.status && filter.status.length > 0 && !filter.status.includes(o.status)) continue;
      if (filter.hovedmal != null && o.hovedmal?.number !== filter.hovedmal) continue;
      if (filter.overdueOn != null && !isViewOverdueOn(view, filter.overdueOn)) continue;
      if (filter.dueWithinDays != null && !isDueWithin(view, today, filter.dueWithinDays)) continue;
      if (text && !this.textOf(view).includes(text)) continue;
      out.push(view);
    }
    return out;
  }

  /** What is overdue on a day, most overdue first. */
  overdueOn(day: CalendarDate, limit: number): { items: OppdragView[]; totalCount: number } {
    const all = this.filter({ overdueOn: day }, day).sort(byDeadlineThenId);
    return { items: all.slice(0, Math.min(limit, MAX_PAGE_SIZE)), totalCount: all.length };
  }

  /** Who leads what: per RHF (and "no lead"), the open oppdrag it leads, soonest deadline first. */
  whoLeadsWhat(
    filter: OppdragFilter,
    today: CalendarDate,
    limitPerLead: number,
  ): Array<{ lead: string | null; totalCount: number; items: OppdragView[] }> {
    const groups = new Map<string | null, OppdragView[]>([
      ...RHF_IDS.map((id) => [id, []] as [string, OppdragView[]]),
      [null, []],
    ]);
    for (const view of this.filter(filter, today)) groups.get(view.oppdrag.lead)?.push(view);
    return [...groups.entries()].map(([lead, views]) => ({
      lead,
      totalCount: views.length,
      items: views.sort(byDeadlineThenId).slice(0, Math.min(limitPerLead, MAX_PAGE_SIZE)),
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

const sortKey = (view: OppdragView): string => `${viewEffectiveDeadline(view)}|${view.oppdrag.id}`;
const byDeadlineThenId = (a: OppdragView, b: OppdragView): number => {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}\|[a-z0-9-]+$/.test(key))
    throw new RangeError('after: is not a cursor this list gave out');
  return key;
}
