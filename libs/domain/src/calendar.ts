/**
 * Calendar dates in Europe/Oslo. A business date is a `YYYY-MM-DD` string: it sorts and compares as text,
 * survives JSON unchanged and never drifts by a time zone.
 */

export type CalendarDate = string & { readonly __calendarDate: unique symbol };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when the text is a real calendar date in `YYYY-MM-DD` form (leap years included). */
export function isCalendarDate(text: unknown): text is CalendarDate {
  if (typeof text !== 'string') return false;
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** The number of days in a month of a year (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Builds a date from its parts; returns undefined when the parts name no real day. */
export function calendarDate(year: number, month: number, day: number): CalendarDate | undefined {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isCalendarDate(text) ? text : undefined;
}

/** Parses a date, throwing a RangeError that quotes the text when it is no real date. */
export function parseCalendarDate(text: string): CalendarDate {
  if (!isCalendarDate(text)) throw new RangeError(`"${text}" is not a calendar date (YYYY-MM-DD)`);
  return text;
}

const osloFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const HOUR_MS = 3_600_000;
/** The Oslo date of whole UTC hours in which it does not change, by hour number (see {@link osloDate}). */
const datesByHour = new Map<number, CalendarDate>();
/** Hours remembered at most; the map starts over beyond this (instants asked for cluster around now). */
const HOURS_KEPT = 4096;

/**
 * The calendar date in Oslo at an instant (an ISO timestamp or epoch milliseconds). Formatting with the
 * time-zone rules costs microseconds and every command asks for it, so the date is remembered for each
 * UTC hour in which it stays the same, which the first and last millisecond of the hour tell (an offset
 * of whole hours never moves midnight inside one; an hour that holds an Oslo midnight is formatted each
 * time).
 */
export function osloDate(instant: string | number): CalendarDate {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`"${String(instant)}" is not an instant`);
  const hour = Math.floor(ms / HOUR_MS);
  const known = datesByHour.get(hour);
  if (known !== undefined) return known;
  const date = osloDateByRule(ms);
  if (!Number.isFinite(hour) || osloDateByRule(hour * HOUR_MS) !== osloDateByRule((hour + 1) * HOUR_MS - 1))
    return date;
  if (datesByHour.size >= HOURS_KEPT) datesByHour.clear();
  datesByHour.set(hour, date);
  return date;
}

/** The calendar date in Oslo at an instant, formatted with the time-zone rules each time. */
const osloDateByRule = (ms: number): CalendarDate => osloFormatter.format(ms) as CalendarDate;

/** The date `days` days after (or before, when negative) a date. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  return shifted.toISOString().slice(0, 10) as CalendarDate;
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const annualReportDates = new Map<number, CalendarDate>();

/** The due date of the Årlig melding for a letter's year: 15 March of the following year. */
export function annualReportDate(year: number): CalendarDate {
  // Asked for on every overdue check of an oppdrag without a stated deadline: built once per year.
  const known = annualReportDates.get(year);
  if (known !== undefined) return known;
  const date = calendarDate(year + 1, 3, 15);
  if (date !== undefined && annualReportDates.size < 1000) annualReportDates.set(year, date);
  return date as CalendarDate;
}
