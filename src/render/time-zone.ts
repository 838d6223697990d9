/**
 * Time-zone views of an instant: the wall clock a zone shows at a given moment, its offset,
 * abbreviation and daylight saving, and the way back from a wall time to the instant.
 *
 * Wall-clock fields come from `Intl.DateTimeFormat#formatToParts` (never hand-rolled zone
 * rules); the `Intl` formatters are costly to build, so they are cached per zone in a
 * bounded map.
 *
 * @module
 */
import { ConfigurationError } from '../errors.js';
import { BoundedCache } from './bounded-cache.js';
import { mod, type WallClock, type WallTime, wallClockOf, wallEpochMilliseconds } from './civil-calendar.js';

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

/**
 * The instant at which clocks in `timeZone` show `wall`. In a DST gap (a time that never
 * happened) it lands an hour later; in a DST overlap it picks the first of the two.
 *
 * @example
 * ```ts
 * zonedTimeToInstant({ year: 2016, month: 7, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, 'Europe/Amsterdam');
 * // 2016-06-30T22:00:00.000Z
 * ```
 */
export function zonedTimeToInstant(wall: WallTime, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  const first = asUtc - zoneOffsetMs(new Date(asUtc), timeZone);
  const second = asUtc - zoneOffsetMs(new Date(first), timeZone);
  return new Date(Math.min(first, second));
}

/** `Intl` throws a RangeError for an unknown zone; we say what to do instead. */
function createFormatter(timeZone: string, options: Intl.DateTimeFormatOptions, locale = 'en-US'): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    throw ConfigurationError.invalidOption('timeZone', 'an IANA time zone name such as "UTC" or "Europe/Amsterdam"', timeZone);
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

/**
 * One time zone's cached `Intl` formatters and the facts derived from them. Get one through
 * {@link timeZoneView}, which keeps one per zone.
 *
 * @example
 * ```ts
 * const view = timeZoneView('Europe/Amsterdam');
 * const at = new Date('2016-07-01T09:08:00Z');
 * view.offsetSeconds(at.getTime(), view.wallClock(at)); // 7200
 * ```
 */
export class TimeZoneView {
  /** The zone's canonical name, as `Intl` resolves it. */
  readonly timeZone: string;
  private readonly fields: Intl.DateTimeFormat;
  private readonly isUtc: boolean;
  private abbreviationFormatters: readonly Intl.DateTimeFormat[] | undefined;
  private readonly standardOffsets = new BoundedCache<number, number>(8);

  /** @throws ConfigurationError for a blank or unknown time zone. */
  constructor(timeZone: string) {
    if (typeof timeZone !== 'string' || timeZone.trim() === '') {
      throw ConfigurationError.invalidOption('timeZone', 'an IANA time zone name such as "UTC" or "Europe/Amsterdam"', timeZone);
    }
    this.fields = createFormatter(timeZone, WALL_CLOCK_OPTIONS);
    this.timeZone = this.fields.resolvedOptions().timeZone;
    this.isUtc = this.timeZone === 'UTC';
  }

  /** The calendar date and clock time the zone's clocks show at `date`. */
  wallClock(date: Date): WallClock {
    if (this.isUtc) {
      return wallClockOf(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours(),
        date.getUTCMinutes(),
        date.getUTCSeconds(),
        date.getUTCMilliseconds(),
      );
    }
    let year = 0,
      month = 0,
      day = 0,
      hour = 0,
      minute = 0,
      second = 0;
    for (const part of this.fields.formatToParts(date)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value) % 24;
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        default:
          break;
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
    this.abbreviationFormatters ??= ['en-US', 'en-GB'].map((locale) => createFormatter(this.timeZone, { timeZoneName: 'short' }, locale));
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
  return `${sign}${hours.padStart(2, '0')}${minutes && minutes !== '00' ? minutes : ''}`;
}

const zoneViews = new BoundedCache<string, TimeZoneView>(64);

/**
 * The cached {@link TimeZoneView} of `timeZone` (one per zone, at most 64 zones kept).
 *
 * @throws ConfigurationError for an unknown time zone.
 * @example
 * ```ts
 * timeZoneView('europe/amsterdam').timeZone; // 'Europe/Amsterdam'
 * ```
 */
export function timeZoneView(timeZone: string): TimeZoneView {
  return zoneViews.get(timeZone, (zone) => new TimeZoneView(zone));
}
