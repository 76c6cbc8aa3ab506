import { toStoredOppdragEvent } from '#application/stored-events.js';
import {
  addDays,
  daysInMonth,
  evolve,
  initialState,
  isOverdueOn,
  isPartOverdueOn,
  isRhfId,
  osloDate,
  RHF_IDS,
  streamIdFor,
  type CalendarDate,
  type OppdragState,
} from '#domain';
import type { EventStore } from '#event-store';
import type { OppdragSummary } from './oppdrag-view.js';

/** One RHF's parts, split so that they stack: each part is counted in exactly one of the three. */
export interface PartsByState {
  readonly organisationId: string;
  /** Not reported, the oppdrag not closed, and not overdue on the day. */
  readonly open: number;
  /** Reported (whether the oppdrag has been closed since or not). */
  readonly reported: number;
  /** Overdue on the day by the domain's rule for parts (`isPartOverdueOn`). */
  readonly overdue: number;
}

/** How many were overdue at the end of one month, as the history stood then. */
export interface MonthOverdue {
  /** `YYYY-MM`. */
  readonly month: string;
  /** The day the overdue rule was asked about: the month's last day, or today in the current month. */
  readonly on: CalendarDate;
  /** False for the current month: the count is as of today, the month has not ended. */
  readonly complete: boolean;
  readonly count: number;
}

export interface StatusCharts {
  readonly year: number;
  readonly on: CalendarDate;
  /** The RHF the numbers are for, or null for all four (the oppdrag themselves in the monthly line). */
  readonly rhf: string | null;
  readonly parts: readonly PartsByState[];
  /** From January of the year up to the month of `on` (every month, for a year already past). */
  readonly overdueByMonth: readonly MonthOverdue[];
}

/** What the charts read: the in-memory summaries (the projector's) and the event store for the history. */
export interface ChartSource {
  readonly summaries: ReadonlyMap<string, OppdragSummary>;
}

/**
 * The first instant of a day in Europe/Oslo, in milliseconds. Oslo is one or two hours ahead of UTC, so
 * the day begins at 22:00 or 23:00 UTC the evening before.
 */
export function osloStartOfDay(day: CalendarDate): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  for (const hours of [2, 1, 0]) {
    const t = midnightUtc - hours * 3_600_000;
    if (osloDate(t) === day && osloDate(t - 1) !== day) return t;
  }
  throw new RangeError(`no start of ${day} in Europe/Oslo`);
}

/** The bit of the whole oppdrag in a month's mask; the RHFs' parts follow, one bit each. */
const OPPDRAG_BIT = 1;
const rhfBit = (index: number): number => 2 << index;

/** The months of a year to report on, up to the day, each with the instant its end is read at. */
interface MonthEnd {
  readonly month: string;
  readonly on: CalendarDate;
  readonly complete: boolean;
  /** Events recorded up to and including this instant (ms) count. */
  readonly until: number;
}

