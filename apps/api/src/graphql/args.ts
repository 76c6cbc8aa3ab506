import { isCalendarDate, isRhfId, resolveOrganisation, RHF_IDS, type CalendarDate } from '#domain';
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

/** An RHF named by id, name or alias (such as "Helse Nord"). */
export function rhfNamed(value: string): string {
  const id = resolveOrganisation(value)?.id ?? value;
  if (!isRhfId(id)) {
    throw new ApiError('BAD_USER_INPUT', `rhf: must be one of ${RHF_IDS.join(', ')} (or its name)`, 'rhf');
  }
  return id;
}

/** A year of letters: a whole number from 2000 to 2100 (a query string's digits too). */
export function yearArg(value: unknown): number {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new ApiError('BAD_USER_INPUT', 'year: must be a whole year from 2000 to 2100', 'year');
  }
  return year;
}
