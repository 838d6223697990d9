import { describe, expect, it } from 'vitest';
import type { WallTime } from '../../src/render/civil-calendar.js';
import { formatDate } from '../../src/render/date-format.js';
import { assertTimeZone, zonedTimeToInstant } from '../../src/render/time-zone.js';

const at = (iso: string): Date => new Date(iso);

describe('time zones', () => {
  it.each([
    ['2016-07-01T09:08:00Z', 'UTC', 'July 1, 2016, 9:08 a.m.'],
    ['2016-07-01T09:08:00Z', 'Europe/Amsterdam', 'July 1, 2016, 11:08 a.m.'],
    ['2016-07-01T09:08:00Z', 'America/New_York', 'July 1, 2016, 5:08 a.m.'],
    ['2016-01-01T09:08:00Z', 'America/New_York', 'Jan. 1, 2016, 4:08 a.m.'],
    // Crosses midnight back into the previous day (and month).
    ['2016-07-01T03:00:00Z', 'America/Los_Angeles', 'June 30, 2016, 8 p.m.'],
    ['2016-01-01T07:59:00Z', 'America/Los_Angeles', 'Dec. 31, 2015, 11:59 p.m.'],
    // Forward into the next day.
    ['2016-07-01T18:30:00Z', 'Asia/Tokyo', 'July 2, 2016, 3:30 a.m.'],
    ['2016-07-01T18:30:00Z', 'Asia/Kolkata', 'July 2, 2016, midnight'],
    ['2016-07-01T09:08:00Z', 'Etc/GMT+5', 'July 1, 2016, 4:08 a.m.'],
  ])('%s in %s → %s', (iso, timeZone, expected) => {
    expect(formatDate(at(iso), 'N j, Y, P', { locale: 'en', timeZone })).toBe(expected);
  });

  it.each([
    // Clocks go forward at 01:00 UTC on 2016-03-27: 02:00 CET becomes 03:00 CEST.
    ['2016-03-27T00:59:59Z', '2016-03-27 01:59:59 CET +0100 3600 I=0'],
    ['2016-03-27T01:00:00Z', '2016-03-27 03:00:00 CEST +0200 7200 I=1'],
    // Clocks go back at 01:00 UTC on 2016-10-30: 02:30 happens twice.
    ['2016-10-30T00:30:00Z', '2016-10-30 02:30:00 CEST +0200 7200 I=1'],
    ['2016-10-30T01:30:00Z', '2016-10-30 02:30:00 CET +0100 3600 I=0'],
    ['2016-01-15T12:00:00Z', '2016-01-15 13:00:00 CET +0100 3600 I=0'],
  ])('Europe/Amsterdam around DST: %s → %s', (iso, expected) => {
    expect(formatDate(at(iso), 'Y-m-d H:i:s T O Z \\I=I', { locale: 'en', timeZone: 'Europe/Amsterdam' })).toBe(expected);
  });

  it.each([
    ['America/New_York', '2016-07-01T09:08:00Z', 'EDT -0400 -14400 1'],
    ['America/New_York', '2016-01-01T09:08:00Z', 'EST -0500 -18000 0'],
    ['Europe/London', '2016-07-01T09:08:00Z', 'BST +0100 3600 1'],
    ['Europe/London', '2016-01-01T09:08:00Z', 'GMT +0000 0 0'],
    ['UTC', '2016-07-01T09:08:00Z', 'UTC +0000 0 0'],
    // ICU has no English abbreviation for these zones: tzdb's numeric style instead.
    ['America/St_Johns', '2016-07-01T09:08:00Z', '-0230 -0230 -9000 1'],
    ['Asia/Kolkata', '2016-07-01T09:08:00Z', '+0530 +0530 19800 0'],
    ['Australia/Sydney', '2016-07-01T09:08:00Z', '+10 +1000 36000 0'],
    ['Australia/Sydney', '2016-01-01T09:08:00Z', '+11 +1100 39600 1'],
  ])('%s at %s: e O Z I → %s', (timeZone, iso, expected) => {
    expect(formatDate(at(iso), 'e O Z I', { locale: 'en', timeZone })).toBe(expected);
  });
});

describe('assertTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['europe/amsterdam', 'Europe/Amsterdam'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
    ['US/Eastern', 'America/New_York'],
  ])('%j → %j', (timeZone, canonical) => {
    expect(assertTimeZone(timeZone)).toBe(canonical);
  });

  it('names the option and the bad value in the message', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(/timeZone.*IANA time zone.*"Mars\/Olympus"/);
  });
});

describe('zonedTimeToInstant', () => {
  const wall = (year: number, month: number, day: number, hour = 0, minute = 0): WallTime => ({
    year,
    month,
    day,
    hour,
    minute,
    second: 0,
    millisecond: 0,
  });

  it.each([
    ['2016-07-01 00:00', 'Europe/Amsterdam', '2016-06-30T22:00:00.000Z', wall(2016, 7, 1)],
    ['2016-01-15 13:00', 'Europe/Amsterdam', '2016-01-15T12:00:00.000Z', wall(2016, 1, 15, 13)],
    // Midnight after the clocks went back is CET (+01:00) again.
    ['2016-10-31 00:00', 'Europe/Amsterdam', '2016-10-30T23:00:00.000Z', wall(2016, 10, 31)],
    ['2016-07-01 09:08', 'UTC', '2016-07-01T09:08:00.000Z', wall(2016, 7, 1, 9, 8)],
    ['2016-07-01 05:08', 'America/New_York', '2016-07-01T09:08:00.000Z', wall(2016, 7, 1, 5, 8)],
  ])('%s in %s → %s', (_label, timeZone, expected, local) => {
    expect(zonedTimeToInstant(local, timeZone).toISOString()).toBe(expected);
  });
});
