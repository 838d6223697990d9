import { describe, expect, it } from 'vitest';
import { isoFromDate, parseIsoTimestamp } from '../../src/transfer/iso-timestamp.js';

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
});
