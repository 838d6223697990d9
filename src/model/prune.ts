import { Op, QueryTypes, type ModelStatic, type Model } from 'sequelize';
import { describeValue } from '../errors.js';

/** What {@link pruneTimelineLogs} deletes: logs older than `keepDays` days, or all of them. */
export type PruneOptions = { keepDays: number; all?: never } | { all: true; keepDays?: never };

/** Callbacks of {@link pruneTimelineLogs}, e.g. to drive a progress bar. */
export interface PruneHooks {
  /** Called after each batch with the number of logs deleted so far. Defaults to none. */
  onBatch?: (deletedSoFar: number) => void;
}

/** Rows deleted per statement: small enough that no statement holds its locks for long. */
export const PRUNE_BATCH_SIZE = 10_000;

const MS_PER_DAY = 86_400_000;

/**
 * The cut-off of a prune: logs with `timestamp <= cutoff` go; null means every log.
 *
 * @throws TypeError unless exactly one of `keepDays` (a non-negative integer) and `all: true` is given.
 */
export function pruneCutoff(now: Date, options: PruneOptions): Date | null {
  const { keepDays, all } = (options ?? {}) as { keepDays?: unknown; all?: unknown };
  if ((keepDays === undefined) === (all === undefined)) {
    throw new TypeError('prune needs exactly one of { keepDays: N } or { all: true }');
  }
  if (all !== undefined) {
    if (all !== true) throw new TypeError(`all must be true (got ${describeValue(all)})`);
    return null;
  }
  if (typeof keepDays !== 'number' || !Number.isInteger(keepDays) || keepDays < 0) {
    throw new TypeError(`keepDays must be a non-negative integer (got ${describeValue(keepDays)})`);
  }
  return new Date(now.getTime() - keepDays * MS_PER_DAY);
}

/**
 * Deletes logs in batches of {@link PRUNE_BATCH_SIZE} and returns how many went. Each batch is
 * its own short statement, so a prune of millions of rows never holds one long lock.
 *
 * @example
 * ```ts
 * await pruneTimelineLogs(TimelineLog, new Date(), { keepDays: 30 });
 * await pruneTimelineLogs(TimelineLog, new Date(), { all: true }, { onBatch: (done) => bar.update(done) });
 * ```
 */
export async function pruneTimelineLogs(
  model: ModelStatic<Model>,
  now: Date,
  options: PruneOptions,
  hooks: PruneHooks = {},
): Promise<number> {
  const cutoff = pruneCutoff(now, options);
  const sequelize = model.sequelize;
  if (!sequelize) throw new TypeError(`${model.name} is not bound to a Sequelize instance`);
  const table = sequelize.getQueryInterface().quoteIdentifier(model.getTableName() as string);
  const condition = cutoff === null ? '' : 'WHERE "timestamp" <= $cutoff';
  const sql = `WITH doomed AS (SELECT id FROM ${table} ${condition} LIMIT ${PRUNE_BATCH_SIZE})
    DELETE FROM ${table} WHERE id IN (SELECT id FROM doomed)`;
  let total = 0;
  for (;;) {
    const affected = (await sequelize.query(sql, {
      type: QueryTypes.BULKDELETE,
      bind: cutoff === null ? {} : { cutoff },
    })) as unknown as number;
    total += affected;
    hooks.onBatch?.(total);
    if (affected < PRUNE_BATCH_SIZE) return total;
  }
}

/**
 * How many logs {@link pruneTimelineLogs} would delete with the same arguments, deleting
 * nothing (what `prune --dry-run` prints).
 *
 * @example
 * ```ts
 * await countPrunableTimelineLogs(TimelineLog, new Date(), { keepDays: 30 }); // 1234
 * ```
 */
export async function countPrunableTimelineLogs(model: ModelStatic<Model>, now: Date, options: PruneOptions): Promise<number> {
  const cutoff = pruneCutoff(now, options);
  if (cutoff === null) return model.count();
  return model.count({ where: { timestamp: { [Op.lte]: cutoff } } });
}
