/**
 * The canonical text of a timestamp: ISO 8601 in UTC with microseconds
 * (`2016-07-01T09:08:12.345678Z`), the precision of PostgreSQL's `timestamptz`. JavaScript
 * Dates stop at milliseconds, so timestamps travel as this text end to end: in exported and
 * imported files, in cursors and in the bounds of filters.
 *
 * @module
 */
import { daysInMonth } from '../render/civil-calendar.js';
import { isoDateTimeInstant, parseIsoDateTime, type IsoDateTime } from './iso-date-time.js';

/** A timestamp parsed to its canonical form, or the reason it cannot be. */
export type ParsedTimestamp = { readonly ok: true; readonly iso: string } | { readonly ok: false; readonly reason: string };

/** A timestamp or a bare date parsed to its canonical form (a date to its midnight UTC), or the reason it cannot be. */
export type ParsedTimestampOrDate =
  { readonly ok: true; readonly iso: string; readonly dateOnly: boolean } | { readonly ok: false; readonly reason: string };

/**
 * Parses an ISO 8601 date-time as files carry it (the lenient spelling of
 * {@link parseIsoDateTime}: `T` or space, seconds and fraction optional, zone `Z` or `±HH:MM`;
 * no zone means UTC, as Django writes them) into the canonical form. Canonical text, what
 * exports write, is recognised by character codes first, without a regular expression or
 * Dates: imports read one per row.
 *
 * @example
 * ```ts
 * parseIsoTimestamp('2016-07-01 11:08:12.5+02:00'); // { ok: true, iso: '2016-07-01T09:08:12.500000Z' }
 * parseIsoTimestamp('2016-02-30T00:00:00Z');        // { ok: false, reason: 'no such date: 2016-02-30' }
 * ```
 */
export function parseIsoTimestamp(text: string): ParsedTimestamp {
  if (isCanonicalTimestamp(text)) return { ok: true, iso: text };
  const parsed = canonicalOf(text, false);
  return parsed.ok ? { ok: true, iso: parsed.iso } : parsed;
}

/**
 * Like {@link parseIsoTimestamp}, and also reads a bare date (`2024-01-31`, nothing around it)
 * as its midnight UTC, saying so in `dateOnly`: what export filters and the CLI's
 * `--since`/`--until` take.
 *
 * @example
 * ```ts
 * parseIsoTimestampOrDate('2024-01-31'); // { ok: true, iso: '2024-01-31T00:00:00.000000Z', dateOnly: true }
 * ```
 */
export function parseIsoTimestampOrDate(text: string): ParsedTimestampOrDate {
  if (isCanonicalTimestamp(text)) return { ok: true, iso: text, dateOnly: false };
  return canonicalOf(text, true);
}

/**
 * The canonical text of a parsed value, read as UTC when it has no offset. Years past 9999 are
 * written with five digits (PostgreSQL reads them; {@link isCanonicalTimestamp} does not).
 *
 * @example
 * ```ts
 * const parsed = parseIsoDateTime('2016-07-01T11:08:12.000001+02:00');
 * if (parsed.ok) canonicalTimestamp(parsed.value); // '2016-07-01T09:08:12.000001Z'
 * ```
 */
export function canonicalTimestamp(value: IsoDateTime): string {
  return formatCanonical(isoDateTimeInstant(value), value.microsecond);
}

/**
 * The canonical form of a JavaScript Date (millisecond precision, so the last three digits are 0).
 *
 * @example
 * ```ts
 * isoFromDate(new Date('2016-07-01T09:08:12.345Z')); // '2016-07-01T09:08:12.345000Z'
 * ```
 */
export function isoFromDate(date: Date): string {
  return `${utcSeconds(date)}.${String(date.getUTCMilliseconds()).padStart(3, '0')}000Z`;
}

/** The canonical form: `d` a digit, anything else itself. */
const CANONICAL = 'dddd-dd-ddTdd:dd:dd.ddddddZ';
const DIGIT = 100; // 'd'
const PLUS = 43; // '+'

/**
 * Whether `text` is canonical and valid (years 1 to 9999, a real date and clock time), checked
 * by character codes.
 *
 * @example
 * ```ts
 * isCanonicalTimestamp('2016-07-01T09:08:12.345678Z'); // true
 * isCanonicalTimestamp('2016-07-01T09:08:12Z');        // false (not the canonical spelling)
 * ```
 */
export function isCanonicalTimestamp(text: string): boolean {
  if (text.length !== CANONICAL.length) return false;
  for (let index = 0; index < CANONICAL.length; index += 1) {
    const code = text.charCodeAt(index);
    const expected = CANONICAL.charCodeAt(index);
    if (expected === DIGIT ? code < 48 || code > 57 : code !== expected) return false;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month) && digits(text, 11, 2) <= 23 && digits(text, 14, 2) <= 59 && digits(text, 17, 2) <= 59;
}

function canonicalOf(text: string, dates: boolean): ParsedTimestampOrDate {
  const parsed = parseIsoDateTime(text, { spelling: 'lenient', dates });
  if (!parsed.ok) return parsed;
  const instant = isoDateTimeInstant(parsed.value);
  const year = instant.getUTCFullYear();
  if (year < 1 || year > 9999) return { ok: false, reason: `out of range (years 1 to 9999): ${JSON.stringify(text)}` };
  return { ok: true, iso: formatCanonical(instant, parsed.value.microsecond), dateOnly: parsed.value.dateOnly };
}

/** `instant`'s whole seconds in UTC with `microsecond` (0-999999) as the fraction. */
function formatCanonical(instant: Date, microsecond: number): string {
  return `${utcSeconds(instant)}.${String(microsecond).padStart(6, '0')}Z`;
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC; a year past 9999 unpadded and unsigned (`10000-01-01T00:00:00`). */
function utcSeconds(date: Date): string {
  const iso = date.toISOString();
  return iso.charCodeAt(0) === PLUS ? `${date.getUTCFullYear()}${iso.slice(7, -5)}` : iso.slice(0, -5);
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}
