import {
  addDays,
  annualReportDate,
  effectiveDeadline,
  isMilestoneOverdueOn,
  isPartOpen,
  isPartOverdueOn,
  owesJointDelivery,
  partDueDate,
  RHF_IDS,
  type CalendarDate,
  type OppdragStatus,
  type PartStatus,
} from '#domain';
import {
  isSummaryOpen,
  isSummaryOverdueOn,
  searchTextOf,
  summaryOf,
  type OppdragSummary,
  type OppdragView,
} from './oppdrag-view.js';
import { SearchIndex } from './search-index.js';
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
  /**
   * Free text: every word is found, stemmed for Norwegian and as the start of a word (see
   * {@link SearchIndex}), in id, title, description and main goal.
   */
  readonly text?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

/** One RHF's load, counted in parts: each oppdrag addressed to it is a part it owns. */
export interface Workload {
  readonly organisationId: string;
  readonly leads: number;
  readonly collaboratesOn: number;
  /** The parts it owns (the oppdrag addressed to it). */
  readonly parts: number;
  /** Its parts not yet reported, of oppdrag not closed. */
  readonly open: number;
  /** Its parts overdue on the day (see the domain's isPartOverdueOn). */
  readonly overdue: number;
  /** Its parts once reported late. */
  readonly reportedLate: number;
}

/** How an RHF stands to an oppdrag: it leads it, is addressed (owns a part), or only collaborates. */
export type Involvement = 'lead' | 'addressee' | 'collaborator';

/** One oppdrag an RHF is involved in, with its own part and what it owes, as of a day. */
export interface PartItem {
  readonly view: OppdragView;
  readonly involvement: Involvement;
  /** Its part's status (null for a collaborator, which owns no part). */
  readonly partStatus: PartStatus | null;
  /** The day its part's report is due (null for a collaborator). */
  readonly dueDate: CalendarDate | null;
  readonly overdue: boolean;
  /** Milestones its part owes and has not met that are due before the day. */
  readonly overdueMilestones: readonly string[];
}

/** Something an RHF still owes: its part's report, or a milestone its part owes. */
export interface OwedItem {
  readonly view: OppdragView;
  readonly what: 'report' | 'milestone';
  readonly milestoneId: string | null;
  readonly dueDate: CalendarDate;
  readonly overdue: boolean;
}

/** An unmet milestone that is overdue on a day. */
export interface OverdueMilestone {
  readonly view: OppdragView;
  readonly milestoneId: string;
  readonly dueDate: CalendarDate;
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
/** An oppdrag whose effective deadline or milestones passed unrecorded, as these read models see it. */
export interface DueForRecording {
  readonly oppdragId: string;
  readonly revision: number;
  /** The effective deadline that passed unrecorded, or null when only milestones are due. */
  readonly deadline: CalendarDate | null;
  readonly milestones: ReadonlyArray<{ readonly id: string; readonly dueDate: CalendarDate }>;
}

export class OppdragQueries {
  private readonly index: SummaryIndex | null;
  private readonly summaries: ReadonlyMap<string, OppdragSummary>;
  private readonly search: SearchIndex;

