/** The months of logs the bench loads, ending now. */
export const HISTORY_MONTHS = 24;

const DAY_MS = 86_400_000;

/**
 * The time span the bench's logs cover and the two oldest months it removes: the oldest month by
 * a raw `DELETE` (the baseline), the next by the library's `prune`. Month boundaries are UTC, as
 * the partitions' are.
 */
export interface ScaleHistory {
  /** The first instant of the oldest month: the oldest log is at or after it. */
  readonly start: Date;
  /** The newest log is before it (the moment the bench started). */
  readonly end: Date;
  /** The end of the oldest month: the raw DELETE removes `timestamp < firstMonthEnd`. */
  readonly firstMonthEnd: Date;
  /** The end of the second month: prune's cutoff (`timestamp <= secondMonthEnd`). */
  readonly secondMonthEnd: Date;
  /** The `keepDays` that, with {@link ScaleHistory.clock}, puts prune's cutoff at `secondMonthEnd`. */
  readonly keepDays: number;
  /** The library's `now` for the bench: `secondMonthEnd + keepDays` days, less than a day before `end`. */
  readonly clock: Date;
}

/**
 * The bench's history for a run starting at `end`: {@link HISTORY_MONTHS} whole months before the
 * current one, plus the current month so far.
 *
 * @example
 * ```ts
 * scaleHistory(new Date('2026-12-04T09:00:00Z')).start; // 2024-12-01T00:00:00.000Z
 * ```
 */
export function scaleHistory(end: Date): ScaleHistory {
  const month = (offset: number): Date => new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + offset, 1));
  const start = month(-HISTORY_MONTHS);
  const secondMonthEnd = month(-HISTORY_MONTHS + 2);
  const keepDays = Math.floor((end.getTime() - secondMonthEnd.getTime()) / DAY_MS);
  return {
    start,
    end,
    firstMonthEnd: month(-HISTORY_MONTHS + 1),
    secondMonthEnd,
    keepDays,
    clock: new Date(secondMonthEnd.getTime() + keepDays * DAY_MS),
  };
}

/**
 * The first instant of every UTC month from `from`'s month up to and including `to`'s month.
 *
 * @example
 * ```ts
 * monthStarts(new Date('2026-11-15Z'), new Date('2026-12-04Z')); // [2026-11-01, 2026-12-01]
 * ```
 */
export function monthStarts(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  for (let month = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1); month <= to.getTime();) {
    const date = new Date(month);
    months.push(date);
    month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return months;
}
