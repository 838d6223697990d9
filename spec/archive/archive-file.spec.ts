import { describe, expect, it } from 'vitest';
import { archiveFileName, dateOfTimestampText } from '../../src/archive/archive-file.js';
import { compareTimestampText } from '../../src/archive/archive-range.js';

const range = (earliest: string, latest: string) => ({ rows: 2, firstId: '7', lastId: '1234567890123456789', earliest, latest });

describe('archiveFileName', () => {
  it.each([
    [
      '2026-12-01 00:00:00+00',
      '2026-12-31 23:59:59.999999+00',
      'timeline_logs_20261201T000000Z_20261231T235959Z_ids-7-1234567890123456789.ndjson.gz',
    ],
    [
      '0044-03-15 12:00:00+00 BC',
      '12345-01-01 00:00:00+00',
      'timeline_logs_-0000430315T120000Z_123450101T000000Z_ids-7-1234567890123456789.ndjson.gz',
    ],
    ['-infinity', 'infinity', 'timeline_logs_-infinity_infinity_ids-7-1234567890123456789.ndjson.gz'],
  ])('names %s .. %s by range', (earliest, latest, name) => {
    expect(archiveFileName('timeline_logs', range(earliest, latest))).toBe(name);
  });

  it('keeps only letters, digits, _ and - of the table name', () => {
    expect(archiveFileName('../my logs', range('2026-12-01 00:00:00+00', '2026-12-01 00:00:00+00'))).toMatch(
      /^___my_logs_20261201T000000Z_/,
    );
  });
});

describe('compareTimestampText', () => {
  it.each([
    ['2026-12-01 00:00:00+00', '2026-12-01 00:00:00.5+00'],
    ['2026-12-01 00:00:00.45+00', '2026-12-01 00:00:00.5+00'],
    ['9999-12-31 23:59:59+00', '10000-01-01 00:00:00+00'],
    ['0002-01-01 00:00:00+00 BC', '0001-06-01 00:00:00+00 BC'],
    ['0001-12-31 00:00:00+00 BC', '0001-01-01 00:00:00+00'],
    ['-infinity', '0001-01-01 00:00:00+00 BC'],
    ['294276-12-31 23:59:59+00', 'infinity'],
  ])('orders %s before %s', (earlier, later) => {
    expect(compareTimestampText(earlier, later)).toBeLessThan(0);
    expect(compareTimestampText(later, earlier)).toBeGreaterThan(0);
  });
});

describe('dateOfTimestampText', () => {
  it.each([
    ['2026-12-01 10:20:30.123456+00', '2026-12-01T10:20:30.123Z'],
    ['12345-01-01 00:00:00+00', '+012345-01-01T00:00:00.000Z'],
    ['0002-03-04 05:06:07+00 BC', '-000001-03-04T05:06:07.000Z'],
  ])('reads %s', (text, iso) => {
    expect(dateOfTimestampText(text).toISOString()).toBe(iso);
  });
});
