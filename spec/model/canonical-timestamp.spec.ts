import { describe, expect, it } from 'vitest';
import { canonicalTimestamp, isoFromDate, parseIsoTimestamp, parseIsoTimestampOrDate } from '../../src/model/canonical-timestamp.js';
import { parseIsoDateTime } from '../../src/model/iso-date-time.js';

describe('parseIsoTimestamp', () => {
  it.each([
    ['2016-07-01T09:08:12.345678Z', '2016-07-01T09:08:12.345678Z'],
    ['2016-07-01 09:08:12', '2016-07-01T09:08:12.000000Z'],
    ['2016-07-01T11:08:12.5+02:00', '2016-07-01T09:08:12.500000Z'],
    ['2016-07-01T04:08:12.000001-0500', '2016-07-01T09:08:12.000001Z'],
    ['2016-07-01T09:08+05', '2016-07-01T04:08:00.000000Z'],
    ['2024-02-29T23:59:59.999999-08:00', '2024-03-01T07:59:59.999999Z'],
    ['0999-01-01T00:00:00Z', '0999-01-01T00:00:00.000000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseIsoTimestamp(text)).toEqual({ ok: true, iso });
  });

  it.each([
    ['2023-02-29T00:00:00Z', /no such date/],
    ['2016-07-01T24:00:00Z', /no such time/],
    ['2016-07-01T09:08:12.1234567Z', /more precise than microseconds/],
    ['2016-07-01T09:08:12+19:00', /invalid UTC offset/],
    ['July 1, 2016', /not an ISO 8601/],
    ['2016-07-01', /not an ISO 8601/],
  ])('refuses %s', (text, reason) => {
    const parsed = parseIsoTimestamp(text);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  it.each<[string, true | RegExp]>([
    ['2000-02-29T00:00:00.000000Z', true],
    ['2024-12-31T23:59:59.999999Z', true],
    ['0001-01-01T00:00:00.000000Z', true],
    ['1900-02-29T00:00:00.000000Z', /no such date/],
    ['2023-04-31T00:00:00.000000Z', /no such date/],
    ['2023-13-01T00:00:00.000000Z', /no such date/],
    ['2023-01-01T24:00:00.000000Z', /no such time/],
    ['2023-01-01T00:60:00.000000Z', /no such time/],
    ['2023-01-01T00:00:60.000000Z', /no such time/],
    ['0000-01-01T00:00:00.000000Z', /out of range/],
  ])('checks canonical text (the fast path) as fully: %s', (text, expected) => {
    const parsed = parseIsoTimestamp(text);
    if (expected instanceof RegExp) expect(parsed.ok ? '' : parsed.reason).toMatch(expected);
    else expect(parsed).toEqual({ ok: true, iso: text });
  });

  it('formats Dates with millisecond precision', () => {
    expect(isoFromDate(new Date('1969-12-31T23:59:59.999Z'))).toBe('1969-12-31T23:59:59.999000Z');
  });

  it('writes years past 9999 with five digits, as PostgreSQL reads them, and early years with four', () => {
    expect(isoFromDate(new Date(Date.UTC(10000, 0, 1)))).toBe('10000-01-01T00:00:00.000000Z');
    const yearFive = new Date(0);
    yearFive.setUTCFullYear(5);
    expect(isoFromDate(yearFive)).toBe('0005-01-01T00:00:00.000000Z');
  });
});

describe('parseIsoTimestampOrDate', () => {
  it.each([
    ['2024-01-31', { ok: true, iso: '2024-01-31T00:00:00.000000Z', dateOnly: true }],
    ['0001-01-01', { ok: true, iso: '0001-01-01T00:00:00.000000Z', dateOnly: true }],
    ['2024-01-31T12:00+01:00', { ok: true, iso: '2024-01-31T11:00:00.000000Z', dateOnly: false }],
    ['2024-01-31T12:00:00.000001Z', { ok: true, iso: '2024-01-31T12:00:00.000001Z', dateOnly: false }],
  ])('%s → %j', (text, parsed) => {
    expect(parseIsoTimestampOrDate(text)).toEqual(parsed);
  });

  it.each([
    ['0000-01-01', /out of range/],
    [' 2024-01-31', /not an ISO 8601 date or date-time/],
    ['2024-02-30', /no such date/],
  ])('refuses %j', (text, reason) => {
    const parsed = parseIsoTimestampOrDate(text);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});

describe('canonicalTimestamp', () => {
  it.each([
    ['2016-07-01T11:08:12.000001+02:00', '2016-07-01T09:08:12.000001Z'],
    ['2016-07-01', '2016-07-01T00:00:00.000000Z'],
    ['0050-03-01T00:00:00.5', '0050-03-01T00:00:00.500000Z'],
    ['9999-12-31T23:30-01:00', '10000-01-01T00:30:00.000000Z'],
  ])('%s → %s', (text, iso) => {
    const parsed = parseIsoDateTime(text, { spelling: 'lenient', dates: true });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(canonicalTimestamp(parsed.value)).toBe(iso);
  });
});
