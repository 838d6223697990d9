import type { Sequelize, Transaction } from 'sequelize';
import { clsTransaction } from '../db/cls-transaction.js';
import type { AnyModelStatic } from '../options.js';

/**
 * The statics that get their own transaction when called without one: the bulk `update`,
 * `destroy` and `restore`, whose rows the before hook locks, `upsert`, whose existing row
 * the before hook locks to compare it with the new one, and `bulkCreate` with
 * `updateOnDuplicate` (only then), likewise.
 */
export type BulkMethod = 'update' | 'destroy' | 'restore' | 'upsert' | 'bulkCreate';

/** Where each method takes its options: `update(values, options)`, `destroy(options)`, ... */
const OPTIONS_INDEX: Readonly<Record<BulkMethod, number>> = { update: 1, destroy: 0, restore: 0, upsert: 1, bulkCreate: 1 };
/** Methods whose before hook reads rows only for some calls: the others run as they are. */
const READS_ROWS: Readonly<Partial<Record<BulkMethod, (options: BulkCallOptions) => boolean>>> = {
  bulkCreate: (options) => options.updateOnDuplicate !== undefined && options.individualHooks !== true,
};
const WRAPPED = Symbol('timeline-logger.bulkTransaction');

type BulkStatic = ((...args: unknown[]) => Promise<unknown>) & { [WRAPPED]?: true };
interface BulkCallOptions {
  transaction?: Transaction | null;
  hooks?: boolean;
  individualHooks?: boolean;
  updateOnDuplicate?: unknown;
}

/**
 * Makes `Model.update` / `Model.destroy` / `Model.restore` / `Model.upsert` (and
 * `Model.bulkCreate` with `updateOnDuplicate`) of a tracked model run in a transaction of their
 * own when the caller gives none (explicitly or through Sequelize's CLS): the library's before
 * hook then reads and locks the rows (`SELECT ... FOR UPDATE`), the statement changes exactly
 * those rows (an upsert: the row it read, or a new one), and their logs commit together with
 * the change (or neither does). Calls that already run in a transaction, calls with `hooks:
 * false` (which are not tracked) and a `bulkCreate` without `updateOnDuplicate` run as they are.
 * Installing again first removes the previous wrapper, so wrappers never stack.
 *
 * @example
 * ```ts
 * runBulkCallsInTransactions(Post, ['update', 'destroy']);
 * await Post.update({ body: 'x' }, { where: { draft: true } }); // BEGIN; SELECT ... FOR UPDATE; UPDATE ...; INSERT INTO timeline_logs ...; COMMIT
 * ```
 */
export function runBulkCallsInTransactions(model: AnyModelStatic, methods: readonly BulkMethod[]): void {
  removeBulkTransactions(model);
  const sequelize = model.sequelize as Sequelize;
  for (const method of methods) {
    const original = (model as unknown as Record<BulkMethod, BulkStatic>)[method];
    const index = OPTIONS_INDEX[method];
    const readsRows = READS_ROWS[method];
    const wrapped: BulkStatic = function runInTransaction(this: unknown, ...args: unknown[]): Promise<unknown> {
      const options = args[index] as BulkCallOptions | undefined;
      if (readsRows !== undefined && (options === undefined || !readsRows(options))) return original.apply(this, args);
      if (options?.hooks === false || (options?.transaction ?? clsTransaction(sequelize)) != null) return original.apply(this, args);
      return sequelize.transaction((transaction) => {
        const withTransaction = [...args];
        withTransaction[index] = { ...options, transaction };
        return original.apply(this, withTransaction);
      });
    };
    wrapped[WRAPPED] = true;
    Object.defineProperty(model, method, { configurable: true, writable: true, value: wrapped });
  }
}

/**
 * Removes what {@link runBulkCallsInTransactions} installed on `model` (nothing else).
 *
 * @example
 * ```ts
 * removeBulkTransactions(Post);
 * ```
 */
export function removeBulkTransactions(model: AnyModelStatic): void {
  for (const method of Object.keys(OPTIONS_INDEX) as BulkMethod[]) {
    const own = Object.getOwnPropertyDescriptor(model, method)?.value as BulkStatic | undefined;
    if (own?.[WRAPPED] === true) delete (model as unknown as Partial<Record<BulkMethod, BulkStatic>>)[method];
  }
}
