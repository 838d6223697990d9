import { Op, QueryTypes } from 'sequelize';
import { pruneArchived } from './prune-archived.js';
import type { PruneOptions, PrunePlan, PruneSetup } from './prune-options.js';

/**
 * Deletes the logs the plan removes in batches of `batchSize` (each its own short statement, so
 * a prune of millions of rows never holds one long lock) and returns how many went; with
 * `archiveDir`, through `pruneArchived` (one archive file per batch). On a partitioned table
 * the cut-off in every statement keeps it to the partitions that can hold such logs.
 *
 * @throws ArchiveError when an archive file cannot be written (that batch is not deleted).
 * @example
 * ```ts
 * await pruneInBatches(runtime, planPrune(now, { keepDays: 30 }), { keepDays: 30 });
 * ```
 */
export async function pruneInBatches(runtime: PruneSetup, plan: PrunePlan, options: PruneOptions): Promise<number> {
  if (options.archiveDir !== undefined) return pruneArchived(runtime, plan, { ...options, archiveDir: options.archiveDir });
  const { model, sequelize } = runtime;
  const table = sequelize.getQueryInterface().quoteIdentifier(model.getTableName() as string);
  const condition = plan.cutoff === null ? '' : 'WHERE "timestamp" <= $cutoff';
  // One batch's ids as an array, matched by the id index of each (partition's) primary key: a
  // stable plan, where an IN (subquery) join could scan the whole table per batch. The cutoff
  // is repeated so that a partitioned table only visits the partitions it can hold.
  const sql = `DELETE FROM ${table} WHERE "id" = ANY(ARRAY(SELECT "id" FROM ${table} ${condition} LIMIT ${plan.batchSize}))${
    plan.cutoff === null ? '' : ' AND "timestamp" <= $cutoff'
  }`;
  let total = 0;
  for (;;) {
    const affected = await sequelize.query(sql, {
      type: QueryTypes.BULKDELETE,
      bind: plan.cutoff === null ? {} : { cutoff: plan.cutoff },
    });
    total += affected;
    options.onBatch?.(total);
    if (affected < plan.batchSize) return total;
  }
}

/**
 * How many logs the plan removes (a dry run).
 *
 * @example
 * ```ts
 * await countPruned(runtime, planPrune(now, { keepDays: 30 }));
 * ```
 */
export function countPruned(runtime: PruneSetup, plan: PrunePlan): Promise<number> {
  return plan.cutoff === null ? runtime.model.count() : runtime.model.count({ where: { timestamp: { [Op.lte]: plan.cutoff } } });
}
