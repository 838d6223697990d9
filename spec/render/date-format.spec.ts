import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { type DateFormatOptions, dateFormatFor, dateTimeFormatFor, formatDate, timeFormatFor } from '../../src/render/date-format.js';
import type { Locale } from '../../src/render/locale.js';
import { assertTimeZone } from '../../src/render/time-zone.js';

const EN_UTC: DateFormatOptions = { locale: 'en', timeZone: 'UTC' };
const NL_UTC: DateFormatOptions = { locale: 'nl', timeZone: 'UTC' };
const at = (iso: string): Date => new Date(iso);

describe('Django DATE/TIME/DATETIME_FORMAT per locale', () => {
  it.each<[Locale, string, string, string]>([
    ['en', 'N j, Y', 'P', 'N j, Y, P'],
    ['nl', 'j F Y', 'H:i', 'j F Y H:i'],
  ])('%s', (locale, date, time, dateTime) => {
    expect(dateFormatFor(locale)).toBe(date);
    expect(timeFormatFor(locale)).toBe(time);
    expect(dateTimeFormatFor(locale)).toBe(dateTime);
  });
});

describe('formatDate with the English DATETIME_FORMAT (N j, Y, P)', () => {
  it.each([
    ['2016-07-01T09:08:00Z', 'July 1, 2016, 9:08 a.m.'],
    ['2016-07-01T08:00:00Z', 'July 1, 2016, 8 a.m.'],
    ['2016-07-01T12:00:00Z', 'July 1, 2016, noon'],
    ['2016-07-01T00:00:00Z', 'July 1, 2016, midnight'],
    ['2016-07-01T13:05:00Z', 'July 1, 2016, 1:05 p.m.'],
    ['2016-07-01T12:30:00Z', 'July 1, 2016, 12:30 p.m.'],
    ['2016-07-01T00:30:00Z', 'July 1, 2016, 12:30 a.m.'],
    ['2016-07-01T11:59:59Z', 'July 1, 2016, 11:59 a.m.'],
    ['2016-07-01T23:00:00Z', 'July 1, 2016, 11 p.m.'],
    ['2016-07-01T00:00:59Z', 'July 1, 2016, midnight'],
  ])('%s → %s', (iso, expected) => {
    expect(formatDate(at(iso), 'N j, Y, P', EN_UTC)).toBe(expected);
  });
});

