import { Op, QueryTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { describeValue } from '../errors.js';
import type { ResolvedTimelineOptions } from '../options.js';

/**
 * What `TimelineLog.prune` deletes (logs older than `keepDays` days, or all of them) and how.
 *
 * @example
 * ```ts
 * const options: PruneOptions = { keepDays: 90, onBatch: (done) => bar.update(done) };
 * ```
 */
export type PruneOptions = ({ keepDays: number; all?: never } | { all: true; keepDays?: never }) & {
  /** Count what would be deleted, deleting nothing. Defaults to `false`. */
  dryRun?: boolean;
  /** Called after each deleted batch with the number of logs deleted so far (e.g. for a progress bar). Defaults to none. */
  onBatch?: (deletedSoFar: number) => void;
};

/** What pruning needs of the setup (a `TimelineRuntime` is one). */
export interface PruneSetup {
  readonly model: ModelStatic<Model>;
  readonly sequelize: Sequelize;
  readonly options: Pick<ResolvedTimelineOptions, 'now'>;
}

/** Rows deleted per statement: small enough that no statement holds its locks for long. */
export const PRUNE_BATCH_SIZE = 10_000;

const MS_PER_DAY = 86_400_000;

/**
 * Deletes old logs in batches of {@link PRUNE_BATCH_SIZE} (each its own short statement, so a
 * prune of millions of rows never holds one long lock) and returns how many went; with
 * `dryRun`, how many would go. The one prune that `TimelineLog.prune` and the CLI both run.
 *
 * @throws TypeError unless exactly one of `keepDays` (a non-negative integer) and `all: true` is given.
 * @example
 * ```ts
 * await pruneTimelineLogs(runtime, { keepDays: 30 });
 * await pruneTimelineLogs(runtime, { all: true, dryRun: true }); // the count, nothing deleted
 * ```
 */
export async function pruneTimelineLogs(runtime: PruneSetup, options: PruneOptions): Promise<number> {
  const cutoff = pruneCutoff(runtime.options.now(), options);
  const { model, sequelize } = runtime;
  if (options.dryRun === true) {
    return cutoff === null ? model.count() : model.count({ where: { timestamp: { [Op.lte]: cutoff } } });
  }
  const table = sequelize.getQueryInterface().quoteIdentifier(model.getTableName() as string);
  const condition = cutoff === null ? '' : 'WHERE "timestamp" <= $cutoff';
  // The batch's rows by (id, timestamp): the whole primary key of a partitioned table, whose
  // partitions then match them by their key's index and their timestamp range.
  const sql = `WITH doomed AS (SELECT "id", "timestamp" FROM ${table} ${condition} LIMIT ${PRUNE_BATCH_SIZE})
    DELETE FROM ${table} WHERE ("id", "timestamp") IN (SELECT "id", "timestamp" FROM doomed)`;
  let total = 0;
  for (;;) {
    const affected = await sequelize.query(sql, {
      type: QueryTypes.BULKDELETE,
      bind: cutoff === null ? {} : { cutoff },
    });
    total += affected;
    options.onBatch?.(total);
    if (affected < PRUNE_BATCH_SIZE) return total;
  }
}

/** The cut-off of a prune: logs with `timestamp <= cutoff` go; null means every log. */
function pruneCutoff(now: Date, options: PruneOptions): Date | null {
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
