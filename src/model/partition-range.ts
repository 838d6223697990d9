import { ConfigurationError } from '../errors.js';
import type { PartitionInterval } from '../partitioning-options.js';

/** One partition's range of `timestamp`: from `from` (included) to `to` (excluded), both at UTC midnight. */
export interface PartitionRange {
  readonly from: Date;
  readonly to: Date;
}

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

/** The longest suffix a partition name gets per interval: `_p2026_12`, `_p2026w49`, `_p2026_12_04`, and `_default`. */
const LONGEST_SUFFIX: Readonly<Record<PartitionInterval, number>> = {
  month: '_p2026_12'.length,
  week: '_p2026w49'.length,
  day: '_p2026_12_04'.length,
};
const DEFAULT_SUFFIX = '_default';
const MS_PER_DAY = 86_400_000;

/**
 * The range of the interval holding `instant` (UTC; weeks start on Monday).
 *
 * @example
 * ```ts
 * rangeContaining('month', new Date('2026-12-04T10:00:00Z')); // { from: 2026-12-01, to: 2027-01-01 }
 * rangeContaining('week', new Date('2026-12-04T10:00:00Z'));  // { from: 2026-11-30, to: 2026-12-07 }
 * ```
 */
export function rangeContaining(interval: PartitionInterval, instant: Date): PartitionRange {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  const day = instant.getUTCDate();
  switch (interval) {
    case 'month':
      return { from: utc(year, month, 1), to: utc(year, month + 1, 1) };
    case 'day':
      return { from: utc(year, month, day), to: utc(year, month, day + 1) };
    case 'week': {
      const monday = day - ((instant.getUTCDay() + 6) % 7);
      return { from: utc(year, month, monday), to: utc(year, month, monday + 7) };
    }
  }
}

/**
 * The current interval's range and the `premake` ranges after it, oldest first.
 *
 * @example
 * ```ts
 * rangesAhead('month', new Date('2026-12-04Z'), 1); // December 2026, January 2027
 * ```
 */
export function rangesAhead(interval: PartitionInterval, now: Date, premake: number): PartitionRange[] {
  const ranges = [rangeContaining(interval, now)];
  for (let index = 0; index < premake; index += 1) ranges.push(rangeContaining(interval, (ranges.at(-1) as PartitionRange).to));
  return ranges;
}

/**
 * `ranges` without repeats (by start), oldest first.
 *
 * @example
 * ```ts
 * uniqueRanges([january, december, january]); // [december, january]
 * ```
 */
export function uniqueRanges(ranges: readonly PartitionRange[]): PartitionRange[] {
  const byStart = new Map(ranges.map((range) => [range.from.getTime(), range]));
  return [...byStart.values()].sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * A range partition's name: the table's name and the range's start, e.g.
 * `timeline_logs_p2026_12` (month), `timeline_logs_p2026w49` (ISO week), `timeline_logs_p2026_12_04` (day).
 *
 * @example
 * ```ts
 * partitionName('timeline_logs', 'week', rangeContaining('week', new Date('2026-12-04Z'))); // 'timeline_logs_p2026w49'
 * ```
 */
export function partitionName(table: string, interval: PartitionInterval, range: PartitionRange): string {
  const from = range.from;
  const year = pad(from.getUTCFullYear(), 4);
  switch (interval) {
    case 'month':
      return `${table}_p${year}_${pad(from.getUTCMonth() + 1, 2)}`;
    case 'day':
      return `${table}_p${year}_${pad(from.getUTCMonth() + 1, 2)}_${pad(from.getUTCDate(), 2)}`;
    case 'week': {
      const { isoYear, week } = isoWeek(from);
      return `${table}_p${pad(isoYear, 4)}w${pad(week, 2)}`;
    }
  }
}

/**
 * The name of the table's DEFAULT partition, which stores logs no range partition covers.
 *
 * @example
 * ```ts
 * defaultPartitionName('timeline_logs'); // 'timeline_logs_default'
 * ```
 */
export function defaultPartitionName(table: string): string {
  return `${table}${DEFAULT_SUFFIX}`;
}

/**
 * Checks that the table's partition names fit PostgreSQL's 63-byte identifiers (longer names
 * would be cut, and two partitions could end up with one name).
 *
 * @throws ConfigurationError naming the table and the longest name it allows.
 * @example
 * ```ts
 * assertPartitionNamesFit('timeline_logs', 'day'); // fine
 * ```
 */
export function assertPartitionNamesFit(table: string, interval: PartitionInterval): void {
  const allowed = MAX_IDENTIFIER_BYTES - Math.max(LONGEST_SUFFIX[interval], DEFAULT_SUFFIX.length);
  if (Buffer.byteLength(table, 'utf8') > allowed) {
    throw new ConfigurationError(
      `option tableName ${JSON.stringify(table)} is too long for partitioned tables by ${interval}: partition names add up to ${MAX_IDENTIFIER_BYTES - allowed} bytes to it and PostgreSQL names are at most ${MAX_IDENTIFIER_BYTES} bytes; use a table name of at most ${allowed} bytes`,
    );
  }
}

/**
 * A range bound as PostgreSQL `timestamptz` text: UTC midnight of `instant`'s day, independent
 * of the session's time zone, with a 4-digit (or longer) year.
 *
 * @example
 * ```ts
 * boundText(new Date('1900-03-01T00:00:00Z')); // '1900-03-01 00:00:00+00'
 * ```
 */
export function boundText(instant: Date): string {
  const date = [pad(instant.getUTCFullYear(), 4), pad(instant.getUTCMonth() + 1, 2), pad(instant.getUTCDate(), 2)].join('-');
  return `${date} 00:00:00+00`;
}

/** ISO 8601 week number and week-based year of a Monday (UTC). */
function isoWeek(monday: Date): { isoYear: number; week: number } {
  const thursday = new Date(monday.getTime() + 3 * MS_PER_DAY);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - utc(isoYear, 0, 1).getTime()) / (7 * MS_PER_DAY)) + 1;
  return { isoYear, week };
}

function utc(year: number, month: number, day: number): Date {
  const date = new Date(Date.UTC(2000, month, day));
  date.setUTCFullYear(year, month, day);
  return date;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