function monthEnds(year: number, today: CalendarDate): MonthEnd[] {
  const out: MonthEnd[] = [];
  for (let month = 1; month <= 12; month++) {
    const first = `${year}-${String(month).padStart(2, '0')}-01` as CalendarDate;
    if (first > today) break;
    const last = `${year}-${String(month).padStart(2, '0')}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
    const complete = last < today;
    const on = (complete ? last : today) as CalendarDate;
    // The end of the day asked about: everything recorded before the next day began in Oslo.
    out.push({ month: first.slice(0, 7), on, complete, until: osloStartOfDay(addDays(on, 1)) - 1 });
  }
  return out;
}

/** The overdue bits of one oppdrag as it stood at one month's end. */
function overdueMask(state: OppdragState, on: CalendarDate): number {
  if (state.status === 'initial') return 0;
  let mask = isOverdueOn(state, on) ? OPPDRAG_BIT : 0;
  RHF_IDS.forEach((rhf, i) => {
    const part = state.parts.find((p) => p.rhf === rhf);
    if (part && isPartOverdueOn(state, part, on)) mask |= rhfBit(i);
  });
  return mask;
}

/** How long the monthly count works on the event loop before it lets other work run. */
const YIELD_AFTER_MS = 10;

interface CachedMasks {
  readonly revision: number;
  readonly masks: readonly number[];
}

/**
 * The numbers behind the dashboard's charts, computed in one place. The parts come from the summaries
 * in memory; the monthly line comes from the history: each oppdrag's stream is read and folded with the
 * domain's own `evolve` as it stood at the end of each month (as `oppdragAsOf` reads it), and the domain's
 * overdue rule is asked about that month's last day. A stream is read again only when its revision has
 * changed since it was last read for the same year and day.
 */
export class ChartQueries {
  private cacheKey = '';
  private cache = new Map<string, CachedMasks>();

  constructor(
    private readonly source: ChartSource,
    private readonly store: EventStore,
  ) {}

  /** Per RHF (or only `rhf`): its parts of the year's oppdrag that are open, reported or overdue on the day. */
  partsByState(day: CalendarDate, year: number, rhf: string | null): PartsByState[] {
    const rows = new Map(
      RHF_IDS.filter((id) => rhf === null || id === rhf).map((id) => [
        id as string,
        { open: 0, reported: 0, overdue: 0 },
      ]),
    );
    for (const s of this.source.summaries.values()) {
      if (s.year !== year) continue;
      for (const part of s.parts) {
        const row = rows.get(part.rhf);
        if (!row) continue;
        if (part.status === 'reported') row.reported += 1;
        else if (isPartOverdueOn(s, part, day)) row.overdue += 1;
        else if (s.status !== 'closed') row.open += 1;
      }
    }
    return [...rows.entries()].map(([organisationId, r]) => ({ organisationId, ...r }));
  }

  /**
   * How many oppdrag (or, with `rhf`, how many of its parts) were overdue at the end of each month of the
   * year up to `today`, from the history. Every oppdrag counts, whatever its letter's year: what was
   * overdue in a month is what was overdue then.
   */
  async overdueByMonth(year: number, today: CalendarDate, rhf: string | null): Promise<MonthOverdue[]> {
    const ends = monthEnds(year, today);
    if (rhf !== null && !isRhfId(rhf)) throw new RangeError(`rhf: ${rhf} is not one of the four RHFs`);
    const bit = rhf === null ? OPPDRAG_BIT : rhfBit((RHF_IDS as readonly string[]).indexOf(rhf));
    const key = `${year}|${today}`;
    if (key !== this.cacheKey) {
      this.cacheKey = key;
      this.cache = new Map();
    }
    const counts = ends.map(() => 0);
    const seen = new Set<string>();
    let slice = Date.now();
    for (const summary of [...this.source.summaries.values()]) {
      seen.add(summary.id);
      let cached = this.cache.get(summary.id);
      if (!cached || cached.revision !== summary.revision) {
        cached = await this.masksOf(summary.id, ends);
        this.cache.set(summary.id, cached);
        // Reading every stream takes a while the first time: let the event loop run between slices.
        if (Date.now() - slice >= YIELD_AFTER_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = Date.now();
        }
      }
      cached.masks.forEach((mask, i) => {
        if (mask & bit) counts[i]! += 1;
      });
    }
    for (const id of this.cache.keys()) if (!seen.has(id)) this.cache.delete(id);
    return ends.map((end, i) => ({
      month: end.month,
      on: end.on,
      complete: end.complete,
      count: counts[i]!,
    }));
  }

  /**
   * The overdue bits at each month end. As-of is defined by the stream's order, as `loadOppdrag` defines
   * it: the stream is cut before its first event recorded after the month's end, so each month sees a
   * state the stream really passed through, even when a writer with a clock behind recorded a later event
   * with an earlier time. One pass over the stream serves every month.
   */
  private async masksOf(oppdragId: string, ends: readonly MonthEnd[]): Promise<CachedMasks> {
    const events = (await this.store.readStream(streamIdFor(oppdragId))).map(toStoredOppdragEvent);
    let state: OppdragState = initialState();
    let next = 0;
    const masks = ends.map((end) => {
      while (next < events.length && Date.parse(events[next]!.recordedAt) <= end.until)
        state = evolve(state, events[next++]!.event);
      return overdueMask(state, end.on);
    });
    const last = events[events.length - 1];
    return { revision: last ? last.revision : -1, masks };
  }
}
