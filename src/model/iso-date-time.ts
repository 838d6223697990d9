/**
 * The one reader of ISO 8601 dates and date-times. The timeline page's filters, export filters,
 * the CLI's `--since`/`--until` and imported timestamps all read their text here; they differ
 * only in the spellings they accept (see {@link IsoDateTimeOptions}) and in what they make of a
 * value without an offset, which is theirs to decide.
 *
 * @module
 */
import { daysInMonth } from '../render/civil-calendar.js';

/** A date or date-time as written, its fields checked (a real calendar date, a real clock time). */
export interface IsoDateTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  /** 0-23; 0 for a bare date. */
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** The written fraction of the second in microseconds, 0-999999. */
  readonly microsecond: number;
  /** Whether only a date was written (`2024-01-31`), so the clock fields are midnight. */
  readonly dateOnly: boolean;
  /** The written UTC offset in minutes east (`Z` is 0), or null when none was written. */
  readonly offsetMinutes: number | null;
}

/**
 * Which spellings are read:
 * - `strict`: `T` or a space between date and time, a `.` fraction, `Z` or `±HH:MM`/`±HHMM`
 *   right after the time, nothing around the text. What the timeline page documents; its
 *   offsets are taken as written, without a range check, as the page always read them.
 * - `lenient`: what Django and spreadsheets write besides: a `,` fraction, `z`, `±HH`, spaces
 *   before the offset and around a date-time (not around a bare date). Offsets are at most
 *   18:00 with at most 59 minutes.
 */
export type IsoSpelling = 'strict' | 'lenient';

/** Options of {@link parseIsoDateTime}. */
export interface IsoDateTimeOptions {
  /** The spellings read. Defaults to `'strict'`. */
  readonly spelling?: IsoSpelling;
  /** Whether a bare date (`2024-01-31`) is read (as `dateOnly`). Defaults to `false`: a time is required. */
  readonly dates?: boolean;
  /** The earliest year that may be written. Defaults to `0` (any four digits). */
  readonly minYear?: number;
}

/** The outcome of {@link parseIsoDateTime}: the value, or why the text is not one. */
export type ParsedIsoDateTime = { readonly ok: true; readonly value: IsoDateTime } | { readonly ok: false; readonly reason: string };

/** Groups: year, month, day, hour, minute, second, fraction, offset. */
const GRAMMAR: Readonly<Record<IsoSpelling, RegExp>> = {
  strict: /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  lenient: /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/,
};
const MAX_LENIENT_OFFSET_MINUTES = 18 * 60;

/**
 * Reads an ISO 8601 date-time (or, with `dates`, a bare date) into its fields. More than six
 * fraction digits are refused rather than rounded, so nothing is silently lost. The reasons
 * name what is wrong, for messages that show them.
 *
 * @example
 * ```ts
 * parseIsoDateTime('2016-07-01T11:08:12.5+02:00');
 * // { ok: true, value: { year: 2016, month: 7, day: 1, hour: 11, minute: 8, second: 12, microsecond: 500000, dateOnly: false, offsetMinutes: 120 } }
 * parseIsoDateTime('2016-07-01', { dates: true }).ok;         // true (dateOnly, no offset)
 * parseIsoDateTime('2016-07-01 09:08 z', { spelling: 'lenient' }).ok; // true
 * parseIsoDateTime('2016-02-30T00:00Z');                      // { ok: false, reason: 'no such date: 2016-02-30' }
 * ```
 */
export function parseIsoDateTime(text: string, options: IsoDateTimeOptions = {}): ParsedIsoDateTime {
  const spelling = options.spelling ?? 'strict';
  const body = spelling === 'lenient' ? text.trim() : text;
  const match = GRAMMAR[spelling].exec(body);
  const [, y = '', mo = '', d = '', h, mi = '00', s = '00', fraction = '', zone] = match ?? [];
  const dateOnly = h === undefined;
  if (match === null || (dateOnly && (options.dates !== true || body !== text))) {
    return refused(
      `not an ISO 8601 ${options.dates === true ? 'date or ' : ''}date-time (expected e.g. 2016-07-01T09:08:12.345678Z): ${JSON.stringify(text)}`,
    );
  }
  if (fraction.length > 6) return refused(`more precise than microseconds: ${JSON.stringify(text)}`);
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return refused(`no such date: ${y}-${mo}-${d}`);
  const [hour, minute, second] = [Number(h ?? 0), Number(mi), Number(s)];
  if (hour > 23 || minute > 59 || second > 59) return refused(`no such time: ${h}:${mi}:${s}`);
  if (year < (options.minYear ?? 0)) return refused(`before the year ${options.minYear}: ${JSON.stringify(text)}`);
  const offsetMinutes = zone === undefined ? null : readOffset(zone, spelling);
  if (Number.isNaN(offsetMinutes)) return refused(`invalid UTC offset: ${zone}`);
  const microsecond = Number(fraction.padEnd(6, '0'));
  return { ok: true, value: { year, month, day, hour, minute, second, microsecond, dateOnly, offsetMinutes } };
}

/**
 * The instant `value` names, to the millisecond (a Date keeps no microseconds): its fields less
 * its offset, or read as UTC when it has none. Callers that read offset-less values in a time
 * zone convert those themselves.
 *
 * @example
 * ```ts
 * const parsed = parseIsoDateTime('2016-07-01T11:08:12.5+02:00');
 * if (parsed.ok) isoDateTimeInstant(parsed.value); // 2016-07-01T09:08:12.500Z
 * ```
 */
export function isoDateTimeInstant(value: IsoDateTime): Date {
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as written.
  const wall = new Date(0);
  wall.setUTCFullYear(value.year, value.month - 1, value.day);
  wall.setUTCHours(value.hour, value.minute, value.second, Math.floor(value.microsecond / 1000));
  return new Date(wall.getTime() - (value.offsetMinutes ?? 0) * 60_000);
}

function refused(reason: string): ParsedIsoDateTime {
  return { ok: false, reason };
}

/** Minutes east of UTC, or NaN when a lenient offset is out of range. */
function readOffset(zone: string, spelling: IsoSpelling): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (spelling === 'lenient' && (minutes > 59 || hours * 60 + minutes > MAX_LENIENT_OFFSET_MINUTES)) return Number.NaN;
  return sign * (hours * 60 + minutes);
}
