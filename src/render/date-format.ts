/**
 * A port of Django's `django.utils.dateformat.format()` (the `date` template filter):
 * https://docs.djangoproject.com/en/5.0/ref/templates/builtins/#date
 *
 * Wall-clock fields in the target time zone come from `time-zone.ts`, what each format
 * character prints from `format-characters.ts`; compiled format strings are cached in a
 * bounded map.
 *
 * Deliberate differences from Django:
 * - Django leaves `I`, `O`, `T` and `Z` empty during the repeated hour when clocks go back,
 *   because a naive wall time there is ambiguous. We always format an exact instant, so the
 *   offset is known and printed.
 * - `e` and `T` use the zone abbreviations ICU knows ("CEST", "EDT", "BST"); where it knows
 *   none they fall back to tzdb's numeric style ("+04", "+0530"), as Python's zoneinfo prints.
 * - JavaScript dates have millisecond precision, so `u` ends in `000`.
 *
 * @module
 */
import { BoundedCache } from './bounded-cache.js';
import { FORMAT_CHARACTERS, type FormatContext, type Specifier } from './format-characters.js';
import { type Locale, localeData } from './locale.js';
import { timeZoneView } from './time-zone.js';

/**
 * How {@link formatDate} renders: the locale for names and words, the IANA zone for the clock.
 *
 * @example
 * ```ts
 * const options: DateFormatOptions = { locale: 'nl', timeZone: 'Europe/Amsterdam' };
 * ```
 */
export interface DateFormatOptions {
  /** The locale of month and day names and of "a.m."/"noon" words. */
  readonly locale: Locale;
  /** An IANA time zone name such as `'Europe/Amsterdam'` or `'UTC'`. */
  readonly timeZone: string;
}

/**
 * Django's `DATETIME_FORMAT` for a locale: en `'N j, Y, P'`, nl `'j F Y H:i'`.
 *
 * @example
 * ```ts
 * formatDate(log.timestamp, dateTimeFormatFor('en'), { locale: 'en', timeZone: 'UTC' });
 * // 'July 1, 2016, 9:08 a.m.'
 * ```
 */
export function dateTimeFormatFor(locale: Locale): string {
  return localeData(locale).formats.dateTime;
}

/**
 * Django's `DATE_FORMAT` for a locale: en `'N j, Y'`, nl `'j F Y'`.
 *
 * @example
 * ```ts
 * formatDate(day, dateFormatFor('nl'), { locale: 'nl', timeZone: 'UTC' }); // '1 juli 2016'
 * ```
 */
export function dateFormatFor(locale: Locale): string {
  return localeData(locale).formats.date;
}

/**
 * Django's `TIME_FORMAT` for a locale: en `'P'`, nl `'H:i'`.
 *
 * @example
 * ```ts
 * formatDate(at, timeFormatFor('en'), { locale: 'en', timeZone: 'UTC' }); // '9:08 a.m.'
 * ```
 */
export function timeFormatFor(locale: Locale): string {
  return localeData(locale).formats.time;
}

/**
 * Formats `date` like Django's `dateformat.format(value, format)`, with the wall clock of
 * `options.timeZone` and the words of `options.locale`. Supports every documented format
 * character (`a A b c d D e E f F g G h H i I j l L m M n N o O P r s S t T u U w W y Y z Z`);
 * any other character is copied, and a backslash makes the next character literal.
 *
 * Throws a `ConfigurationError` for an unknown time zone and a `TypeError` for an invalid date.
 *
 * @example
 * ```ts
 * const at = new Date('2016-07-01T09:08:00Z');
 * formatDate(at, 'N j, Y, P', { locale: 'en', timeZone: 'UTC' }); // 'July 1, 2016, 9:08 a.m.'
 * formatDate(at, 'j F Y H:i', { locale: 'nl', timeZone: 'Europe/Amsterdam' }); // '1 juli 2016 11:08'
 * formatDate(at, 'l \\t\\h\\e jS', { locale: 'en', timeZone: 'UTC' }); // 'Friday the 1st'
 * ```
 */
export function formatDate(date: Date, format: string, options: DateFormatOptions): string {
  // Not `instanceof`: a Date from another realm (vm, worker) is a Date all the same.
  const time = Object.prototype.toString.call(date) === '[object Date]' ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new TypeError(`formatDate: expected a valid Date (got ${String(date)})`);
  const zone = timeZoneView(options.timeZone);
  const context: FormatContext = {
    time,
    wall: zone.wallClock(date),
    zone,
    locale: options.locale,
    names: localeData(options.locale).dateNames,
  };
  let out = '';
  for (const token of compileFormat(format)) out += typeof token === 'string' ? token : token(context);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Format strings

type Token = string | Specifier;

/**
 * Python's `re.sub(r"\\(.)", r"\1", piece)`: a backslash makes the next character (but not a
 * newline, which `.` does not match) literal.
 */
const ESCAPED = /\\([^\n])/gu;

/**
 * Splits a format string as Django does: a format character counts unless the character
 * right before it is a backslash; everything in between is literal text, unescaped.
 */
function tokenize(format: string): readonly Token[] {
  const tokens: Token[] = [];
  let literalStart = 0;
  const flushLiteral = (end: number): void => {
    if (end > literalStart) tokens.push(format.slice(literalStart, end).replace(ESCAPED, '$1'));
  };
  for (let index = 0; index < format.length; index += 1) {
    const char = format.charAt(index);
    const specifier = Object.hasOwn(FORMAT_CHARACTERS, char) ? FORMAT_CHARACTERS[char] : undefined;
    if (!specifier || format.charAt(index - 1) === '\\') continue;
    flushLiteral(index);
    tokens.push(specifier);
    literalStart = index + 1;
  }
  flushLiteral(format.length);
  return Object.freeze(tokens);
}

const compiledFormats = new BoundedCache<string, readonly Token[]>(256);

function compileFormat(format: string): readonly Token[] {
  return compiledFormats.get(String(format), tokenize);
}