describe('month names', () => {
  const months = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

  it.each([
    ['en', 'N', ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.']],
    ['en', 'F', ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']],
    ['en', 'b', ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']],
    ['en', 'M', ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']],
    ['nl', 'N', ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec']],
    [
      'nl',
      'F',
      ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    ],
    [
      'nl',
      'E',
      ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    ],
    ['nl', 'b', ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec']],
    ['nl', 'M', ['Jan', 'Feb', 'Mrt', 'Apr', 'Mei', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dec']],
  ] as const)('%s %s', (locale, format, expected) => {
    const names = months.map((month) => formatDate(at(`2016-${month}-15T12:00:00Z`), format, { locale, timeZone: 'UTC' }));
    expect(names).toEqual(expected);
  });

  it('prints every AP month in the English DATETIME_FORMAT', () => {
    expect(formatDate(at('2016-09-05T15:30:00Z'), 'N j, Y, P', EN_UTC)).toBe('Sept. 5, 2016, 3:30 p.m.');
    expect(formatDate(at('2016-03-05T15:30:00Z'), 'N j, Y, P', EN_UTC)).toBe('March 5, 2016, 3:30 p.m.');
  });
});

describe('day names', () => {
  // 2016-06-27 was a Monday.
  const week = ['27', '28', '29', '30'].map((d) => `2016-06-${d}`).concat(['2016-07-01', '2016-07-02', '2016-07-03']);

  it.each([
    ['en', 'l', ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']],
    ['en', 'D', ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']],
    ['en', 'w', ['1', '2', '3', '4', '5', '6', '0']],
    ['nl', 'l', ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag']],
    ['nl', 'D', ['ma', 'di', 'woe', 'don', 'vrij', 'zat', 'zon']],
  ] as const)('%s %s', (locale, format, expected) => {
    expect(week.map((day) => formatDate(at(`${day}T12:00:00Z`), format, { locale, timeZone: 'UTC' }))).toEqual(expected);
  });
});

describe('Dutch', () => {
  it.each([
    ['2016-07-01T09:08:00Z', 'j F Y H:i', '1 juli 2016 09:08'],
    ['2016-12-31T23:59:00Z', 'j F Y H:i', '31 december 2016 23:59'],
    ['2016-07-01T09:08:00Z', 'P', '9:08 a.m.'],
    ['2016-07-01T13:00:00Z', 'P', '1 p.m.'],
    ['2016-07-01T12:00:00Z', 'P', 'middag'],
    ['2016-07-01T00:00:00Z', 'P', 'middernacht'],
    ['2016-07-01T13:00:00Z', 'A', 'PM'],
  ])('%s as %j → %j', (iso, format, expected) => {
    expect(formatDate(at(iso), format, NL_UTC)).toBe(expected);
  });

  it('uses the Dutch DATETIME_FORMAT in the configured zone', () => {
    expect(formatDate(at('2016-07-01T09:08:00Z'), dateTimeFormatFor('nl'), { locale: 'nl', timeZone: 'Europe/Amsterdam' })).toBe(
      '1 juli 2016 11:08',
    );
  });
});

describe('every format character', () => {
  // 09:08:07.123 UTC is 11:08:07.123 CEST, a Friday in a leap year.
  const date = at('2016-07-01T09:08:07.123Z');
  const options: DateFormatOptions = { locale: 'en', timeZone: 'Europe/Amsterdam' };

  it.each([
    ['a', 'a.m.'],
    ['A', 'AM'],
    ['b', 'jul'],
    ['c', '2016-07-01T11:08:07.123000+02:00'],
    ['d', '01'],
    ['D', 'Fri'],
    ['e', 'CEST'],
    ['E', 'July'],
    ['f', '11:08'],
    ['F', 'July'],
    ['g', '11'],
    ['G', '11'],
    ['h', '11'],
    ['H', '11'],
    ['i', '08'],
    ['I', '1'],
    ['j', '1'],
    ['l', 'Friday'],
    ['L', 'True'],
    ['m', '07'],
    ['M', 'Jul'],
    ['n', '7'],
    ['N', 'July'],
    ['o', '2016'],
    ['O', '+0200'],
    ['P', '11:08 a.m.'],
    ['r', 'Fri, 01 Jul 2016 11:08:07 +0200'],
    ['s', '07'],
    ['S', 'st'],
    ['t', '31'],
    ['T', 'CEST'],
    ['u', '123000'],
    ['U', '1467364087'],
    ['w', '5'],
    ['W', '26'],
    ['y', '16'],
    ['Y', '2016'],
    ['z', '183'],
    ['Z', '7200'],
  ])('%s → %j', (format, expected) => {
    expect(formatDate(date, format, options)).toBe(expected);
  });

  it.each([
    ['2016-07-01T15:04:05Z', 'g G h H f P a A', '3 15 03 15 3:04 3:04 p.m. p.m. PM'],
    ['2016-07-01T00:04:05Z', 'g G h H f', '12 0 12 00 12:04'],
    ['2016-07-01T12:00:00Z', 'g G h H f', '12 12 12 12 12'],
    ['2016-07-01T09:08:00Z', 'c', '2016-07-01T09:08:00+00:00'],
    ['2016-07-01T09:08:00Z', 'r', 'Fri, 01 Jul 2016 09:08:00 +0000'],
    ['2016-02-01T00:00:00Z', 't L', '29 True'],
    ['2100-02-01T00:00:00Z', 't L', '28 False'],
    ['2000-02-01T00:00:00Z', 't L', '29 True'],
    ['2016-04-01T00:00:00Z', 't', '30'],
    ['2005-01-01T00:00:00Z', 'y z', '05 1'],
    ['2016-12-31T00:00:00Z', 'z', '366'],
    ['0987-06-05T00:00:00Z', 'Y y', '0987 87'],
    // ISO 8601 week-numbering years differ from calendar years at the edges.
    ['2016-01-01T00:00:00Z', 'o-W', '2015-53'],
    ['2016-01-04T00:00:00Z', 'o-W', '2016-1'],
    ['2018-12-31T00:00:00Z', 'o-W', '2019-1'],
    ['2020-12-31T00:00:00Z', 'o-W', '2020-53'],
    ['2021-01-03T00:00:00Z', 'o-W', '2020-53'],
    ['1969-12-31T23:59:58.500Z', 'U u', '-1 500000'],
    ['1970-01-01T00:00:00Z', 'U D', '0 Thu'],
  ])('%s as %j → %j', (iso, format, expected) => {
    expect(formatDate(at(iso), format, EN_UTC)).toBe(expected);
  });

  it.each([
    [1, 'st'],
    [2, 'nd'],
    [3, 'rd'],
    [4, 'th'],
    [10, 'th'],
    [11, 'th'],
    [12, 'th'],
    [13, 'th'],
    [21, 'st'],
    [22, 'nd'],
    [23, 'rd'],
    [24, 'th'],
    [30, 'th'],
    [31, 'st'],
  ])('day %i has the ordinal suffix %s', (day, suffix) => {
    expect(formatDate(at(`2016-01-${String(day).padStart(2, '0')}T12:00:00Z`), 'jS', EN_UTC)).toBe(`${day}${suffix}`);
  });
});

describe('literal text and escaping', () => {
  const date = at('2016-07-01T09:08:00Z');

  it.each([
    ['', ''],
    ['-- / :,', '-- / :,'],
    ['\\a\\t', 'at'],
    ['\\a\\t P', 'at 9:08 a.m.'],
    ['l \\t\\h\\e jS \\o\\f F', 'Friday the 1st of July'],
    ['\\\\a', '\\a'],
    ['\\x', 'x'],
    ['Y\\', '2016\\'],
    ['\\\n', '\\\n'],
    ['\\😀', '😀'],
    ['H\\hi', '09h08'],
    ['[Y]{m}', '[2016]{07}'],
    // Every letter Django knows is a format character, even inside words.
    ['jour', '12016000000Fri, 01 Jul 2016 09:08:00 +0000'],
    ['\\j\\o\\u\\r', 'jour'],
  ])('%j → %j', (format, expected) => {
    expect(formatDate(date, format, EN_UTC)).toBe(expected);
  });

  it('gives the same result when a compiled format is reused', () => {
    const first = formatDate(date, 'N j, Y, P', EN_UTC);
    expect(formatDate(date, 'N j, Y, P', EN_UTC)).toBe(first);
    expect(formatDate(at('2016-07-01T10:00:00Z'), 'N j, Y, P', EN_UTC)).toBe('July 1, 2016, 10 a.m.');
  });
});

describe('invalid input', () => {
  it.each(['Mars/Olympus', 'Europe/Amsterdamm', '', '   ', '+25:00'])('time zone %j is a ConfigurationError', (timeZone) => {
    expect(() => formatDate(at('2016-07-01T09:08:00Z'), 'Y', { locale: 'en', timeZone })).toThrow(ConfigurationError);
    expect(() => assertTimeZone(timeZone)).toThrow(ConfigurationError);
  });

  it('rejects an invalid Date with a TypeError', () => {
    expect(() => formatDate(new Date(Number.NaN), 'Y', EN_UTC)).toThrow(TypeError);
  });

  it('rejects a locale it does not ship with a ConfigurationError', () => {
    expect(() => formatDate(at('2016-07-01T09:08:00Z'), 'Y', { locale: 'fr' as Locale, timeZone: 'UTC' })).toThrow(ConfigurationError);
  });
});
