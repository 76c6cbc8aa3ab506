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

export const byKey = (a: OppdragView, b: OppdragView): number => {
  const ka = sortKeyOf(a);
  const kb = sortKeyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** The first index in a sorted list whose key is not below `key` (or above it, when `strictlyAbove`). */
export function boundOf(list: readonly OppdragView[], key: string, strictlyAbove = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = sortKeyOf(list[mid] as OppdragView);
    if (k < key || (strictlyAbove && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const bucketOf = (status: string, lead: string | null): string => `${status}\u0000${lead ?? ''}`;

/**
 * The views grouped by status and lead, each group kept sorted by (effective deadline, id). Built on the
 * first question and then kept up to date view by view, so that "what is overdue", "who leads what" and
 * a page of one lead's oppdrag read a few sorted lists instead of every view.
 */
export class ViewIndex {
  private buckets: Map<string, OppdragView[]> | null = null;
  private readonly stop: () => void;

  constructor(private readonly views: ViewMap) {
    this.stop = views.observe((change) => this.apply(change));
  }

  /** The sorted views of one status and lead (empty when there are none). */
  bucket(status: string, lead: string | null): readonly OppdragView[] {
    return this.built().get(bucketOf(status, lead)) ?? [];
  }

  /** Every (status, lead) group that has views, with its status and lead. */
  groups(): Array<{ status: string; lead: string | null; views: readonly OppdragView[] }> {
    const out: Array<{ status: string; lead: string | null; views: readonly OppdragView[] }> = [];
    for (const [key, views] of this.built()) {
      if (views.length === 0) continue;
      const [status, lead] = key.split('\u0000') as [string, string];
      out.push({ status, lead: lead === '' ? null : lead, views });
    }
    return out;
  }

  close(): void {
    this.stop();
  }

  private built(): Map<string, OppdragView[]> {
    if (this.buckets) return this.buckets;
    const buckets = new Map<string, OppdragView[]>();
    for (const view of this.views.values()) {
      const key = bucketOf(view.oppdrag.status, view.oppdrag.lead);
      let list = buckets.get(key);
      if (!list) buckets.set(key, (list = []));
      list.push(view);
    }
    for (const list of buckets.values()) list.sort(byKey);
    this.buckets = buckets;
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
      const list = buckets.get(bucketOf(before.oppdrag.status, before.oppdrag.lead));
      if (list) {
        const at = boundOf(list, sortKeyOf(before));
        // Several views may share a key only if one id was set twice; find this very object.
        let i = at;
        while (
          i < list.length &&
          list[i] !== before &&
          sortKeyOf(list[i] as OppdragView) === sortKeyOf(before)
        )
          i++;
        if (list[i] === before) list.splice(i, 1);
        else this.buckets = null; // not where it should be: rebuild on the next question
      } else {
        this.buckets = null;
      }
    }
    if (after && this.buckets) {
      const key = bucketOf(after.oppdrag.status, after.oppdrag.lead);
      let list = buckets.get(key);
      if (!list) buckets.set(key, (list = []));
      list.splice(boundOf(list, sortKeyOf(after)), 0, after);
    }
  }
}
