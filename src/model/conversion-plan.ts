import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { ResolvedPartitioning } from '../partitioning-options.js';
import type { PartitionInfo } from './list-partitions.js';
import type { QualifiedTable } from './partitioned-table.js';
import { defaultPartitionName, partitionName, rangeContaining, rangesAhead, uniqueRanges } from './partition-range.js';

/** A lock the conversion takes, on which table, and while doing what. */
export interface ConversionLock {
  /** The table's name. */
  readonly table: string;
  /**
   * `EXCLUSIVE` (reads go on, writes wait), `SHARE ROW EXCLUSIVE` (the same, on a table a foreign
   * key points at, while PostgreSQL checks the key) or `ACCESS EXCLUSIVE` (reads wait too).
   */
  readonly mode: 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE';
  /** `copy`: from the start to the commit; `foreign-key`: while its key is checked; `swap`: the last statements before the commit. */
  readonly during: 'copy' | 'foreign-key' | 'swap';
}

/** What converting a plain timeline table to the partitioned layout will do (see `convertToPartitioned`). */
export interface ConversionPlan {
  /** The table, by the setup's `tableName`. */
  readonly table: string;
  /** The setup's `partitioning.interval`: the range of one partition. */
  readonly interval: ResolvedPartitioning['interval'];
  /** How many logs it holds (all are copied, ids kept). */
  readonly rows: number;
  /** The oldest log's timestamp; null when the table is empty. */
  readonly minTimestamp: Date | null;
  /** The newest log's timestamp; null when the table is empty. */
  readonly maxTimestamp: Date | null;
  /** Logs before year 1 or from year 10000 on: they go to the DEFAULT partition (partition names have 4-digit years). */
  readonly rowsInDefault: number;
  /**
   * The partitions it makes, oldest first and the DEFAULT one last, as `listPartitions` will read
   * them back: one per interval that holds logs (empty intervals between them get none; a log
   * written there later lands in the DEFAULT partition until `maintainPartitions` gives it one),
   * the current interval and `premake` ahead.
   */
  readonly partitions: readonly PartitionInfo[];
  /** The locks it takes, in order. */
  readonly locks: readonly ConversionLock[];
}

/** Year 1 and year 10000, UTC: the span of timestamps that get range partitions. */
const FIRST_BOUND = `'0001-01-01 00:00:00+00'::timestamptz`;
const LAST_BOUND = `'10000-01-01 00:00:00+00'::timestamptz`;

/**
 * Reads the plain table `source` and plans its conversion: its rows and their time span, the
 * partitions to make and the locks to take. Read-only. The intervals holding logs are found by a
 * loose scan of the timestamp index (one index probe per interval, not a pass over every row).
 *
 * @example
 * ```ts
 * const plan = await planConversion(sequelize, source, { interval: 'month', premake: 3 }, new Date(), transaction);
 * plan.partitions.map((partition) => partition.name); // ['timeline_logs_p1900_03', ..., 'timeline_logs_default']
 * ```
 */
export async function planConversion(
  sequelize: Sequelize,
  source: QualifiedTable,
  partitioning: ResolvedPartitioning,
  now: Date,
  transaction: Transaction,
): Promise<ConversionPlan> {
  const select = <T extends object>(sql: string, bind: unknown[] = []): Promise<T[]> =>
    sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
  const [span] = await select<{ rows: string; min: Date | null; max: Date | null; outside: string }>(
    `SELECT count(*)::text AS rows, min("timestamp") AS min, max("timestamp") AS max,
            count(*) FILTER (WHERE "timestamp" < ${FIRST_BOUND} OR "timestamp" >= ${LAST_BOUND})::text AS outside
       FROM ${source.sql}`,
  );
  const unit = partitioning.interval;
  const starts = await select<{ start: string }>(
    `WITH RECURSIVE starts(start) AS (
       SELECT date_trunc('${unit}', min("timestamp") AT TIME ZONE 'UTC') FROM ${source.sql}
        WHERE "timestamp" >= ${FIRST_BOUND} AND "timestamp" < ${LAST_BOUND}
       UNION ALL
       SELECT (SELECT date_trunc('${unit}', min(t."timestamp") AT TIME ZONE 'UTC') FROM ${source.sql} t
                WHERE t."timestamp" >= (s.start + interval '1 ${unit}') AT TIME ZONE 'UTC' AND t."timestamp" < ${LAST_BOUND})
         FROM starts s WHERE s.start IS NOT NULL)
     SELECT to_char(start, 'YYYY-MM-DD') AS start FROM starts WHERE start IS NOT NULL`,
  );
  const holding = starts.map((row) => rangeContaining(unit, new Date(`${row.start.padStart(10, '0')}T00:00:00Z`)));
  const ranges = uniqueRanges([...holding, ...rangesAhead(unit, now, partitioning.premake)]);
  const referenced = await select<{ table: string }>(
    `SELECT DISTINCT c.relname AS table FROM pg_constraint k JOIN pg_class c ON c.oid = k.confrelid
      WHERE k.conrelid = $1::regclass AND k.contype = 'f' AND k.confrelid <> k.conrelid ORDER BY 1`,
    [source.sql],
  );
  return {
    table: source.name,
    interval: unit,
    rows: Number(span?.rows ?? 0),
    minTimestamp: span?.min ?? null,
    maxTimestamp: span?.max ?? null,
    rowsInDefault: Number(span?.outside ?? 0),
    partitions: [
      ...ranges.map((range) => ({ name: partitionName(source.name, unit, range), from: range.from, to: range.to, isDefault: false })),
      { name: defaultPartitionName(source.name), from: null, to: null, isDefault: true },
    ],
    locks: [
      { table: source.name, mode: 'EXCLUSIVE', during: 'copy' },
      ...referenced.map((row) => ({ table: row.table, mode: 'SHARE ROW EXCLUSIVE' as const, during: 'foreign-key' as const })),
      { table: source.name, mode: 'ACCESS EXCLUSIVE', during: 'swap' },
    ],
  };
}
