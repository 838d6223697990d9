import type { Transaction } from 'sequelize';

/** Query options that keep a statement on the primary (see {@link onPrimary}). */
export interface PrimaryQueryOptions {
  readonly transaction: Transaction | null;
  readonly useMaster: true;
}

/**
 * Query options for a statement that must see the primary under Sequelize's `replication`:
 * inside `transaction` when there is one (its connection is the primary's), else on a connection
 * of the write pool. Without `useMaster`, Sequelize sends a `SELECT` made outside a transaction
 * to a read replica, which may lag behind what was just written and refuses `nextval()` or
 * `setval()`. Without replication there is one pool, and `useMaster` changes nothing.
 *
 * @example
 * ```ts
 * await sequelize.query('SELECT setval($1, $2)', { bind: [sequence, 100], type: QueryTypes.SELECT, ...onPrimary(transaction) });
 * ```
 */
export function onPrimary(transaction: Transaction | null): PrimaryQueryOptions {
  return { transaction, useMaster: true };
}
