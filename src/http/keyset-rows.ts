import { selectsPlainly } from '../model/plain-select.js';
import type { TimelineLog } from '../model/timeline-log.js';
import { findRows, type RowsQuery } from './page-rows.js';
import { pageWindows, type WindowPlan } from './time-windows.js';

/**
 * The rows of a keyset page (`newest`, `before`, `after`, `oldest`): one query on a plain table.
 * On a partitioned table (the setup's `partitioning`) the page reads one stretch of time after
 * another along the partitions' bounds ({@link pageWindows}) until it has `limit` rows: usually
 * the first stretch, the cursor's partition, fills it, and PostgreSQL plans and opens that one
 * partition instead of all of them (planning a query over every partition costs more than
 * reading the page). A page that crosses into older (or newer) partitions sends one more query
 * per stretch, at most four in all. The stretches are disjoint and cover the whole table, so the
 * rows and their order are exactly one query's.
 *
 * @example
 * ```ts
 * const rows = await findKeysetRows(TimelineLog, { criteria: {}, after: null, direction: 'DESC', limit: 26 });
 * ```
 */
export async function findKeysetRows(model: typeof TimelineLog, query: RowsQuery): Promise<TimelineLog[]> {
  const { partitionEdges, options } = model.runtime;
  if (partitionEdges === null || !selectsPlainly(model)) return findRows(model, query);
  const plan = windowPlan(query, () => options.now().getTime());
  if (plan === null) return findRows(model, query);
  const windows = pageWindows(await partitionEdges.current(), plan);
  const rows: TimelineLog[] = [];
  for (const window of windows) {
    rows.push(...(await findRows(model, { ...query, limit: query.limit - rows.length, window })));
    if (rows.length >= query.limit) break;
  }
  return rows;
}

/**
 * Where the page starts and stops in time, to the millisecond (truncated, so a window's bound
 * compares safely with the microsecond instant); null when an instant cannot be read as a `Date`.
 */
function windowPlan(query: RowsQuery, now: () => number): WindowPlan | null {
  const { criteria, after, direction } = query;
  const at = (text: string | undefined): number | undefined => (text === undefined ? undefined : Date.parse(text));
  const cursor = at(after?.timestamp);
  const since = at(criteria.since?.at);
  const until = at(criteria.until?.at);
  const plan: WindowPlan =
    direction === 'DESC'
      ? { direction, start: Math.min(cursor ?? until ?? now(), until ?? Infinity), stop: since ?? null }
      : {
          direction,
          start: cursor === undefined && since === undefined ? null : Math.max(cursor ?? -Infinity, since ?? -Infinity),
          stop: until ?? null,
        };
  const instants = [plan.start, plan.stop].filter((value): value is number => value !== null);
  return instants.every(Number.isFinite) ? plan : null;
}
