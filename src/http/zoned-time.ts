/** Calendar date and clock time, as written on a wall in some time zone. */
export interface WallTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
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
  const format = offsetFormat(timeZone);
  const first = asUtc - zoneOffset(asUtc, format);
  const second = asUtc - zoneOffset(first, format);
  return new Date(Math.min(first, second));
}

type OffsetFormat = Intl.DateTimeFormat;

function offsetFormat(timeZone: string): OffsetFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function zoneOffset(instant: number, format: OffsetFormat): number {
  const fields: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}
