import type { Transaction } from 'sequelize';
import type { TimelineLogCreationAttributes } from '../model/timeline-attributes.js';
import type { TimelineRuntime } from '../model/timeline-log.js';
import { insertLogRows, type InsertLogRowsOptions } from './insert-log-rows.js';

const PENDING = Symbol('timeline-logger.pendingLogs');

interface PendingLogs {
  readonly runtime: TimelineRuntime;
  readonly rows: TimelineLogCreationAttributes[];
  readonly logging: InsertLogRowsOptions['logging'];
}

type BufferedTransaction = Transaction & {
  [PENDING]?: PendingLogs;
  readonly parent?: Transaction;
};

/**
 * Queues `rows` to be written inside `transaction` with one multi-row INSERT just before it
 * commits, so a transaction pays one extra round trip for all its logs instead of one per
 * change. A rollback simply drops them. A savepoint (a nested transaction) hands its rows to
 * its parent when it is released. If the INSERT fails, the transaction is rolled back and the
 * commit rejects with the error: the changes and their logs are never committed apart. Each row
 * was built when its change happened, with that moment's user and correlation id, so a commit
 * made from another async context writes them as they were.
 *
 * @example
 * ```ts
 * queueLogRows(runtime, transaction, rows, options.logging);
 * await transaction.commit(); // INSERT INTO timeline_logs ... ; COMMIT
 * ```
 */
export function queueLogRows(
  runtime: TimelineRuntime,
  transaction: Transaction,
  rows: readonly TimelineLogCreationAttributes[],
  logging?: InsertLogRowsOptions['logging'],
): void {
  if (rows.length === 0) return;
  const buffered = transaction as BufferedTransaction;
  const pending = buffered[PENDING] ?? startBuffer(runtime, buffered, logging);
  pending.rows.push(...rows);
}

function startBuffer(runtime: TimelineRuntime, transaction: BufferedTransaction, logging: InsertLogRowsOptions['logging']): PendingLogs {
  const pending: PendingLogs = { runtime, rows: [], logging };
  transaction[PENDING] = pending;
  const commit = transaction.commit.bind(transaction);
  // Sequelize has no beforeCommit hook; both managed and unmanaged transactions end in commit().
  transaction.commit = async function commitWithTimelineLogs(): Promise<void> {
    delete transaction[PENDING];
    transaction.commit = commit; // a second commit() is Sequelize's own error, with nothing written twice
    const rows = pending.rows.splice(0);
    try {
      if (transaction.parent) queueLogRows(runtime, transaction.parent, rows, pending.logging);
      else await insertLogRows(runtime, rows, { transaction, logging: pending.logging });
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
    return commit();
  };
  return pending;
}
