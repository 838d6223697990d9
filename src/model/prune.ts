import { checkArchiveFolder } from '../archive/archive-folder.js';
import { dropOldPartitions } from './drop-partitions.js';
import { maintainPartitions } from './maintain-partitions.js';
import { partitionedParent } from './partitioned-parent.js';
import { countPruned, pruneInBatches } from './prune-batches.js';
import { planPrune, type PruneOptions, type PrunePlan, type PruneSetup } from './prune-options.js';
import { recordRetention } from '../seal/record-retention.js';

export { PRUNE_BATCH_SIZE, type PruneOptions, type PruneSetup } from './prune-options.js';

/**
 * Deletes old logs and returns exactly how many went; with `dryRun`, counts how many would go
 * and changes nothing. The one prune that `TimelineLog.prune` and the CLI both run.
 *
 * On a plain table, in batches of `batchSize` (see `pruneInBatches`). On a range-partitioned
 * table, `maintainPartitions()` runs first (when the `partitioning` option is set), so that logs
 * in the DEFAULT partition get partitions of their own; the partitions wholly before the
 * cut-off are then dropped (see `dropOldPartitions`) and only what is left (the partition the
 * cut-off falls in, old logs in the DEFAULT partition) is deleted in batches. `all: true` drops
 * every range partition, deletes the DEFAULT partition's logs, and runs `maintainPartitions()`
 * again so the current and next partitions exist. With `archiveDir`, each dropped partition is
 * one archive file and each batch another (see `pruneArchived`). When the timeline is sealed,
 * the cut-off is recorded in the seal chain before and after the deletes (see
 * `recordRetention`), so `verify()` counts what the prune removed as removed, not missing.
 *
 * @throws TypeError unless exactly one of `keepDays` (a non-negative integer) and `all: true` is given.
 * @throws ArchiveError when the archive folder cannot be used or a file cannot be written (that batch or partition is kept).
 * @throws ConfigurationError on a partitioned table when a lock is not granted within 5 seconds, or
 * when the seals were made with another `sealKey` (nothing is deleted).
 * @example
 * ```ts
 * await pruneTimelineLogs(runtime, { keepDays: 30 });
 * await pruneTimelineLogs(runtime, { all: true, dryRun: true }); // the count, nothing deleted
 * await pruneTimelineLogs(runtime, { keepDays: 365, archiveDir: '/var/backups/timeline' });
 * ```
 */
export async function pruneTimelineLogs(runtime: PruneSetup, options: PruneOptions): Promise<number> {
  const plan = planPrune(runtime.options.now(), options);
  if (options.archiveDir !== undefined) await checkArchiveFolder(options.archiveDir);
  if (options.dryRun === true) return countPruned(runtime, plan);
  const retention = await recordRetention(runtime, plan.cutoff);
  const deleted = await deleteOld(runtime, plan, options);
  await retention.finish();
  return deleted;
}

/** Deletes (and drops) what `plan` removes: batches on a plain table, partitions and then batches on a partitioned one. */
async function deleteOld(runtime: PruneSetup, plan: PrunePlan, options: PruneOptions): Promise<number> {
  const parent = await partitionedParent(runtime.sequelize, runtime.options.tableName);
  if (parent === null) return pruneInBatches(runtime, plan, options);
  const maintained = runtime.options.partitioning !== null;
  if (maintained) await maintainPartitions(runtime);
  const dropped = await dropOldPartitions(runtime, parent, plan, options);
  const deleted = await pruneInBatches(runtime, plan, { ...options, onBatch: (done) => options.onBatch?.(dropped + done) });
  if (plan.cutoff === null && maintained) await maintainPartitions(runtime);
  return dropped + deleted;
}