  constructor(private readonly source: ViewSource) {
    this.summaries = source.summaries;
    this.search = new SearchIndex(source);
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
      const found = this.textMatches(filter);
      for (const list of candidates.lists) {
        if (!candidates.residual) {
          lists.push(list);
          continue;
        }
        const keys: string[] = [];
        const items: OppdragSummary[] = [];
        for (let i = 0; i < list.items.length; i++) {
          const summary = list.items[i] as OppdragSummary;
          if (!this.matches(summary, filter, today, found)) continue;
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
      // Past the end the cursor stays where it was: a client that asks again gets nothing twice.
      endCursor: last ? encodeCursor(last.sortKey) : after || null,
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

  /**
   * Per RHF: how many oppdrag it leads and collaborates on, and its parts: how many, open, overdue on
   * `day`, and reported late.
   */
  workload(day: CalendarDate, year: number | null): Workload[] {
    const rows = new Map(
      RHF_IDS.map((id) => [
        id as string,
        { leads: 0, collaboratesOn: 0, parts: 0, open: 0, overdue: 0, reportedLate: 0 },
      ]),
    );
    for (const s of this.summaries.values()) {
      if (year !== null && s.year !== year) continue;
      if (s.lead) {
        const row = rows.get(s.lead);
        if (row) row.leads += 1;
      }
      for (const part of s.parts) {
        const row = rows.get(part.rhf);
        if (!row) continue;
        row.parts += 1;
        if (isPartOpen(s, part)) row.open += 1;
        if (isPartOverdueOn(s, part, day)) row.overdue += 1;
        if (part.reportedLate) row.reportedLate += 1;
      }
      for (const c of s.collaborators) {
        const row = rows.get(c);
        if (row) row.collaboratesOn += 1;
      }
    }
    return [...rows.entries()].map(([organisationId, r]) => ({ organisationId, ...r }));
  }

  /**
   * An RHF's parts: the oppdrag it leads, those addressed to it, and those it collaborates on, soonest due
   * first (then id), one page after `after` (the last id of the page before). Closed oppdrag are left out
   * unless asked for.
   */
  partsOf(
    rhf: string,
    day: CalendarDate,
    options: { year?: number | null; includeClosed?: boolean; first: number; after?: string | null },
  ): Page<PartItem> {
    const size = Math.min(Math.max(options.first, 1), MAX_PAGE_SIZE);
    const rows: Array<{ key: string; summary: OppdragSummary; involvement: Involvement }> = [];
    for (const s of this.summaries.values()) {
      if (options.year != null && s.year !== options.year) continue;
      if (s.status === 'closed' && !options.includeClosed) continue;
      const part = s.parts.find((p) => p.rhf === rhf);
      const involvement: Involvement | null =
        s.lead === rhf ? 'lead' : part ? 'addressee' : s.collaborators.includes(rhf) ? 'collaborator' : null;
      if (!involvement) continue;
      const due = part ? partDueDate(s, rhf) : s.effectiveDeadline;
      rows.push({ key: `${due}|${s.id}`, summary: s, involvement });
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const start = options.after ? rows.findIndex((r) => r.key > decodeCursor(options.after!)) : 0;
    const from = start === -1 ? rows.length : start;
    const page = rows.slice(from, from + size);
    const items = page.map(({ summary: s, involvement }): PartItem => {
      const view = this.viewsOf([s])[0] as OppdragView;
      const part = s.parts.find((p) => p.rhf === rhf);
      const owesMilestones = part !== undefined && owesJointDelivery(s, rhf);
      return {
        view,
        involvement,
        partStatus: part?.status ?? null,
        dueDate: part ? partDueDate(s, rhf) : null,
        overdue: part ? isPartOverdueOn(s, part, day) : false,
        overdueMilestones: owesMilestones ? this.overdueMilestonesOf(view, rhf, day) : [],
      };
    });
    const last = page[page.length - 1];
    return {
      items,
      totalCount: rows.length,
      endCursor: last ? encodeCursor(last.key) : (options.after ?? null),
      hasNextPage: from + size < rows.length,
    };
  }

  /**
   * What an RHF still owes for one year's letters before its Årlig melding (15 March the year after): each
   * unreported part of an open oppdrag addressed to it, and each milestone its part owes and has not met,
   * soonest due first. At most `limit` items; `totalCount` counts them all.
   */
  stillOwes(
    rhf: string,
    year: number,
    day: CalendarDate,
    limit: number,
  ): { annualReportDate: CalendarDate; totalCount: number; items: OwedItem[] } {
    const size = Math.min(Math.max(limit, 0), MAX_PAGE_SIZE);
    const owed: Array<{
      key: string;
      summary: OppdragSummary;
      what: 'report' | 'milestone';
      milestoneId: string | null;
      dueDate: CalendarDate;
    }> = [];
    for (const s of this.summaries.values()) {
      if (s.year !== year || s.status === 'closed') continue;
      const part = s.parts.find((p) => p.rhf === rhf);
      if (!part || part.status === 'reported') continue;
      const dueDate = partDueDate(s, rhf);
      owed.push({ key: `${dueDate}|${s.id}|`, summary: s, what: 'report', milestoneId: null, dueDate });
      if (!owesJointDelivery(s, rhf)) continue;
      for (const m of s.openMilestones) {
        owed.push({
          key: `${m.dueDate}|${s.id}|${m.id}`,
          summary: s,
          what: 'milestone',
          milestoneId: m.id,
          dueDate: m.dueDate,
        });
      }
    }
    owed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // A milestone the lead's part owes may be met by it alone: ask the view whether this part has reported it.
    const items: OwedItem[] = [];
    let totalCount = 0;
    for (const o of owed) {
      const view = o.what === 'milestone' || items.length < size ? this.viewsOf([o.summary])[0] : undefined;
      if (o.what === 'milestone') {
        const milestone = view?.oppdrag.milestones.find((m) => m.id === o.milestoneId);
        if (milestone?.reports.some((r) => r.rhf === rhf)) continue;
      }
      totalCount += 1;
      if (items.length >= size) continue;
      items.push({
        view: view as OppdragView,
        what: o.what,
        milestoneId: o.milestoneId,
        dueDate: o.dueDate,
        overdue: o.dueDate < day,
      });
    }
    return { annualReportDate: annualReportDate(year), totalCount, items };
  }

  /** Unmet milestones overdue on a day, most overdue first; optionally only those one RHF's part owes. */
  overdueMilestonesOn(
    day: CalendarDate,
    limit: number,
    rhf: string | null = null,
  ): { items: OverdueMilestone[]; totalCount: number } {
    const size = Math.min(Math.max(limit, 0), MAX_PAGE_SIZE);
    const found: Array<{ key: string; summary: OppdragSummary; milestoneId: string; dueDate: CalendarDate }> =
      [];
    for (const s of this.summaries.values()) {
      if (rhf !== null && !s.parts.some((p) => p.rhf === rhf && owesJointDelivery(s, rhf))) continue;
      for (const m of s.openMilestones) {
        if (!isMilestoneOverdueOn(s, { reportedOn: null, dueDate: m.dueDate }, day)) continue;
        found.push({
          key: `${m.dueDate}|${s.id}|${m.id}`,
          summary: s,
          milestoneId: m.id,
          dueDate: m.dueDate,
        });
      }
    }
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return {
      totalCount: found.length,
      items: found.slice(0, size).map((f) => ({
        view: this.viewsOf([f.summary])[0] as OppdragView,
        milestoneId: f.milestoneId,
        dueDate: f.dueDate,
      })),
    };
  }

  private overdueMilestonesOf(view: OppdragView, rhf: string, day: CalendarDate): string[] {
    const { oppdrag } = view;
    return oppdrag.milestones
      .filter((m) => isMilestoneOverdueOn(oppdrag, m, day) && !m.reports.some((r) => r.rhf === rhf))
      .map((m) => m.id);
  }

  /**
   * Open oppdrag whose effective deadline or milestones have passed unrecorded: work for the deadline
   * watcher, with the dates they concern and the revision they were found at.
   */
  dueForRecording(today: CalendarDate): DueForRecording[] {
    const out: DueForRecording[] = [];
    for (const s of this.summaries.values()) {
      if (s.status === 'closed') continue;
      const deadline =
        isSummaryOverdueOn(s, today) && s.deadlinePassedFor !== s.effectiveDeadline
          ? s.effectiveDeadline
          : null;
      const milestones = s.openMilestones
        .filter(
          (m) => !m.recorded && isMilestoneOverdueOn(s, { reportedOn: null, dueDate: m.dueDate }, today),
        )
        .map((m) => ({ id: m.id, dueDate: m.dueDate }));
      if (deadline !== null || milestones.length > 0)
        out.push({ oppdragId: s.id, revision: s.revision, deadline, milestones });
    }
    return out;
  }

  count(): number {
    return this.summaries.size;
  }

  /** Every summary the filter matches, in no particular order (not bounded: for tools and tests). */
  filter(filter: OppdragFilter, today: CalendarDate): OppdragSummary[] {
    const found = this.textMatches(filter);
    const out: OppdragSummary[] = [];
    for (const summary of this.summaries.values()) {
      if (this.matches(summary, filter, today, found)) out.push(summary);
    }
    return out;
  }

  /** The oppdrag the filter's free text finds, or null when it has no text. */
  private textMatches(filter: OppdragFilter): ReadonlySet<string> | null {
    return filter.text?.trim() ? this.search.matching(filter.text) : null;
  }

  private matches(
    s: OppdragSummary,
    filter: OppdragFilter,
    today: CalendarDate,
    found: ReadonlySet<string> | null,
  ): boolean {
    if (filter.year != null && s.year !== filter.year) return false;
    if (filter.lead != null && s.lead !== filter.lead) return false;
    if (filter.withoutLead && s.lead !== null) return false;
    if (filter.collaborator != null && !s.collaborators.includes(filter.collaborator)) return false;
    if (filter.status && filter.status.length > 0 && !filter.status.includes(s.status)) return false;
    if (filter.hovedmal != null && s.hovedmal !== filter.hovedmal) return false;
    if (filter.overdueOn != null && !isSummaryOverdueOn(s, filter.overdueOn)) return false;
    if (filter.dueWithinDays != null && !isDueWithin(s, today, filter.dueWithinDays)) return false;
    if (found && !found.has(s.id)) return false;
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
