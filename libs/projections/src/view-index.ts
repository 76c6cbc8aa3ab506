import type { OppdragSummary } from './oppdrag-view.js';

type Change =
  { readonly before: OppdragSummary | undefined; readonly after: OppdragSummary | undefined } | 'reset';

/**
 * The projector's summaries: a Map that tells its observers about every change, so that query indexes
 * can follow the summaries without scanning them. It is a Map in every other respect.
 */
export class SummaryMap extends Map<string, OppdragSummary> {
  private readonly observers = new Set<(change: Change) => void>();

  override set(id: string, summary: OppdragSummary): this {
    // Map's constructor may call set before the observers exist.
    const observers = this.observers as Set<(change: Change) => void> | undefined;
    if (!observers || observers.size === 0) return super.set(id, summary);
    const before = super.get(id);
    super.set(id, summary);
    for (const observe of observers) observe({ before, after: summary });
    return this;
  }

  override delete(id: string): boolean {
    const before = super.get(id);
    const deleted = super.delete(id);
    if (deleted) for (const observe of this.observers) observe({ before, after: undefined });
    return deleted;
  }

  override clear(): void {
    super.clear();
    for (const observe of this.observers) observe('reset');
  }

  /** Calls `observer` after every change; returns a function that stops it. */
  observe(observer: (change: Change) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }
}

/** Summaries in sort order (effective deadline, then id), with their keys alongside. */
export interface SortedSummaries {
  readonly keys: readonly string[];
  readonly items: readonly OppdragSummary[];
}

/** The first index in sorted keys whose key is not below `key` (or above it, when `strictlyAbove`). */
export function boundOf(keys: readonly string[], key: string, strictlyAbove = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid] as string;
    if (k < key || (strictlyAbove && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorts summaries and returns them with their keys. */
export function sortedSummaries(summaries: readonly OppdragSummary[]): SortedSummaries {
  const items = [...summaries].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return { keys: items.map((s) => s.sortKey), items };
}

/**
 * The first `size` summaries, in sort order, of several sorted lists, each read from `start` up to (not
 * including) `end`: a k-way merge that compares keys only.
 */
export function mergeFirst(
  ranges: ReadonlyArray<{ readonly list: SortedSummaries; readonly start: number; readonly end: number }>,
  size: number,
): OppdragSummary[] {
  const at = ranges.map((r) => r.start);
  const out: OppdragSummary[] = [];
  while (out.length < size) {
    let best = -1;
    let bestKey = '';
    for (let r = 0; r < ranges.length; r++) {
      const range = ranges[r]!;
      const i = at[r]!;
      if (i >= range.end) continue;
      const key = range.list.keys[i] as string;
      if (best === -1 || key < bestKey) {
        best = r;
        bestKey = key;
      }
    }
    if (best === -1) break;
    out.push(ranges[best]!.list.items[at[best]!] as OppdragSummary);
    at[best]! += 1;
  }
  return out;
}

const bucketOf = (status: string, lead: string | null): string => `${status}\u0000${lead ?? ''}`;

interface Bucket {
  readonly keys: string[];
  readonly items: OppdragSummary[];
}

const EMPTY: SortedSummaries = { keys: [], items: [] };

/**
 * The summaries grouped by status and lead, each group kept sorted by (effective deadline, id). Built on
 * the first question and then kept up to date change by change, so that "what is overdue", "who leads
 * what" and a page of one lead's oppdrag read a few sorted lists instead of every oppdrag.
 */
export class SummaryIndex {
  private buckets: Map<string, Bucket> | null = null;
  private groupList: Array<{ status: string; lead: string | null; list: SortedSummaries }> | null = null;
  private readonly stop: () => void;

  constructor(private readonly summaries: SummaryMap) {
    this.stop = summaries.observe((change) => this.apply(change));
  }

  /** The sorted summaries of one status and lead (empty when there are none). */
  bucket(status: string, lead: string | null): SortedSummaries {
    return this.built().get(bucketOf(status, lead)) ?? EMPTY;
  }

  /** Every (status, lead) group, with its status and lead (a group may be empty). */
  groups(): ReadonlyArray<{
    readonly status: string;
    readonly lead: string | null;
    readonly list: SortedSummaries;
  }> {
    const buckets = this.built();
    if (this.groupList) return this.groupList;
    const out: Array<{ status: string; lead: string | null; list: SortedSummaries }> = [];
    for (const [key, list] of buckets) {
      const [status, lead] = key.split('\u0000') as [string, string];
      out.push({ status, lead: lead === '' ? null : lead, list });
    }
    this.groupList = out;
    return out;
  }

  close(): void {
    this.stop();
  }

  private built(): Map<string, Bucket> {
    if (this.buckets) return this.buckets;
    const grouped = new Map<string, OppdragSummary[]>();
    for (const summary of this.summaries.values()) {
      const key = bucketOf(summary.status, summary.lead);
      let list = grouped.get(key);
      if (!list) grouped.set(key, (list = []));
      list.push(summary);
    }
    const buckets = new Map<string, Bucket>();
    for (const [key, list] of grouped) {
      const sorted = sortedSummaries(list);
      buckets.set(key, { keys: [...sorted.keys], items: [...sorted.items] });
    }
    this.buckets = buckets;
    this.groupList = null;
    return buckets;
  }

  private apply(change: Change): void {
    const buckets = this.buckets;
    if (!buckets) return;
    if (change === 'reset') {
      this.buckets = null;
      return;
    }
    const { before, after } = change;
    if (before) {
      const bucket = buckets.get(bucketOf(before.status, before.lead));
      const key = before.sortKey;
      let i = bucket ? boundOf(bucket.keys, key) : -1;
      // One summary per id, so one entry per key; make sure it is this very object.
      while (bucket && i < bucket.items.length && bucket.keys[i] === key && bucket.items[i] !== before) i++;
      if (bucket && bucket.items[i] === before) {
        bucket.keys.splice(i, 1);
        bucket.items.splice(i, 1);
      } else {
        // Not where it should be: forget the index and build it again on the next question.
        this.buckets = null;
        return;
      }
    }
    if (after) {
      const name = bucketOf(after.status, after.lead);
      let bucket = buckets.get(name);
      if (!bucket) {
        buckets.set(name, (bucket = { keys: [], items: [] }));
        this.groupList = null;
      }
      const i = boundOf(bucket.keys, after.sortKey);
      bucket.keys.splice(i, 0, after.sortKey);
      bucket.items.splice(i, 0, after);
    }
  }
}
