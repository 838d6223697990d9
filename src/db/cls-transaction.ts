import type { Sequelize, Transaction } from 'sequelize';

/**
 * The transaction Sequelize's CLS (`Sequelize.useCLS(namespace)`) gives a call made without
 * one, as Sequelize's own model methods look it up; undefined without CLS or outside a managed
 * transaction.
 *
 * @example
 * ```ts
 * const transaction = options.transaction === undefined ? clsTransaction(sequelize) : options.transaction;
 * ```
 */
export function clsTransaction(sequelize: Sequelize): Transaction | undefined {
  const cls = (sequelize.constructor as { _cls?: { get(key: string): unknown } })._cls;
  return cls?.get('transaction') as Transaction | undefined;
}
