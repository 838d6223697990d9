import type { ConversionLock, ConversionPlan } from '../model/conversion-plan.js';
import type { ConversionStep } from '../model/convert-to-partitioned.js';
import type { MaintainPartitionsResult } from '../model/maintain-partitions.js';
import { boundText } from '../model/partition-range.js';
import { pluralMsgid } from '../render/translate.js';
import type { CliContext } from './cli-context.js';

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

/**
 * The plan of a conversion as `timeline-logger partition` prints it: the rows and their span, each
 * partition with its range, the locks in order, and that writes wait. One string, lines ending in `\n`.
 *
 * @example
 * ```ts
 * io.stdout.write(describePlan(plan, t));
 * // The table timeline_logs is not partitioned. It holds 3 logs, from 2026-01-04T10:00:00.000Z to 2026-03-01T08:00:00.000Z.
 * // ...
 * ```
 */
export function describePlan(plan: ConversionPlan, t: Translate): string {
  const lines = [
    plan.minTimestamp === null || plan.maxTimestamp === null
      ? t('The table {table} is not partitioned. It holds no logs.', { table: plan.table })
      : t(
          pluralMsgid(
            plan.rows,
            'The table {table} is not partitioned. It holds {count} log, at {from}.',
            'The table {table} is not partitioned. It holds {count} logs, from {from} to {to}.',
          ),
          {
            table: plan.table,
            count: plan.rows,
            from: plan.minTimestamp.toISOString(),
            to: plan.maxTimestamp.toISOString(),
          },
        ),
    t('It will be converted to a table partitioned by {interval}, with these {count} partitions:', {
      interval: t(plan.interval),
      count: plan.partitions.length,
    }),
    ...plan.partitions.map(
      (partition) =>
        `  ${partition.name}  ${
          partition.from === null || partition.to === null
            ? t('every other timestamp')
            : t('{from} to {to}', { from: boundText(partition.from).slice(0, -12), to: boundText(partition.to).slice(0, -12) })
        }`,
    ),
  ];
  if (plan.rowsInDefault > 0) {
    lines.push(
      t(
        pluralMsgid(
          plan.rowsInDefault,
          '{count} log is dated before year 1 or after year 9999: it goes to the DEFAULT partition.',
          '{count} logs are dated before year 1 or after year 9999: they go to the DEFAULT partition.',
        ),
        {
          count: plan.rowsInDefault,
        },
      ),
    );
  }
  lines.push(t('Locks, in order:'), ...plan.locks.map((lock) => `  ${describeLock(lock, t)}`));
  lines.push(t('Writes to {table} wait until the conversion is done; reads go on. Every log and id is kept.', { table: plan.table }));
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * What a finished conversion printed: the logs, partitions, time taken and how long the lock was held.
 *
 * @example
 * ```ts
 * describeConversion(plan, { lockHeldMs: 1200, durationMs: 1500 }, t);
 * // 'Converted timeline_logs: 3 logs in 6 partitions, in 1.5 s. Writes waited for the lock for at most 1.2 s.\n'
 * ```
 */
export function describeConversion(plan: ConversionPlan, timing: { lockHeldMs: number; durationMs: number }, t: Translate): string {
  return `${t(
    pluralMsgid(
      plan.rows,
      'Converted {table}: {count} log in {partitions} partitions, in {seconds} s. Writes waited for the lock for at most {lock} s.',
      'Converted {table}: {count} logs in {partitions} partitions, in {seconds} s. Writes waited for the lock for at most {lock} s.',
    ),
    {
      table: plan.table,
      count: plan.rows,
      partitions: plan.partitions.length,
      seconds: (timing.durationMs / 1000).toFixed(1),
      lock: (timing.lockHeldMs / 1000).toFixed(1),
    },
  )}\n`;
}

/**
 * What maintaining an already partitioned table did.
 *
 * @example
 * ```ts
 * describeMaintenance('timeline_logs', { created: ['timeline_logs_p2027_04'], moved: 0 }, t);
 * ```
 */
export function describeMaintenance(table: string, result: MaintainPartitionsResult, t: Translate): string {
  const lines = [
    result.created.length === 0
      ? t('The table {table} is already partitioned; its partitions are up to date.', { table })
      : t('The table {table} is already partitioned. Made partitions: {names}.', { table, names: result.created.join(', ') }),
  ];
  if (result.moved > 0) {
    lines.push(
      t(pluralMsgid(result.moved, 'Moved {count} log out of the DEFAULT partition.', 'Moved {count} logs out of the DEFAULT partition.'), {
        count: result.moved,
      }),
    );
  }
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * A step's progress line (stderr), by what the conversion is about to do.
 *
 * @example
 * ```ts
 * describeStep('copy', t); // 'Making the partitions and copying the logs...'
 * ```
 */
export function describeStep(step: ConversionStep, t: Translate): string {
  switch (step) {
    case 'copy':
      return t('Making the partitions and copying the logs...');
    case 'index':
      return t('Building the keys and indexes...');
    case 'swap':
      return t('Swapping the tables...');
    case 'analyze':
      return t('Gathering statistics for the query planner (ANALYZE)...');
  }
}

function describeLock(lock: ConversionLock, t: Translate): string {
  switch (lock.during) {
    case 'copy':
      return t('{table}: EXCLUSIVE, from the start to the end (reads go on, writes wait)', { table: lock.table });
    case 'foreign-key':
      return t('{table}: SHARE ROW EXCLUSIVE, while the foreign key to it is checked (writes to it wait)', { table: lock.table });
    case 'swap':
      return t('{table}: ACCESS EXCLUSIVE, for the swap at the end (reads wait too, briefly)', { table: lock.table });
  }
}
