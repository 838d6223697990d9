/**
 * A stretch of `timestamp` one page query reads: `from` (included) to `to` (excluded), in
 * milliseconds since the epoch; null is unbounded on that side.
 */
export interface TimeWindow {
  readonly from: number | null;
  readonly to: number | null;
}

/** Where a page starts reading and which way, for {@link pageWindows}. */
export interface WindowPlan {
  /** `DESC` reads newest first (older pages), `ASC` oldest first (newer pages). */
  readonly direction: 'DESC' | 'ASC';
  /**
   * The instant the page starts from (the cursor's, or for the newest page now or the `until`
   * filter, for the oldest the `since` filter), truncated to the millisecond; null when the page
   * starts at the far end (`ASC` from the oldest log).
   */
  readonly start: number | null;
  /**
   * The far bound of the filter, truncated to the millisecond: `since` reading `DESC`, `until`
   * reading `ASC`; the windows stop once they reach it. Null when there is none.
   */
  readonly stop: number | null;
}

/** Windows before the last, unbounded one: the start's partition (open past the start), then the next partition, then the two after it. */
const BOUNDED_WINDOWS = 3;

/**
 * The windows one page reads in turn until it is full, along the partition bounds `edges`
 * (every partition's `from` and `to`, in milliseconds, ascending, without repeats): first the
 * stretch from `start` to the nearest partition bound past it (so a page inside one partition
 * plans and reads that partition only, and the DEFAULT partition not at all when partitions
 * cover the stretch), then the next partition, then the two after it, then everything left. The windows are
 * disjoint and together cover every timestamp on the reading side of `start`, so reading them in
 * order and concatenating is exactly one query over the whole table, whatever partitions exist:
 * stale `edges` cost speed, never rows. Reading `DESC`, the first window is unbounded above (it
 * also holds logs newer than `start`, e.g. the future ones on the newest page); reading `ASC`,
 * unbounded below.
 *
 * @example
 * ```ts
 * const day = 86_400_000;
 * pageWindows([0, 31 * day, 59 * day], { direction: 'DESC', start: 40 * day, stop: null });
 * // [{ from: 31 * day, to: null }, { from: 0, to: 31 * day }, { from: null, to: 0 }]
 * ```
 */
export function pageWindows(edges: readonly number[], plan: WindowPlan): TimeWindow[] {
  return plan.direction === 'DESC' ? olderWindows(edges, plan) : newerWindows(edges, plan);
}

function olderWindows(edges: readonly number[], { start, stop }: WindowPlan): TimeWindow[] {
  let index = start === null ? edges.length - 1 : lastIndexAtOrBefore(edges, start);
  const windows: TimeWindow[] = [];
  let to: number | null = null;
  for (let span = 1; windows.length < BOUNDED_WINDOWS && index >= 0; span *= 2) {
    const from = edges[index] as number;
    windows.push({ from, to });
    if (stop !== null && from <= stop) return windows;
    to = from;
    index -= span;
  }
  windows.push({ from: null, to });
  return windows;
}

function newerWindows(edges: readonly number[], { start, stop }: WindowPlan): TimeWindow[] {
  let index = start === null ? 0 : lastIndexAtOrBefore(edges, start) + 1;
  const windows: TimeWindow[] = [];
  let from: number | null = null;
  for (let span = 1; windows.length < BOUNDED_WINDOWS && index < edges.length; span *= 2) {
    const to = edges[index] as number;
    windows.push({ from, to });
    if (stop !== null && to > stop) return windows;
    from = to;
    index += span;
  }
  windows.push({ from, to: null });
  return windows;
}

/** The index of the last edge at or before `instant`, or -1. */
function lastIndexAtOrBefore(edges: readonly number[], instant: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((edges[middle] as number) <= instant) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
