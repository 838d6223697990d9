import type { WallTime } from '../render/civil-calendar.js';
import { zoneOffsetMs } from '../render/time-zone.js';

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
