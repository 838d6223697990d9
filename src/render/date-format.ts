/**
 * A port of Django's `django.utils.dateformat.format()` (the `date` template filter):
 * https://docs.djangoproject.com/en/5.0/ref/templates/builtins/#date
 *
 * Wall-clock fields in the target time zone come from `Intl.DateTimeFormat#formatToParts`
 * (never hand-rolled zone rules); the `Intl` formatters are costly to build, so they are
 * cached per zone in a bounded map, and compiled format strings likewise.
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
import { ConfigurationError } from '../errors.js';
import { type Locale, localeData } from './locale.js';
import { translate } from './translate.js';
import type { DateNames } from './locale-data.js';

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

/**
 * Throws a `ConfigurationError` unless `timeZone` is a time zone `Intl` knows (an IANA name
 * such as `'Europe/Amsterdam'`; case-insensitive, links such as `'US/Eastern'` allowed) and
 * returns its canonical spelling.
 *
 * @example
 * ```ts
 * assertTimeZone('europe/amsterdam'); // 'Europe/Amsterdam'
 * assertTimeZone('Mars/Olympus'); // throws ConfigurationError
 * ```
 */
export function assertTimeZone(timeZone: string): string {
  return timeZoneView(timeZone).timeZone;
}

/**
 * Milliseconds the wall clock of `timeZone` is ahead of UTC at `date`, from the same cached
 * `Intl` formatters `formatDate` uses.
 *
 * @throws ConfigurationError for an unknown time zone.
 * @example
 * ```ts
 * zoneOffsetMs(new Date('2016-07-01T00:00:00Z'), 'Europe/Amsterdam'); // 7_200_000
 * ```
 */
export function zoneOffsetMs(date: Date, timeZone: string): number {
  const view = timeZoneView(timeZone);
  return view.offsetSeconds(date.getTime(), view.wallClock(date)) * 1000;
}

// ---------------------------------------------------------------------------------------------
// Wall clock in a time zone

/**
 * Calendar date and clock time, as written on a wall in some time zone.
 *
 * @example
 * ```ts
 * const wall: WallTime = { year: 2016, month: 7, day: 1, hour: 9, minute: 8, second: 0, millisecond: 0 };
 * ```
 */
export interface WallTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  /** 0-23 */
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** Calendar and clock fields of an instant as seen in one time zone. */
interface WallClock extends WallTime {
  /** Days since 1970-01-01 of this calendar date (proleptic Gregorian). */
  readonly epochDay: number;
  /** 0 = Monday … 6 = Sunday, as Python's `date.weekday()`. */
  readonly weekday: number;
}

/** A Map that forgets its oldest entry once it holds `limit` entries. */
class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K, create: (key: K) => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = create(key);
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}

/** `Intl` throws a RangeError for an unknown zone; we say what to do instead. */
function createFormatter(timeZone: string, options: Intl.DateTimeFormatOptions, locale = 'en-US'): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    throw ConfigurationError.invalidOption(
      'timeZone',
      'an IANA time zone name such as "UTC" or "Europe/Amsterdam"',
      timeZone,
    );
  }
}

const WALL_CLOCK_OPTIONS: Intl.DateTimeFormatOptions = {
  calendar: 'gregory',
  numberingSystem: 'latn',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

/** One time zone's cached `Intl` formatters and the facts derived from them. */
class TimeZoneView {
  /** The zone's canonical name, as `Intl` resolves it. */
  readonly timeZone: string;
  private readonly fields: Intl.DateTimeFormat;
  private readonly isUtc: boolean;
  private abbreviationFormatters: readonly Intl.DateTimeFormat[] | undefined;
  private readonly standardOffsets = new BoundedCache<number, number>(8);

  constructor(timeZone: string) {
    if (typeof timeZone !== 'string' || timeZone.trim() === '') {
      throw ConfigurationError.invalidOption('timeZone', 'an IANA time zone name such as "UTC" or "Europe/Amsterdam"', timeZone);
    }
    this.fields = createFormatter(timeZone, WALL_CLOCK_OPTIONS);
    this.timeZone = this.fields.resolvedOptions().timeZone;
    this.isUtc = this.timeZone === 'UTC';
  }

  wallClock(date: Date): WallClock {
    if (this.isUtc) {
      return wallClockOf(
        date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(),
        date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds(),
      );
    }
    let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    for (const part of this.fields.formatToParts(date)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value) % 24; break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        default: break;
      }
    }
    // Offsets are whole seconds, so the sub-second part is the same everywhere.
    return wallClockOf(year, month, day, hour, minute, second, mod(date.getTime(), 1000));
  }

  /** Seconds east of UTC at `time`: the difference between the zone's wall clock and UTC. */
  offsetSeconds(time: number, wall: WallClock): number {
    return Math.round((wallEpochMilliseconds(wall) - time) / 1000);
  }

  /** Whether daylight saving time is in effect: the offset exceeds the year's standard one. */
  isDaylightSaving(time: number, wall: WallClock): boolean {
    const standard = this.standardOffsets.get(wall.year, (year) => {
      const january = Date.UTC(year, 0, 1);
      const july = Date.UTC(year, 6, 1);
      const at = (instant: number): number => this.offsetSeconds(instant, this.wallClock(new Date(instant)));
      return Math.min(at(january), at(july));
    });
    return this.offsetSeconds(time, wall) > standard;
  }

  /** The zone's abbreviation at `date`, e.g. "CEST", "EDT", "UTC", or tzdb's "+0530" style. */
  abbreviation(date: Date): string {
    this.abbreviationFormatters ??= ['en-US', 'en-GB'].map((locale) =>
      createFormatter(this.timeZone, { timeZoneName: 'short' }, locale),
    );
    let name = '';
    for (const formatter of this.abbreviationFormatters) {
      name = formatter.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
      if (!GMT_OFFSET.test(name)) return name;
    }
    return tzdbOffsetAbbreviation(name);
  }
}

