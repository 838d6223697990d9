import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { QualifiedTable } from './partitioned-table.js';

/** How long maintenance and prune wait for a lock before giving up (they never queue writers behind a long reader for longer). */
export const MAINTAIN_LOCK_TIMEOUT = '5s';

/** PostgreSQL's `lock_not_available`. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Sets the transaction's `lock_timeout` to {@link MAINTAIN_LOCK_TIMEOUT} and takes the
 * partitioned table's transaction-level advisory lock, which `maintainPartitions` and prune's
 * partition drops both take: they wait for each other, never run at once on one table. Both
 * locks end with the transaction.
 *
 * @throws the database's `lock_not_available` error (see {@link isLockNotAvailable}) when the advisory lock is not granted in time.
 * @example
 * ```ts
 * await sequelize.transaction(async (transaction) => {
 *   await lockPartitionMaintenance(sequelize, transaction, parent);
 *   // ... attach or detach partitions
 * });
 * ```
 */
export async function lockPartitionMaintenance(sequelize: Sequelize, transaction: Transaction, parent: QualifiedTable): Promise<void> {
  await sequelize.query(`SET LOCAL lock_timeout = '${MAINTAIN_LOCK_TIMEOUT}'`, { transaction });
  await sequelize.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('timeline-logger.maintainPartitions ' || $1::regclass::oid::text, 0))`,
    { bind: [parent.sql], type: QueryTypes.SELECT, transaction },
  );
}

/**
 * Whether `error` is PostgreSQL's "lock not available" (a `lock_timeout` ran out).
 *
 * @example
 * ```ts
 * if (isLockNotAvailable(error)) throw new ConfigurationError('... run it again later', { cause: error });
 * ```
 */
export function isLockNotAvailable(error: unknown): boolean {
  return (error as { parent?: { code?: string } } | null)?.parent?.code === LOCK_NOT_AVAILABLE;
}
