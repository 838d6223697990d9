/**
 * What each of Django's date format characters prints
 * (https://docs.djangoproject.com/en/5.0/ref/templates/builtins/#date), given an instant's wall
 * clock in a zone and a locale's words. `date-format.ts` lists where we differ from Django.
 *
 * @module
 */
import { dayOfYear, daysInMonth, isLeapYear, isoWeek, mod, type WallClock } from './civil-calendar.js';
import type { Locale } from './locale.js';
import type { DateNames } from './locale-data.js';
import type { TimeZoneView } from './time-zone.js';
import { translate } from './translate.js';

/**
 * What a format character reads: the instant, its wall clock and zone, and the locale's words.
 *
 * @example
 * ```ts
 * const zone = timeZoneView('UTC');
 * const date = new Date('2016-07-01T09:08:00Z');
 * const context: FormatContext = { time: date.getTime(), wall: zone.wallClock(date), zone, locale: 'en', names: localeData('en').dateNames };
 * ```
 */
export interface FormatContext {
  readonly time: number;
  readonly wall: WallClock;
  readonly zone: TimeZoneView;
  readonly locale: Locale;
  readonly names: DateNames;
}

/**
 * How one format character prints.
 *
 * @example
 * ```ts
 * const day: Specifier = ({ wall }) => String(wall.day);
 * ```
 */
export type Specifier = (context: FormatContext) => string;

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
    case 1:
      return 'st';
    case 2:
      return 'nd';
    case 3:
      return 'rd';
    default:
      return 'th';
  }
}

/**
 * Django's format characters, in the order the documentation lists them, each with how it
 * prints. Any character not listed here is literal text.
 *
 * @example
 * ```ts
 * FORMAT_CHARACTERS['Y']?.(context); // '2016'
 * ```
 */
export const FORMAT_CHARACTERS: Readonly<Record<string, Specifier>> = Object.freeze({
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