/** ICU's fallback for a zone without an abbreviation: "GMT+5:30", "GMT-3", "GMT+0". */
const GMT_OFFSET = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/;

/** "GMT+5:30" → "+0530", "GMT-3" → "-03", as tzdb (and so Python's zoneinfo) abbreviates. */
function tzdbOffsetAbbreviation(name: string): string {
  const match = GMT_OFFSET.exec(name);
  if (!match) return name;
  const [, sign = '+', hours = '0', minutes] = match;
  return `${sign}${pad2(Number(hours))}${minutes && minutes !== '00' ? minutes : ''}`;
}

const zoneViews = new BoundedCache<string, TimeZoneView>(64);

function timeZoneView(timeZone: string): TimeZoneView {
  return zoneViews.get(timeZone, (zone) => new TimeZoneView(zone));
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian; no time zones involved)

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** Days from 1970-01-01 to the given date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function wallClockOf(
  year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number,
): WallClock {
  const epochDay = daysFromCivil(year, month, day);
  // 1970-01-01 was a Thursday (weekday 3 counting from Monday = 0).
  return { year, month, day, hour, minute, second, millisecond, epochDay, weekday: mod(epochDay + 3, 7) };
}

function wallEpochMilliseconds(wall: WallClock): number {
  return ((wall.epochDay * 24 + wall.hour) * 60 + wall.minute) * 60_000 + wall.second * 1000 + wall.millisecond;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

function dayOfYear(wall: WallClock): number {
  return wall.epochDay - daysFromCivil(wall.year, 1, 1) + 1;
}

/** ISO 8601 week-numbering year and week: weeks start on Monday, week 1 holds a Thursday. */
function isoWeek(wall: WallClock): { readonly year: number; readonly week: number } {
  const thursday = wall.epochDay - wall.weekday + 3;
  let year = wall.year;
  if (thursday < daysFromCivil(year, 1, 1)) year -= 1;
  else if (thursday >= daysFromCivil(year + 1, 1, 1)) year += 1;
  return { year, week: Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1 };
}

// ---------------------------------------------------------------------------------------------
// Format characters

interface FormatContext {
  readonly time: number;
  readonly wall: WallClock;
  readonly zone: TimeZoneView;
  readonly locale: Locale;
  readonly names: DateNames;
}

type Specifier = (context: FormatContext) => string;

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function padStart(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function hour12(wall: WallClock): number {
  return wall.hour % 12 || 12;
}

/** Django's `f`: "1", "1:30", "2:05" (minutes left off when zero). */
function hourAndMinutes(wall: WallClock): string {
  return wall.minute === 0 ? String(hour12(wall)) : `${hour12(wall)}:${pad2(wall.minute)}`;
}

function meridiem({ wall, locale }: FormatContext): string {
  return translate(locale, wall.hour > 11 ? 'p.m.' : 'a.m.');
}

/** `+HHMM`, as Django's `O` (seconds dropped). */
function offsetHhmm(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${pad2(Math.floor(abs / 3600))}${pad2(Math.floor(abs / 60) % 60)}`;
}

/** Python's `%z` (`+HHMM[SS]`) or, with a separator, `isoformat()`'s `+HH:MM[:SS]`. */
function pythonOffset(seconds: number, separator: '' | ':'): string {
  const abs = Math.abs(seconds);
  const parts = [pad2(Math.floor(abs / 3600)), pad2(Math.floor(abs / 60) % 60)];
  if (abs % 60 !== 0) parts.push(pad2(abs % 60));
  return (seconds < 0 ? '-' : '+') + parts.join(separator);
}

function zoneOffset(context: FormatContext): number {
  return context.zone.offsetSeconds(context.time, context.wall);
}

function clockTime(wall: WallClock): string {
  return `${pad2(wall.hour)}:${pad2(wall.minute)}:${pad2(wall.second)}`;
}

function isoDate(wall: WallClock): string {
  return `${padStart(wall.year, 4)}-${pad2(wall.month)}-${pad2(wall.day)}`;
}

/** RFC 5322 always uses English names, whatever the locale (Python's `email.utils`). */
const RFC_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const RFC_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function englishOrdinalSuffix(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  switch (day % 10) {
    case 1: return 'st';
    case 2: return 'nd';
    case 3: return 'rd';
    default: return 'th';
  }
}

/** Django's format characters, in the order the documentation lists them. */
const SPECIFIERS: Readonly<Record<string, Specifier>> = Object.freeze({
  // Day
  d: ({ wall }) => pad2(wall.day),
  j: ({ wall }) => String(wall.day),
  D: ({ wall, names }) => names.weekdaysShort[wall.weekday] ?? '',
  l: ({ wall, names }) => names.weekdays[wall.weekday] ?? '',
  S: ({ wall }) => englishOrdinalSuffix(wall.day),
  w: ({ wall }) => String((wall.weekday + 1) % 7),
  z: ({ wall }) => String(dayOfYear(wall)),
  // Week
  W: ({ wall }) => String(isoWeek(wall).week),
  // Month
  m: ({ wall }) => pad2(wall.month),
  n: ({ wall }) => String(wall.month),
  M: ({ wall, names }) => capitalize(names.monthsShort[wall.month - 1] ?? ''),
  b: ({ wall, names }) => names.monthsShort[wall.month - 1] ?? '',
  E: ({ wall, names }) => names.monthsAlt[wall.month - 1] ?? '',
  F: ({ wall, names }) => names.months[wall.month - 1] ?? '',
  N: ({ wall, names }) => names.monthsAp[wall.month - 1] ?? '',
  t: ({ wall }) => pad2(daysInMonth(wall.year, wall.month)),
  // Year
  y: ({ wall }) => pad2(mod(wall.year, 100)),
  Y: ({ wall }) => padStart(wall.year, 4),
  L: ({ wall }) => (isLeapYear(wall.year) ? 'True' : 'False'),
  o: ({ wall }) => String(isoWeek(wall).year),
  // Time
  g: ({ wall }) => String(hour12(wall)),
  G: ({ wall }) => String(wall.hour),
  h: ({ wall }) => pad2(hour12(wall)),
  H: ({ wall }) => pad2(wall.hour),
  i: ({ wall }) => pad2(wall.minute),
  s: ({ wall }) => pad2(wall.second),
  u: ({ wall }) => padStart(wall.millisecond * 1000, 6),
  a: meridiem,
  A: ({ wall, locale }) => translate(locale, wall.hour > 11 ? 'PM' : 'AM'),
  f: ({ wall }) => hourAndMinutes(wall),
  P: (context) => {
    const { wall, locale } = context;
    if (wall.minute === 0 && wall.hour === 0) return translate(locale, 'midnight');
    if (wall.minute === 0 && wall.hour === 12) return translate(locale, 'noon');
    return `${hourAndMinutes(wall)} ${meridiem(context)}`;
  },
  // Time zone
  e: ({ time, zone }) => zone.abbreviation(new Date(time)),
  T: ({ time, zone }) => zone.abbreviation(new Date(time)),
  I: ({ time, wall, zone }) => (zone.isDaylightSaving(time, wall) ? '1' : '0'),
  O: (context) => offsetHhmm(zoneOffset(context)),
  Z: (context) => String(zoneOffset(context)),
  // Date/Time
  c: (context) => {
    const { wall } = context;
    const fraction = wall.millisecond === 0 ? '' : `.${padStart(wall.millisecond * 1000, 6)}`;
    return `${isoDate(wall)}T${clockTime(wall)}${fraction}${pythonOffset(zoneOffset(context), ':')}`;
  },
  r: (context) => {
    const { wall } = context;
    const weekday = RFC_WEEKDAYS[wall.weekday] ?? '';
    const month = RFC_MONTHS[wall.month - 1] ?? '';
    return `${weekday}, ${pad2(wall.day)} ${month} ${padStart(wall.year, 4)} ${clockTime(wall)} ${pythonOffset(zoneOffset(context), '')}`;
  },
  U: ({ time }) => String(Math.trunc(time / 1000)),
});

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
    const specifier = Object.hasOwn(SPECIFIERS, char) ? SPECIFIERS[char] : undefined;
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
