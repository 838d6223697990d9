import { writeArchive } from '../archive/write-archive.js';
import { isoFromDate } from './canonical-timestamp.js';
import { quoteIdentifier } from '../transfer/sql-identifier.js';
import { sqlLiteral } from '../transfer/sql-literal.js';
import { singleColumnOfKind } from '../transfer/timeline-log-columns.js';
import { describeTimelineTable } from '../transfer/timeline-table.js';
import type { PruneOptions, PrunePlan, PruneSetup } from './prune-options.js';

const ID = quoteIdentifier(singleColumnOfKind('id').field);
const TIMESTAMP = quoteIdentifier(singleColumnOfKind('timestamp').field);

/**
 * The archiving prune: batch after batch, in one transaction each, one statement locks the
 * batch's rows (the `batchSize` lowest ids from the last batch's last id on, `FOR UPDATE`),
 * deletes them (matched by id and timestamp: the primary key of a partitioned table too) and
 * streams what it deleted through `COPY (WITH ... DELETE ... RETURNING ...) TO STDOUT` into an
 * archive file (see `writeArchive`); the delete commits only once the file is on disk under its
 * final name. A failure rolls that batch back (its rows stay; earlier batches stay archived and
 * deleted) and is thrown. Returns how many logs were deleted.
 *
 * @throws ArchiveError when a file cannot be written; the database's error when a statement fails.
 * @example
 * ```ts
 * await pruneArchived(runtime, planPrune(now, options), { ...options, archiveDir: 'archive' });
 * ```
 */
export async function pruneArchived(runtime: PruneSetup, plan: PrunePlan, options: PruneOptions & { archiveDir: string }): Promise<number> {
  const { sequelize, options: setup } = runtime;
  const table = await describeTimelineTable(sequelize, setup.tableName, setup.userModel, { useMaster: true });
  let total = 0;
  let after: string | null = null;
  for (;;) {
    // `>=` the last batch's last id: its rows are gone, but on a partitioned table (primary key
    // (id, timestamp)) another row may have that id and not have fitted in the batch.
    const conditions = [
      ...(plan.cutoff === null ? [] : [`${TIMESTAMP} <= ${sqlLiteral(isoFromDate(plan.cutoff))}::timestamptz`]),
      ...(after === null ? [] : [`${ID} >= ${sqlLiteral(after)}`]),
    ];
    const doomed = `SELECT ${ID}, ${TIMESTAMP} FROM ${table.sql}${conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`}
      ORDER BY ${ID} LIMIT ${plan.batchSize} FOR UPDATE`;
    const transaction = await sequelize.transaction();
    try {
      const file = await writeArchive(sequelize, transaction, {
        folder: options.archiveDir,
        table,
        with: `doomed AS (${doomed}), gone AS (DELETE FROM ${table.sql} AS d USING doomed WHERE d.${ID} = doomed.${ID} AND d.${TIMESTAMP} = doomed.${TIMESTAMP} RETURNING d.*)`,
        from: 'gone',
      });
      await transaction.commit();
      if (file === null) return total;
      total += file.rows;
      options.onArchive?.(file);
      options.onBatch?.(total);
      if (file.rows < plan.batchSize) return total;
      after = file.lastId;
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
  }
}
