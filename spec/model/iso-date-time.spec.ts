import { describe, expect, it } from 'vitest';
import { isoDateTimeInstant, parseIsoDateTime, type IsoDateTimeOptions } from '../../src/model/iso-date-time.js';

/** How each caller reads dates: the timeline page's filters, imported files, export filters and the CLI. */
const PAGE: IsoDateTimeOptions = { spelling: 'strict', dates: true, minYear: 1000 };
const FILE: IsoDateTimeOptions = { spelling: 'lenient' };
const FILE_OR_DATE: IsoDateTimeOptions = { spelling: 'lenient', dates: true };

describe('parseIsoDateTime', () => {
  it.each<[string, boolean, boolean, boolean]>([
    // text                              page   file   file or date
    ['2016-07-01', true, false, true],
    ['2016-07-01T09:30', true, true, true],
    ['2016-07-01 09:30:15', true, true, true],
    ['2016-07-01T09:30:15.123456Z', true, true, true],
    ['2016-07-01T09:30:15.1234567Z', false, false, false],
    ['2016-07-01T09:30:15.5+02:00', true, true, true],
    ['2016-07-01T09:30-0500', true, true, true],
    ['2016-07-01T09:30:15,5Z', false, true, true],
    ['2016-07-01T09:30z', false, true, true],
    ['2016-07-01T09:30+02', false, true, true],
    ['2016-07-01T09:30 +02:00', false, true, true],
    [' 2016-07-01T09:30Z\t', false, true, true],
    [' 2016-07-01', false, false, false],
    ['2016-07-01T09:30+19:00', true, false, false],
    ['2016-07-01T09:30+05:60', true, false, false],
    ['0999-01-01T00:00Z', false, true, true],
    ['0999-01-01', false, false, true],
    ['2024-02-29', true, false, true],
    ['2023-02-29', false, false, false],
    ['2016-13-01', false, false, false],
    ['2016-07-01T24:00', false, false, false],
    ['2016-07-01T09:60', false, false, false],
    ['2016-07-01T09:30:60', false, false, false],
    ['2016-07-01Z', false, false, false],
    ['2016-07-01T09', false, false, false],
    ['2016-07-01t09:30', false, false, false],
    ['20160701', false, false, false],
    ['2016-7-1', false, false, false],
    ['yesterday', false, false, false],
    ['', false, false, false],
  ])('%j: page %s, file %s, file or date %s', (text, page, file, fileOrDate) => {
    expect(parseIsoDateTime(text, PAGE).ok).toBe(page);
    expect(parseIsoDateTime(text, FILE).ok).toBe(file);
    expect(parseIsoDateTime(text, FILE_OR_DATE).ok).toBe(fileOrDate);
  });

  it.each([
    [
      '2016-07-01',
      PAGE,
      { year: 2016, month: 7, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, dateOnly: true, offsetMinutes: null },
    ],
    [
      '2016-07-01 09:30',
      PAGE,
      { year: 2016, month: 7, day: 1, hour: 9, minute: 30, second: 0, microsecond: 0, dateOnly: false, offsetMinutes: null },
    ],
    [
      '2016-07-01T09:30:15.000001Z',
      FILE,
      { year: 2016, month: 7, day: 1, hour: 9, minute: 30, second: 15, microsecond: 1, dateOnly: false, offsetMinutes: 0 },
    ],
    [
      '2016-07-01T09:30:15,25-05',
      FILE,
      { year: 2016, month: 7, day: 1, hour: 9, minute: 30, second: 15, microsecond: 250000, dateOnly: false, offsetMinutes: -300 },
    ],
    [
      '2016-07-01T09:30+0545',
      PAGE,
      { year: 2016, month: 7, day: 1, hour: 9, minute: 30, second: 0, microsecond: 0, dateOnly: false, offsetMinutes: 345 },
    ],
  ])('reads %j into its fields', (text, options, value) => {
    expect(parseIsoDateTime(text, options)).toEqual({ ok: true, value });
  });

  it.each([
    ['2016-07-01', FILE, /^not an ISO 8601 date-time/],
    ['2016-07-01x', FILE_OR_DATE, /^not an ISO 8601 date or date-time/],
    ['2016-07-01T09:30:15.1234567Z', FILE, /^more precise than microseconds/],
    ['2016-02-30T00:00Z', FILE, /^no such date: 2016-02-30$/],
    ['2016-07-01T23:60Z', FILE, /^no such time: 23:60:00$/],
    ['2016-07-01T09:30+18:01', FILE, /^invalid UTC offset: \+18:01$/],
    ['0999-12-31', PAGE, /^before the year 1000/],
  ])('says why %j is refused', (text, options, reason) => {
    const parsed = parseIsoDateTime(text, options);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  it('reads strict spellings and no bare dates by default', () => {
    expect(parseIsoDateTime('2016-07-01T09:30Z').ok).toBe(true);
    expect(parseIsoDateTime('2016-07-01T09:30z').ok).toBe(false);
    expect(parseIsoDateTime('2016-07-01').ok).toBe(false);
    expect(parseIsoDateTime('0001-01-01T00:00Z').ok).toBe(true);
  });
});

describe('isoDateTimeInstant', () => {
  it.each([
    ['2016-07-01T11:08:12.345678+02:00', '2016-07-01T09:08:12.345Z'],
    ['2016-07-01T09:08', '2016-07-01T09:08:00.000Z'],
    ['2016-07-01', '2016-07-01T00:00:00.000Z'],
    ['0050-03-01T00:00Z', '0050-03-01T00:00:00.000Z'],
    ['9999-12-31T23:00-02:00', '+010000-01-01T01:00:00.000Z'],
  ])('%s is %s (offset applied, none read as UTC, years below 100 kept)', (text, instant) => {
    const parsed = parseIsoDateTime(text, FILE_OR_DATE);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(isoDateTimeInstant(parsed.value).toISOString()).toBe(instant);
  });
});
