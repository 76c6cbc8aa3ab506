import { isCalendarDate, type CalendarDate } from '#domain';
import { MAX_PAGE_SIZE } from '#projections';
import { ApiError } from './errors.js';

/** Query arguments that several resolvers read, each checked in one place. */

/** A day argument: a calendar date, or today when left out. */
export function dayArg(field: string, value: string | null | undefined, today: CalendarDate): CalendarDate {
  if (value === null || value === undefined) return today;
  if (!isCalendarDate(value))
    throw new ApiError('BAD_USER_INPUT', `${field}: must be a calendar date YYYY-MM-DD`, field);
  return value;
}

/** A page size from `min` (default 1) to the largest page. */
export function pageSize(field: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min || value > MAX_PAGE_SIZE) {
    throw new ApiError(
      'BAD_USER_INPUT',
      `${field}: must be a whole number from ${min} to ${MAX_PAGE_SIZE}`,
      field,
    );
  }
  return value;
}
