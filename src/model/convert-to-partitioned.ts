import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { ResolvedPartitioning } from '../partitioning-options.js';
import { assertConvertible } from './conversion-obstacles.js';
import { planConversion, type ConversionPlan } from './conversion-plan.js';
import { copyTableSettings } from './copy-table-settings.js';
import { maintainPartitions, type MaintainPartitionsResult, type MaintainSetup } from './maintain-partitions.js';
import { assertPartitionNamesFit, boundText } from './partition-range.js';
import { createPartitionedCopy, qualifiedTable, swapToPartitioned, type QualifiedTable } from './partitioned-table.js';

/** A step of a conversion, reported to `onProgress` as it starts. */
export type ConversionStep = 'copy' | 'index' | 'swap' | 'analyze';

/** Options of {@link convertToPartitioned}. */
export interface ConvertToPartitionedOptions {
  /** Only plan: read the table and return the plan, change nothing. Defaults to `false`. */
  readonly dryRun?: boolean;
  /**
   * Called as each step starts: `copy` (the lock is held; partitions made, logs copied), `index`
   * (keys, indexes, foreign keys built on the copy), `swap` (the copy takes the table's place),
   * `analyze` (after the commit: statistics for the planner). Defaults to none.
   */
  readonly onProgress?: (step: ConversionStep) => void;
  /**
   * How long to wait for each lock before giving up (and changing nothing), in milliseconds: a
   * long transaction on the table must not keep every writer queued behind the conversion.
   * Defaults to `5000`.
   */
  readonly lockTimeoutMs?: number;
}

/**
 * What {@link convertToPartitioned} did, by `kind`: `planned` (a dry run on a plain table),
 * `converted`, `maintained` (the table was partitioned already: `maintainPartitions()` ran) or
 * `already-partitioned` (a dry run on a partitioned table: nothing ran).
 */
export type ConversionResult =
  | { readonly kind: 'planned'; readonly plan: ConversionPlan }
  | {
      readonly kind: 'converted';
      readonly plan: ConversionPlan;
      /** From the table's lock being granted to the commit: how long writes to it waited at most, in milliseconds. */
      readonly lockHeldMs: number;
      /** The whole conversion, the statistics (`ANALYZE`) after the commit included, in milliseconds. */
      readonly durationMs: number;
    }
  | { readonly kind: 'maintained'; readonly maintained: MaintainPartitionsResult }
  | { readonly kind: 'already-partitioned' };

/** The default of {@link ConvertToPartitionedOptions.lockTimeoutMs}. */
export const CONVERSION_LOCK_TIMEOUT_MS = 5000;

/** PostgreSQL's `lock_not_available`. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Converts the setup's plain timeline table, logs in it, to the range-partitioned layout of its
 * `partitioning` option, in one transaction: every row and id kept, the id sequence continuing
 * (moved past the largest id if it lagged), the primary key `(id, "timestamp")`, the secondary
 * indexes and foreign keys under their names, the owner, grants and table comment. It locks the
 * table `EXCLUSIVE` (reads go on, writes wait) and, in order, makes the partitions (one per
 * interval holding logs, the current one and `premake` ahead, the DEFAULT one), copies the rows,
 * builds the keys and indexes over them, then takes `ACCESS EXCLUSIVE` for the swap and commits;
 * `ANALYZE` follows. A table with triggers, row-level security, views or foreign keys pointing at
 * it is refused (see `assertConvertible`). On a table that is partitioned already it runs
 * `maintainPartitions()`.
 *
 * @throws ConfigurationError when `partitioning` is not set, the table is missing or cannot be
 * converted as it is, or a lock is not granted within `lockTimeoutMs` (nothing changed then).
 * @example
 * ```ts
 * const planned = await convertToPartitioned(runtime, { dryRun: true }); // { kind: 'planned', plan: { rows: 1000000, partitions: [...], ... } }
 * const done = await convertToPartitioned(runtime); // { kind: 'converted', plan, lockHeldMs: 21450, durationMs: 22810 }
 * ```
 */
export async function convertToPartitioned(setup: MaintainSetup, options: ConvertToPartitionedOptions = {}): Promise<ConversionResult> {
  const { sequelize } = setup;
  const { tableName, partitioning } = setup.options;
  if (partitioning === null) {
    throw new ConfigurationError(
      'convertToPartitioned needs the partitioning option: setupTimeline(sequelize, { partitioning: { interval: "month" } })',
    );
  }
  assertPartitionNamesFit(tableName, partitioning.interval);
  const partitioned = await sequelize.transaction(async (transaction) => isPartitioned(sequelize, tableName, transaction));
  if (partitioned)
    return options.dryRun === true ? { kind: 'already-partitioned' } : { kind: 'maintained', maintained: await maintainPartitions(setup) };
  if (options.dryRun === true) {
    const plan = await sequelize.transaction(async (transaction) => {
      const source = await existingTable(sequelize, tableName, transaction);
      await assertConvertible(sequelize, source, transaction);
      return planConversion(sequelize, source, partitioning, setup.options.now(), transaction);
    });
    return { kind: 'planned', plan };
  }
  return convert(setup, partitioning, options);
}

