import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { ArchiveFile } from '../archive/archive-file.js';
import { writeArchive } from '../archive/write-archive.js';
import { ConfigurationError } from '../errors.js';
import { describeTimelineTable, type TimelineTable } from '../transfer/timeline-table.js';
import { listPartitions, type PartitionInfo } from './list-partitions.js';
import { isLockNotAvailable, lockPartitionMaintenance, MAINTAIN_LOCK_TIMEOUT } from './partition-lock.js';
import type { QualifiedTable } from './partitioned-table.js';
import type { PruneOptions, PrunePlan, PruneSetup } from './prune-options.js';

/** Where a dropped partition is archived: the folder, and the table as the archive writer needs it. */
interface PartitionArchive {
  readonly folder: string;
  readonly table: TimelineTable;
}

/** What dropping one partition removed. */
interface Dropped {
  readonly rows: number;
  readonly file: ArchiveFile | null;
}

/**
 * Drops the partitions of `parent` that hold only logs prune removes: the range partitions whose
 * (excluded) upper bound is at or before the cut-off (every log in them has `timestamp <
 * to <= cutoff`), or every range partition when the plan has no cut-off (`all`); the DEFAULT
 * partition never. Oldest first, each partition is counted (or, with `archiveDir`, written to
 * one archive file) while no writer can add to it, detached, then dropped; `onArchive` gets each
 * file and `onBatch` the running total after each partition. Returns how many logs they held.
 *
 * With a DEFAULT partition (PostgreSQL then refuses `DETACH ... CONCURRENTLY`), one short
 * transaction per partition: the maintenance lock (see `lockPartitionMaintenance`), `LOCK TABLE
 * partition IN SHARE MODE` (its writers wait, readers go on) while it is counted or archived,
 * then a plain `DETACH PARTITION` (`ACCESS EXCLUSIVE` on the parent, the partition and the
 * DEFAULT partition, until the commit right after it); `DROP TABLE` follows outside the parent's
 * lock. Without one, `DETACH PARTITION ... CONCURRENTLY` first, then one transaction counts (or
 * archives) and drops the detached table; a failure there attaches it back.
 *
 * @throws ArchiveError when a partition's file cannot be written (that partition stays; earlier ones stay dropped).
 * @throws ConfigurationError when a lock is not granted within {@link MAINTAIN_LOCK_TIMEOUT}.
 * @example
 * ```ts
 * const dropped = await dropOldPartitions(runtime, parent, planPrune(now, { keepDays: 90 }), { keepDays: 90 });
 * ```
 */
export async function dropOldPartitions(
  setup: PruneSetup,
  parent: QualifiedTable,
  plan: PrunePlan,
  options: PruneOptions,
): Promise<number> {
  const { sequelize } = setup;
  const partitions = await listPartitions(sequelize, parent.name);
  const doomed = partitions.filter((partition) => whollyPruned(partition, plan.cutoff));
  if (doomed.length === 0) return 0;
  const archive: PartitionArchive | null =
    options.archiveDir === undefined
      ? null
      : {
          folder: options.archiveDir,
          table: await describeTimelineTable(sequelize, setup.options.tableName, setup.options.userModel, { useMaster: true }),
        };
  const hasDefault = partitions.some((partition) => partition.isDefault);
  let total = 0;
  for (const partition of doomed) {
    const table = `${quote(sequelize, parent.schema)}.${quote(sequelize, partition.name)}`;
    try {
      const dropped = hasDefault
        ? await detachThenDrop(sequelize, parent, table, archive)
        : await detachConcurrentlyThenDrop(sequelize, parent, table, archive);
      if (dropped.file !== null) options.onArchive?.(dropped.file);
      total += dropped.rows;
      options.onBatch?.(total);
    } catch (error) {
      if (!isLockNotAvailable(error)) throw error;
      throw new ConfigurationError(
        `prune gave up after waiting ${MAINTAIN_LOCK_TIMEOUT} for a lock to detach ${partition.name} from ${parent.name} (a long transaction holds it); that partition and the logs after it were kept, run it again later`,
        { cause: error },
      );
    }
  }
  return total;
}

