import { effectiveDeadline } from '#domain';
import type { OppdragView } from './oppdrag-view.js';

type Change = { readonly before: OppdragView | undefined; readonly after: OppdragView | undefined } | 'reset';

/**
 * The projector's views: a Map that tells its observers about every change, so that query indexes can
 * follow the views without scanning them. It is a Map in every other respect.
 */
export class ViewMap extends Map<string, OppdragView> {
  private readonly observers = new Set<(change: Change) => void>();

  override set(id: string, view: OppdragView): this {
    // Map's constructor may call set before the observers exist.
    const observers = this.observers as Set<(change: Change) => void> | undefined;
    if (!observers || observers.size === 0) return super.set(id, view);
    const before = super.get(id);
    super.set(id, view);
    for (const observe of observers) observe({ before, after: view });
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

const sortKeys = new WeakMap<OppdragView, string>();

/** The order of every list: effective deadline, then id (views never change, so the key is cached). */
export function sortKeyOf(view: OppdragView): string {
  let key = sortKeys.get(view);
  if (key === undefined) {
    key = `${effectiveDeadline(view.oppdrag)}|${view.oppdrag.id}`;
    sortKeys.set(view, key);
  }
  return key;
}

/** Views in sort order, with their keys alongside (the same length, the same order). */
export interface SortedViews {
  readonly keys: readonly string[];
  readonly views: readonly OppdragView[];
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

/** Sorts views and returns them with their keys. */
export function sortedViews(views: readonly OppdragView[]): SortedViews {
  const pairs = views.map((view) => ({ key: sortKeyOf(view), view }));
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys: pairs.map((p) => p.key), views: pairs.map((p) => p.view) };
}

/**
 * The first `size` views, in sort order, of several sorted lists, each read from `start` up to (not
 * including) `end`: a k-way merge that compares cached keys only.
 */
export function mergeFirst(
  ranges: ReadonlyArray<{ readonly list: SortedViews; readonly start: number; readonly end: number }>,
  size: number,
): OppdragView[] {
  const at = ranges.map((r) => r.start);
  const out: OppdragView[] = [];
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
    out.push(ranges[best]!.list.views[at[best]!] as OppdragView);
    at[best]! += 1;
  }
  return out;
}

const bucketOf = (status: string, lead: string | null): string => `${status}\u0000${lead ?? ''}`;

interface Bucket {
  readonly keys: string[];
  readonly views: OppdragView[];
}

const EMPTY: SortedViews = { keys: [], views: [] };

/**
 * The views grouped by status and lead, each group kept sorted by (effective deadline, id). Built on the
 * first question and then kept up to date view by view, so that "what is overdue", "who leads what" and
 * a page of one lead's oppdrag read a few sorted lists instead of every view.
 */
export class ViewIndex {
  private buckets: Map<string, Bucket> | null = null;
  private groupList: Array<{ status: string; lead: string | null; list: SortedViews }> | null = null;
  private readonly stop: () => void;

  constructor(private readonly views: ViewMap) {
    this.stop = views.observe((change) => this.apply(change));
  }

  /** The sorted views of one status and lead (empty when there are none). */
  bucket(status: string, lead: string | null): SortedViews {
    return this.built().get(bucketOf(status, lead)) ?? EMPTY;
  }

  /** Every (status, lead) group, with its status and lead (a group may be empty). */
  groups(): ReadonlyArray<{
    readonly status: string;
    readonly lead: string | null;
    readonly list: SortedViews;
  }> {
    const buckets = this.built();
    if (this.groupList) return this.groupList;
    const out: Array<{ status: string; lead: string | null; list: SortedViews }> = [];
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
    const grouped = new Map<string, OppdragView[]>();
    for (const view of this.views.values()) {
      const key = bucketOf(view.oppdrag.status, view.oppdrag.lead);
      let list = grouped.get(key);
      if (!list) grouped.set(key, (list = []));
      list.push(view);
    }
    const buckets = new Map<string, Bucket>();
    for (const [key, list] of grouped) {
      const sorted = sortedViews(list);
      buckets.set(key, { keys: [...sorted.keys], views: [...sorted.views] });
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
      const bucket = buckets.get(bucketOf(before.oppdrag.status, before.oppdrag.lead));
      const key = sortKeyOf(before);
      let i = bucket ? boundOf(bucket.keys, key) : -1;
      // One view per id, so one entry per key; make sure it is this very object.
      while (bucket && i < bucket.views.length && bucket.keys[i] === key && bucket.views[i] !== before) i++;
      if (bucket && bucket.views[i] === before) {
        bucket.keys.splice(i, 1);
        bucket.views.splice(i, 1);
      } else {
        // Not where it should be: forget the index and build it again on the next question.
        this.buckets = null;
        return;
      }
    }
    if (after) {
      const name = bucketOf(after.oppdrag.status, after.oppdrag.lead);
      let bucket = buckets.get(name);
      if (!bucket) {
        buckets.set(name, (bucket = { keys: [], views: [] }));
        this.groupList = null;
      }
      const key = sortKeyOf(after);
      const i = boundOf(bucket.keys, key);
      bucket.keys.splice(i, 0, key);
      bucket.views.splice(i, 0, after);
    }
  }
}
