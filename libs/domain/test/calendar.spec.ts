/** Calendar dates in Europe/Oslo. */
import {
  addDays,
  annualReportDate,
  calendarDate,
  compareDates,
  daysInMonth,
  isCalendarDate,
  osloDate,
  parseCalendarDate,
} from '../src/index.js';
import { day } from './support/fixtures.js';

describe('isCalendarDate', () => {
  it.each(['2024-01-01', '2024-02-29', '2000-02-29', '2024-12-31', '2023-02-28', '2024-04-30'])(
    'accepts %s',
    (text) => {
      expect(isCalendarDate(text)).toBe(true);
    },
  );

  it.each([
    ['2023-02-29', 'no 29 February in a common year'],
    ['1900-02-29', 'a century that is not a leap year'],
    ['2100-02-29', 'a century that is not a leap year'],
    ['2024-02-30', 'no 30 February ever'],
    ['2024-04-31', 'April has 30 days'],
    ['2024-13-01', 'no 13th month'],
    ['2024-00-10', 'no month 0'],
    ['2024-01-00', 'no day 0'],
    ['2024-1-01', 'month without its leading zero'],
    ['24-01-01', 'a two-digit year'],
    ['2024-01-01T00:00:00Z', 'an instant is not a date'],
    [' 2024-01-01', 'surrounding space'],
    ['2024/01/01', 'another separator'],
    ['1899-12-31', 'before 1900'],
    ['2201-01-01', 'after 2200'],
    ['', 'empty text'],
  ])('refuses %j (%s)', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });

  it.each([null, undefined, 20240101, new Date('2024-01-01'), {}])('refuses the non-text %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('daysInMonth and calendarDate', () => {
  it('knows February in leap and common years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2024, 12)).toBe(31);
    expect(daysInMonth(2024, 11)).toBe(30);
  });

  it('builds a padded date from its parts, or nothing when the parts name no day', () => {
    expect(calendarDate(2024, 2, 29)).toBe('2024-02-29');
    expect(calendarDate(2024, 3, 5)).toBe('2024-03-05');
    expect(calendarDate(2023, 2, 29)).toBeUndefined();
    expect(calendarDate(2024, 13, 1)).toBeUndefined();
  });

  it('parses a date or throws a RangeError quoting the text', () => {
    expect(parseCalendarDate('2024-02-29')).toBe('2024-02-29');
    expect(() => parseCalendarDate('2023-02-29')).toThrow(
      new RangeError('"2023-02-29" is not a calendar date (YYYY-MM-DD)'),
    );
  });
});

describe('addDays', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-03-30', 1, '2024-03-31'],
    ['2024-03-31', 1, '2024-04-01'],
    ['2024-10-27', 1, '2024-10-28'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2023-01-01', 365, '2024-01-01'],
    ['2024-06-14', 0, '2024-06-14'],
    ['2024-06-14', -45, '2024-04-30'],
  ])('%s %+d days is %s', (from, days, expected) => {
    expect(addDays(day(from), days)).toBe(expected);
  });
});

describe('osloDate', () => {
  it.each([
    ['2024-06-01T21:59:59Z', '2024-06-01', 'summer: 23:59:59 CEST'],
    ['2024-06-01T22:00:00Z', '2024-06-02', 'summer: midnight CEST'],
    ['2024-06-01T22:30:00Z', '2024-06-02', 'summer: 00:30 CEST though still 1 June in UTC'],
    ['2024-01-15T22:59:59Z', '2024-01-15', 'winter: 23:59:59 CET'],
    ['2024-01-15T23:00:00Z', '2024-01-16', 'winter: midnight CET'],
    ['2024-03-30T22:59:59Z', '2024-03-30', 'the night before summer time: 23:59:59 CET'],
    ['2024-03-30T23:00:00Z', '2024-03-31', 'the day summer time starts: midnight CET'],
    ['2024-03-31T00:59:59Z', '2024-03-31', 'just before the clocks jump (01:59:59 CET)'],
    ['2024-03-31T01:00:00Z', '2024-03-31', 'as the clocks jump to 03:00 CEST'],
    ['2024-03-31T21:59:59Z', '2024-03-31', 'the first summer-time evening: 23:59:59 CEST'],
    ['2024-03-31T22:00:00Z', '2024-04-01', 'the first summer-time midnight'],
    ['2024-10-26T22:00:00Z', '2024-10-27', 'the day winter time starts: midnight CEST'],
    ['2024-10-27T00:30:00Z', '2024-10-27', 'the first 02:30 (CEST)'],
    ['2024-10-27T01:30:00Z', '2024-10-27', 'the second 02:30 (CET)'],
    ['2024-10-27T22:59:59Z', '2024-10-27', 'the 25-hour day ends at 23:59:59 CET'],
    ['2024-10-27T23:00:00Z', '2024-10-28', 'the first winter-time midnight'],
    ['2024-12-31T23:00:00Z', '2025-01-01', 'New Year in Oslo, an hour before UTC'],
    ['2024-06-02T00:30:00+02:00', '2024-06-02', 'an instant with an offset'],
  ])('%s is %s in Oslo (%s)', (instant, expected) => {
    expect(osloDate(instant)).toBe(expected);
  });

  it('gives what the time-zone rules give, asked again and again, at instants over 250 years and around changes of the clocks', () => {
    const byRule = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Oslo',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const instants: number[] = [];
    // 1850-2100: until the 1890s the zone kept local mean time (an offset of minutes), so midnight fell inside an hour.
    // A step of 4 days 13 h 35 min 37.123 s lands at every hour and minute of the day over the years.
    for (let i = 0; i < 20_000; i++) instants.push(Date.UTC(1850, 0, 1) + i * 394_537_123);
    // Every minute of two days around each change of the clocks, and the seconds around midnights.
    for (const start of [Date.UTC(2024, 2, 30), Date.UTC(2024, 9, 26), Date.UTC(1880, 5, 15)])
      for (let m = 0; m < 3 * 24 * 60; m++) instants.push(start + m * 60_000, start + m * 60_000 + 59_999);
    for (const ms of [...instants, ...instants]) expect(osloDate(ms)).toBe(byRule.format(ms));
    for (const ms of instants.slice(0, 2000))
      expect(osloDate(new Date(ms).toISOString())).toBe(byRule.format(ms));
  });

  it('accepts epoch milliseconds', () => {
    expect(osloDate(Date.UTC(2024, 5, 1, 22, 30))).toBe('2024-06-02');
    expect(osloDate(0)).toBe('1970-01-01');
  });

  it('refuses text that is no instant', () => {
    expect(() => osloDate('i morgen')).toThrow(new RangeError('"i morgen" is not an instant'));
  });
});

describe('compareDates and annualReportDate', () => {
  it('orders dates as the calendar does', () => {
    expect(compareDates(day('2024-02-29'), day('2024-03-01'))).toBeLessThan(0);
    expect(compareDates(day('2024-03-01'), day('2024-02-29'))).toBeGreaterThan(0);
    expect(compareDates(day('2024-03-01'), day('2024-03-01'))).toBe(0);
    expect(compareDates(day('2023-12-31'), day('2024-01-01'))).toBeLessThan(0);
  });

  it('puts the Årlig melding on 15 March of the following year', () => {
    expect(annualReportDate(2024)).toBe('2025-03-15');
    expect(annualReportDate(2023)).toBe('2024-03-15');
  });
});
