import { QueryTypes, type Sequelize } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import { createPartitionedCopy, qualifiedTable, swapToPartitioned } from './partitioned-table.js';

/** What {@link ensurePartitionedTable} found: it converted an empty plain table, or the table was partitioned already. */
export type EnsurePartitionedOutcome = 'converted' | 'already-partitioned';

/**
 * Makes the timeline table range-partitioned when it is a plain table with no rows (as the
 * migrations create it): in one transaction that locks it, it is swapped for its partitioned copy
 * ({@link createPartitionedCopy}, {@link swapToPartitioned}). A partitioned table is left as it is.
 * A plain table holding logs is not converted here (that copies every row and takes time):
 * `timeline-logger partition` (`TimelineLog.convertToPartitioned()`) does it.
 *
 * @throws ConfigurationError when the table is plain and holds logs, or does not exist.
 * @example
 * ```ts
 * await ensurePartitionedTable(sequelize, 'timeline_logs'); // 'converted'
 * ```
 */
export async function ensurePartitionedTable(sequelize: Sequelize, tableName: string): Promise<EnsurePartitionedOutcome> {
  return sequelize.transaction(async (transaction) => {
    const source = await qualifiedTable(sequelize, tableName, transaction);
    if (source === null) throw new ConfigurationError(`The table ${tableName} does not exist: run the migrations first.`);
    const [kind] = await sequelize.query<{ kind: string }>(`SELECT relkind AS kind FROM pg_class WHERE oid = $1::regclass`, {
      bind: [source.sql],
      type: QueryTypes.SELECT,
      transaction,
    });
    if (kind?.kind === 'p') return 'already-partitioned';
    await sequelize.query(`LOCK TABLE ${source.sql} IN ACCESS EXCLUSIVE MODE`, { transaction });
    const [state] = await sequelize.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${source.sql}) AS empty`, {
      type: QueryTypes.SELECT,
      transaction,
    });
    if (state?.empty !== true) {
      throw new ConfigurationError(
        `The table ${tableName} holds logs and is not partitioned, but the partitioning option is set: run timeline-logger partition to convert it (timeline-logger --config <file> partition --dry-run prints the plan first; every log and id is kept; writes wait while it runs), or call TimelineLog.convertToPartitioned(), or remove the option.`,
      );
    }
    await swapToPartitioned(sequelize, await createPartitionedCopy(sequelize, source, { transaction }), transaction);
    return 'converted';
  });
}
