import { QueryTypes, type Sequelize } from 'sequelize';
import { TimelineLog } from '../../src/index.js';
import type { ScaleHistory } from './history.js';

/** One removal of a month of logs: how long it took and how many logs went. */
export interface Removal {
  readonly ms: number;
  readonly rows: number;
}

/** The raw `DELETE` of the oldest month (the baseline) and the library's prune of the next one. */
export interface RetentionFigures {
  readonly rawDelete: Removal;
  readonly prune: Removal;
}

/**
 * Removes the two oldest months of `history`: the oldest by one raw
 * `DELETE FROM table WHERE timestamp < <end of month 1>` (what an app without the library's prune
 * would run), then the next by `TimelineLog.prune({ keepDays })`, whose cutoff the bench's clock
 * puts at the end of month 2. The months hold about the same number of logs (the history is
 * even), so the two figures compare; on a partitioned table prune drops month 2's partition
 * (month 1's, emptied by the DELETE, goes with it). The table is vacuumed between the two
 * (untimed), as autovacuum would have done between two monthly prunes. Each count is checked against the month's
 * rows counted before.
 *
 * @throws Error when a removal removed another number of logs than its month held.
 * @example
 * ```ts
 * const retention = await measureRetention(sequelize, 'timeline_logs', history);
 * console.log(retention.rawDelete.ms / retention.prune.ms);
 * ```
 */
export async function measureRetention(sequelize: Sequelize, table: string, history: ScaleHistory): Promise<RetentionFigures> {
  const firstMonth = await countBefore(sequelize, table, history.firstMonthEnd, '<');
  const bothMonths = await countBefore(sequelize, table, history.secondMonthEnd, '<=');

  let started = performance.now();
  const deleted = await sequelize.query(`DELETE FROM "${table}" WHERE "timestamp" < $cutoff`, {
    type: QueryTypes.BULKDELETE,
    bind: { cutoff: history.firstMonthEnd.toISOString() },
  });
  const rawDelete = { ms: performance.now() - started, rows: deleted };
  // Untimed: clear the DELETE's dead rows, as autovacuum would have, so prune's index scan does not wade through them.
  await sequelize.query(`VACUUM "${table}"`);

  started = performance.now();
  const pruned = await TimelineLog.prune({ keepDays: history.keepDays });
  const prune = { ms: performance.now() - started, rows: pruned };

  if (rawDelete.rows !== firstMonth || prune.rows !== bothMonths - firstMonth) {
    throw new Error(
      `removed ${rawDelete.rows} + ${prune.rows} logs; the two oldest months held ${firstMonth} + ${bothMonths - firstMonth}`,
    );
  }
  return { rawDelete, prune };
}

async function countBefore(sequelize: Sequelize, table: string, cutoff: Date, operator: '<' | '<='): Promise<number> {
  const rows = await sequelize.query<{ count: string }>(`SELECT count(*) AS count FROM "${table}" WHERE "timestamp" ${operator} $cutoff`, {
    type: QueryTypes.SELECT,
    bind: { cutoff: cutoff.toISOString() },
  });
  return Number(rows[0]?.count ?? 0);
}