async function convert(
  setup: MaintainSetup,
  partitioning: ResolvedPartitioning,
  options: ConvertToPartitionedOptions,
): Promise<ConversionResult> {
  const { sequelize } = setup;
  const { tableName } = setup.options;
  const lockTimeoutMs = options.lockTimeoutMs ?? CONVERSION_LOCK_TIMEOUT_MS;
  const step = options.onProgress ?? (() => undefined);
  const started = performance.now();
  let lockedAt = started;
  let plan: ConversionPlan | null;
  try {
    plan = await sequelize.transaction(async (transaction) => {
      const run = (sql: string): Promise<unknown> => sequelize.query(sql, { transaction });
      await run(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
      const source = await existingTable(sequelize, tableName, transaction);
      await run(`LOCK TABLE ${source.sql} IN EXCLUSIVE MODE`);
      lockedAt = performance.now();
      // Converted by someone else while this waited for the lock: nothing left to convert.
      if (await isPartitioned(sequelize, tableName, transaction)) return null;
      await assertConvertible(sequelize, source, transaction);
      const planned = await planConversion(sequelize, source, partitioning, setup.options.now(), transaction);
      step('copy');
      const copy = await createPartitionedCopy(sequelize, source, {
        transaction,
        fill: async (target) => {
          await makePartitions(sequelize, target, planned, transaction);
          await copyRows(sequelize, source, target, transaction);
          step('index');
        },
      });
      await copyTableSettings(sequelize, source, copy.copy, transaction);
      await continueSequence(sequelize, source, transaction);
      step('swap');
      await run(`LOCK TABLE ${source.sql} IN ACCESS EXCLUSIVE MODE`);
      await swapToPartitioned(sequelize, copy, transaction);
      return planned;
    });
  } catch (error) {
    if ((error as { parent?: { code?: string } }).parent?.code === LOCK_NOT_AVAILABLE) {
      throw new ConfigurationError(
        `The conversion of ${tableName} gave up after waiting ${lockTimeoutMs} ms for a lock (a long transaction holds one on ${tableName} or a table its foreign key points at); nothing was changed: run it again when that transaction has ended`,
        { cause: error },
      );
    }
    throw error;
  }
  if (plan === null) return { kind: 'maintained', maintained: await maintainPartitions(setup) };
  const lockHeldMs = performance.now() - lockedAt;
  step('analyze');
  const table = await existingTable(sequelize, tableName, null);
  await sequelize.query(`ANALYZE ${table.sql}`);
  return { kind: 'converted', plan, lockHeldMs, durationMs: performance.now() - started };
}

/** The planned partitions, attached to the (still empty, unindexed) copy. */
async function makePartitions(sequelize: Sequelize, copy: QualifiedTable, plan: ConversionPlan, transaction: Transaction): Promise<void> {
  const quote = (name: string): string => sequelize.getQueryInterface().quoteIdentifier(name);
  for (const partition of plan.partitions) {
    const bound =
      partition.from === null || partition.to === null
        ? 'DEFAULT'
        : `FOR VALUES FROM ('${boundText(partition.from)}') TO ('${boundText(partition.to)}')`;
    await sequelize.query(`CREATE TABLE ${quote(copy.schema)}.${quote(partition.name)} PARTITION OF ${copy.sql} ${bound}`, { transaction });
  }
}

/** Every row, by column name; PostgreSQL routes each into its partition. */
async function copyRows(sequelize: Sequelize, source: QualifiedTable, copy: QualifiedTable, transaction: Transaction): Promise<void> {
  const columns = await sequelize.query<{ name: string }>(
    `SELECT quote_ident(attname) AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    { bind: [source.sql], type: QueryTypes.SELECT, transaction },
  );
  const list = columns.map((column) => column.name).join(', ');
  await sequelize.query(`INSERT INTO ${copy.sql} (${list}) SELECT ${list} FROM ${source.sql}`, { transaction });
}

/**
 * Moves the id sequence past the largest id when it lags behind (ids imported explicitly):
 * the partitioned table's key is `(id, "timestamp")`, so it would not refuse a repeated id.
 */
async function continueSequence(sequelize: Sequelize, source: QualifiedTable, transaction: Transaction): Promise<void> {
  await sequelize.query(
    `SELECT setval(s.sequence, m.id)
       FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS sequence) s
       CROSS JOIN (SELECT max(id) AS id FROM ${source.sql}) m
       JOIN pg_sequence q ON q.seqrelid = s.sequence
      WHERE m.id > coalesce(pg_sequence_last_value(s.sequence), q.seqstart - 1)`,
    { bind: [source.sql], type: QueryTypes.SELECT, transaction },
  );
}

async function existingTable(sequelize: Sequelize, tableName: string, transaction: Transaction | null): Promise<QualifiedTable> {
  const table = await qualifiedTable(sequelize, tableName, transaction);
  if (table === null)
    throw new ConfigurationError(
      `The table ${tableName} does not exist: run timeline-logger migrate (or migrateTimeline(sequelize)) first.`,
    );
  return table;
}

async function isPartitioned(sequelize: Sequelize, tableName: string, transaction: Transaction): Promise<boolean> {
  const table = await existingTable(sequelize, tableName, transaction);
  const [row] = await sequelize.query<{ partitioned: boolean }>(
    `SELECT relkind = 'p' AS partitioned FROM pg_class WHERE oid = $1::regclass`,
    {
      bind: [table.sql],
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return row?.partitioned === true;
}
