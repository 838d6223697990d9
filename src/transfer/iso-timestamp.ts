/**
 * Timestamps as exchanged in files: ISO 8601 in UTC with microseconds
 * (`2016-07-01T09:08:12.345678Z`), the precision of PostgreSQL's `timestamptz`. JavaScript
 * Dates stop at milliseconds, so timestamps travel as text end to end.
 *
 * @module
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const MAX_OFFSET_MINUTES = 18 * 60;

/**
 * A timestamp parsed to its canonical form, or the reason it cannot be.
 */
export type ParsedTimestamp = { readonly ok: true; readonly iso: string } | { readonly ok: false; readonly reason: string };

/**
 * Parses an ISO 8601 date-time (`T` or space between date and time, seconds and fraction
 * optional, zone `Z` or `±HH:MM`; no zone means UTC, as Django writes them) into the canonical
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` form. More than six fraction digits are refused rather than
 * rounded, so nothing is silently lost.
 *
 * @example
 * ```ts
 * parseIsoTimestamp('2016-07-01 11:08:12.5+02:00'); // { ok: true, iso: '2016-07-01T09:08:12.500000Z' }
 * parseIsoTimestamp('2016-02-30T00:00:00Z');        // { ok: false, reason: 'no such date: 2016-02-30' }
 * ```
 */
export function parseIsoTimestamp(text: string): ParsedTimestamp {
  if (isCanonical(text)) return { ok: true, iso: text };
  const match = ISO.exec(text.trim());
  if (!match) return { ok: false, reason: `not an ISO 8601 date-time (expected e.g. 2016-07-01T09:08:12.345678Z): ${JSON.stringify(text)}` };
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = match as unknown as string[];
  if (fraction.length > 6) return { ok: false, reason: `more precise than microseconds: ${JSON.stringify(text)}` };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: `no such date: ${y}-${mo}-${d}` };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return { ok: false, reason: `no such time: ${h}:${mi}:${s}` };
  const offset = offsetMinutes(zone as string);
  if (offset === null) return { ok: false, reason: `invalid UTC offset: ${zone}` };
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const instant = new Date(wall.getTime() - offset * 60_000);
  if (instant.getUTCFullYear() < 1 || instant.getUTCFullYear() > 9999) return { ok: false, reason: `out of range (years 1 to 9999): ${JSON.stringify(text)}` };
  return { ok: true, iso: formatIso(instant, fraction.padEnd(6, '0')) };
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
  const whole = new Date(date.getTime() - (((date.getTime() % 1000) + 1000) % 1000));
  return formatIso(whole, String(date.getUTCMilliseconds()).padStart(3, '0').padEnd(6, '0'));
}

function formatIso(wholeSeconds: Date, micros: string): string {
  return `${wholeSeconds.toISOString().slice(0, 19)}.${micros}Z`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The canonical form: `d` a digit, anything else itself. */
const CANONICAL = 'dddd-dd-ddTdd:dd:dd.ddddddZ';
const DIGIT = 100; // 'd'

/**
 * Already canonical and valid (what exports write): checked by character codes, without a
 * regular expression or Date objects. Anything else takes the general parser.
 */
function isCanonical(text: string): boolean {
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
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  return day <= monthDays && digits(text, 11, 2) <= 23 && digits(text, 14, 2) <= 59 && digits(text, 17, 2) <= 59;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

function daysInMonth(year: number, month: number): number {
  const probe = new Date(0);
  probe.setUTCFullYear(year, month, 0);
  return probe.getUTCDate();
}

function offsetMinutes(zone: string): number | null {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (minutes > 59) return null;
  const total = hours * 60 + minutes;
  return total > MAX_OFFSET_MINUTES ? null : sign * total;
}
