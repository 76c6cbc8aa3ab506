import type { Clock } from '#application';
import { osloDate, type CalendarDate } from '#domain';

/** Today's date in Oslo by the runtime's clock: the day a question is judged on when none is asked for. */
export class Today {
  /** The last day asked for, by the second it was asked in: the date in Oslo is the same all second. */
  private last: { readonly second: number; readonly day: CalendarDate } | null = null;

  constructor(private readonly clock: Clock) {}

  /** The current instant (ISO), by the runtime's clock. */
  now(): string {
    return this.clock.now();
  }

  date(): CalendarDate {
    const now = this.clock.now();
    const second = Math.floor(Date.parse(now) / 1000);
    if (this.last !== null && this.last.second === second) return this.last.day;
    const day = osloDate(now);
    this.last = { second, day };
    return day;
  }
}