/** Whether prune removes every log `partition` can hold. */
function whollyPruned(partition: PartitionInfo, cutoff: Date | null): boolean {
  if (partition.isDefault) return false;
  if (cutoff === null) return true;
  return partition.to !== null && partition.to.getTime() <= cutoff.getTime();
}

/** The DEFAULT-partition way: count or archive under a SHARE lock, plain DETACH, commit, then DROP. */
async function detachThenDrop(
  sequelize: Sequelize,
  parent: QualifiedTable,
  table: string,
  archive: PartitionArchive | null,
): Promise<Dropped> {
  const transaction = await sequelize.transaction();
  let dropped: Dropped;
  try {
    await lockPartitionMaintenance(sequelize, transaction, parent);
    if (!(await isPartitionOf(sequelize, parent, table, transaction))) {
      // Another prune dropped it while this one waited for the lock.
      await transaction.commit();
      return { rows: 0, file: null };
    }
    await sequelize.query(`LOCK TABLE ${table} IN SHARE MODE`, { transaction });
    dropped = await countOrArchive(sequelize, transaction, table, archive);
    await sequelize.query(`ALTER TABLE ${parent.sql} DETACH PARTITION ${table}`, { transaction });
    await transaction.commit();
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
  await sequelize.query(`DROP TABLE ${table}`);
  return dropped;
}

/** The no-DEFAULT way: DETACH CONCURRENTLY, then count or archive and DROP in one transaction; attached back on failure. */
async function detachConcurrentlyThenDrop(
  sequelize: Sequelize,
  parent: QualifiedTable,
  table: string,
  archive: PartitionArchive | null,
): Promise<Dropped> {
  const [bound] = await sequelize.query<{ bound: string }>(
    `SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE oid = $1::regclass`,
    {
      bind: [table],
      type: QueryTypes.SELECT,
      useMaster: true,
    },
  );
  // Outside any transaction (PostgreSQL runs it as two of its own).
  await sequelize.query(`ALTER TABLE ${parent.sql} DETACH PARTITION ${table} CONCURRENTLY`, { useMaster: true });
  const transaction = await sequelize.transaction();
  try {
    await sequelize.query(`SET LOCAL lock_timeout = '${MAINTAIN_LOCK_TIMEOUT}'`, { transaction });
    await sequelize.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`, { transaction });
    const dropped = await countOrArchive(sequelize, transaction, table, archive);
    await sequelize.query(`DROP TABLE ${table}`, { transaction });
    await transaction.commit();
    return dropped;
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    await sequelize.query(`ALTER TABLE ${parent.sql} ATTACH PARTITION ${table} ${bound?.bound ?? ''}`, { useMaster: true });
    throw error;
  }
}

/** The partition's rows: written to one archive file (its row count is theirs), or counted. */
async function countOrArchive(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  archive: PartitionArchive | null,
): Promise<Dropped> {
  if (archive !== null) {
    const file = await writeArchive(sequelize, transaction, { folder: archive.folder, table: archive.table, from: table });
    return { rows: file?.rows ?? 0, file };
  }
  const [row] = await sequelize.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${table}`, {
    type: QueryTypes.SELECT,
    transaction,
  });
  return { rows: Number(row?.rows ?? 0), file: null };
}

/** Whether `table` is (still) a partition of `parent`. */
async function isPartitionOf(sequelize: Sequelize, parent: QualifiedTable, table: string, transaction: Transaction): Promise<boolean> {
  const [row] = await sequelize.query<{ attached: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1) AND inhparent = $2::regclass) AS attached`,
    { bind: [table, parent.sql], type: QueryTypes.SELECT, transaction },
  );
  return row?.attached === true;
}

function quote(sequelize: Sequelize, name: string): string {
  return sequelize.getQueryInterface().quoteIdentifier(name);
}
