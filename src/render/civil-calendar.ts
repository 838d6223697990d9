/**
 * Calendar arithmetic on civil dates (proleptic Gregorian; no time zones involved): the day
 * numbers, weekdays, leap years and ISO weeks that date formatting prints.
 *
 * @module
 */

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

/**
 * Calendar and clock fields of an instant as seen in one time zone, with the day number and
 * weekday worked out once.
 *
 * @example
 * ```ts
 * const wall: WallClock = wallClockOf(2016, 7, 1, 9, 8, 0, 0);
 * wall.weekday; // 4 (Friday)
 * ```
 */
export interface WallClock extends WallTime {
  /** Days since 1970-01-01 of this calendar date (proleptic Gregorian). */
  readonly epochDay: number;
  /** 0 = Monday … 6 = Sunday, as Python's `date.weekday()`. */
  readonly weekday: number;
}

/**
 * `value` modulo `divisor`, never negative for a positive divisor (Python's `%`).
 *
 * @example
 * ```ts
 * mod(-1, 7); // 6
 * ```
 */
export function mod(value: number, divisor: number): number {
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

/**
 * The {@link WallClock} of the given calendar date and clock time.
 *
 * @example
 * ```ts
 * wallClockOf(1970, 1, 1, 0, 0, 0, 0); // { year: 1970, …, epochDay: 0, weekday: 3 }
 * ```
 */
export function wallClockOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): WallClock {
  const epochDay = daysFromCivil(year, month, day);
  // 1970-01-01 was a Thursday (weekday 3 counting from Monday = 0).
  return { year, month, day, hour, minute, second, millisecond, epochDay, weekday: mod(epochDay + 3, 7) };
}

/**
 * Milliseconds since 1970-01-01T00:00 of a wall clock read as if it were UTC.
 *
 * @example
 * ```ts
 * wallEpochMilliseconds(wallClockOf(1970, 1, 2, 0, 0, 0, 0)); // 86_400_000
 * ```
 */
export function wallEpochMilliseconds(wall: WallClock): number {
  return ((wall.epochDay * 24 + wall.hour) * 60 + wall.minute) * 60_000 + wall.second * 1000 + wall.millisecond;
}

/**
 * Whether `year` has a 29 February.
 *
 * @example
 * ```ts
 * isLeapYear(2000); // true
 * isLeapYear(2100); // false
 * ```
 */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * The number of days in `month` (1-12) of `year`.
 *
 * @example
 * ```ts
 * daysInMonth(2016, 2); // 29
 * ```
 */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/**
 * The day of the year, 1 for 1 January.
 *
 * @example
 * ```ts
 * dayOfYear(wallClockOf(2016, 12, 31, 0, 0, 0, 0)); // 366
 * ```
 */
export function dayOfYear(wall: WallClock): number {
  return wall.epochDay - daysFromCivil(wall.year, 1, 1) + 1;
}

/**
 * ISO 8601 week-numbering year and week: weeks start on Monday, week 1 holds a Thursday.
 *
 * @example
 * ```ts
 * isoWeek(wallClockOf(2016, 1, 1, 0, 0, 0, 0)); // { year: 2015, week: 53 }
 * ```
 */
export function isoWeek(wall: WallClock): { readonly year: number; readonly week: number } {
  const thursday = wall.epochDay - wall.weekday + 3;
  let year = wall.year;
  if (thursday < daysFromCivil(year, 1, 1)) year -= 1;
  else if (thursday >= daysFromCivil(year + 1, 1, 1)) year += 1;
  return { year, week: Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1 };
}
