import { daysInMonth } from '#domain';
import { ApiError } from './errors.js';

/**
 * Arguments whose text must mean exactly one thing: an instant that names a real moment (no 30 February
 * read as 1 March) and a cursor the store can take (no number beyond its integers reaching the driver).
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The UTC ISO form of an ISO 8601 instant with a date, a time and an offset (`Z` or `±HH:MM`), or null
 * when the text is not one or names no real moment: every part must be in its range, the day within
 * its month. `Date.parse` alone rolls 2024-02-30 over into March.
 */
export function parseInstant(text: string): string | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? 0);
  const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** An instant argument in UTC ISO form, null when left out; BAD_USER_INPUT naming the argument otherwise. */
export function instantArg(field: string, value: string): string;
export function instantArg(field: string, value: string | null | undefined): string | null;
export function instantArg(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const instant = parseInstant(value);
  if (instant === null)
    throw new ApiError(
      'BAD_USER_INPUT',
      `${field}: must be an ISO instant such as 2024-06-01T12:00:00Z`,
      field,
    );
  return instant;
}

/** A cursor given out as a store position: a whole number the store's integers hold. */
export function positionCursorArg(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!/^\d{1,16}$/.test(value) || Number(value) > Number.MAX_SAFE_INTEGER)
    throw new ApiError('BAD_USER_INPUT', `${field}: must be a cursor this query gave out`, field);
  return value;
}
