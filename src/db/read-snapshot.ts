import { Transaction, type Sequelize } from 'sequelize';
import { clsTransaction } from './cls-transaction.js';

/**
 * Begins a read-only REPEATABLE READ transaction: one consistent snapshot for a read of many
 * statements (exports), on a connection of its own. Commit it when done.
 *
 * Where it reads follows the rule for every read under Sequelize's `replication`: called outside
 * a transaction, on a read replica (Sequelize takes a read-only transaction's connection from
 * the read pool); called inside one (Sequelize's CLS transaction, `Sequelize.useCLS`), on the
 * primary, as a read-write transaction made read-only with `SET TRANSACTION READ ONLY`. It is a
 * transaction of its own either way (a snapshot needs its isolation level from its start), so
 * it sees what the primary has committed, not the caller's uncommitted changes. Without
 * replication there is one pool, and both ways read the one server.
 *
 * @example
 * ```ts
 * const transaction = await beginReadSnapshot(sequelize);
 * try {
 *   await sequelize.query('SELECT ...', { transaction });
 * } finally {
 *   await transaction.commit();
 * }
 * ```
 */
export async function beginReadSnapshot(sequelize: Sequelize): Promise<Transaction> {
  const insideTransaction = clsTransaction(sequelize) !== undefined;
  const transaction = await sequelize.transaction({
    isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ,
    readOnly: !insideTransaction,
  });
  if (!insideTransaction) return transaction;
  try {
    await sequelize.query('SET TRANSACTION READ ONLY', { transaction });
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
  return transaction;
}
