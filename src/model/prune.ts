import { Op, QueryTypes } from 'sequelize';
import { checkArchiveFolder } from '../archive/archive-folder.js';
import { pruneArchived } from './prune-archived.js';
import { planPrune, type PruneOptions, type PruneSetup } from './prune-options.js';

export { PRUNE_BATCH_SIZE, type PruneOptions, type PruneSetup } from './prune-options.js';

/**
 * Deletes old logs in batches of `batchSize` (each its own short statement, so a prune of
 * millions of rows never holds one long lock) and returns how many went; with `dryRun`, how
 * many would go. With `archiveDir`, each batch is first written to an archive file and deleted
 * in the same transaction (see `pruneArchived`). The one prune that `TimelineLog.prune` and
 * the CLI both run.
 *
 * @throws TypeError unless exactly one of `keepDays` (a non-negative integer) and `all: true` is given.
 * @throws ArchiveError when the archive folder cannot be used or a file cannot be written (that batch is not deleted).
 * @example
 * ```ts
 * await pruneTimelineLogs(runtime, { keepDays: 30 });
 * await pruneTimelineLogs(runtime, { all: true, dryRun: true }); // the count, nothing deleted
 * await pruneTimelineLogs(runtime, { keepDays: 365, archiveDir: '/var/backups/timeline' });
 * ```
 */
export async function pruneTimelineLogs(runtime: PruneSetup, options: PruneOptions): Promise<number> {
  const plan = planPrune(runtime.options.now(), options);
  const { model, sequelize } = runtime;
  if (options.archiveDir !== undefined) await checkArchiveFolder(options.archiveDir);
  if (options.dryRun === true) {
    return plan.cutoff === null ? model.count() : model.count({ where: { timestamp: { [Op.lte]: plan.cutoff } } });
  }
  if (options.archiveDir !== undefined) return pruneArchived(runtime, plan, { ...options, archiveDir: options.archiveDir });
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
