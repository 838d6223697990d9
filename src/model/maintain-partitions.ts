import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { ResolvedTimelineOptions } from '../options.js';
import type { PartitionInterval } from '../partitioning-options.js';
import { listPartitions, type PartitionInfo } from './list-partitions.js';
import { isLockNotAvailable, lockPartitionMaintenance, MAINTAIN_LOCK_TIMEOUT } from './partition-lock.js';
import { qualifiedTable, type QualifiedTable } from './partitioned-table.js';
import {
  assertPartitionNamesFit,
  boundText,
  defaultPartitionName,
  partitionName,
  rangeContaining,
  rangesAhead,
  uniqueRanges,
  type PartitionRange,
} from './partition-range.js';

/** What {@link maintainPartitions} did. */
export interface MaintainPartitionsResult {
  /** The partitions it made (the DEFAULT one included), oldest range first. */
  readonly created: readonly string[];
  /** How many logs it moved out of the DEFAULT partition into partitions of their own. */
  readonly moved: number;
}

/** What maintaining needs of the setup (a `TimelineRuntime` is one). */
export interface MaintainSetup {
  readonly sequelize: Sequelize;
  readonly options: Pick<ResolvedTimelineOptions, 'tableName' | 'now' | 'partitioning'>;
}

export { MAINTAIN_LOCK_TIMEOUT } from './partition-lock.js';

/**
 * Makes the timeline table's partitions for the current interval and `premake` intervals ahead
 * (by the setup's `now()`), and the DEFAULT partition that stores a log at any other timestamp.
 * Logs in the DEFAULT partition are moved into partitions of their own ranges (made for them,
 * past ranges too), so retention can later drop whole partitions. Each partition is built as a
 * standalone table, filled from the DEFAULT partition (`DELETE ... RETURNING` into an
 * `INSERT`), then attached (`ATTACH PARTITION` locks the parent only `SHARE UPDATE EXCLUSIVE`;
 * the DEFAULT partition `ACCESS EXCLUSIVE` while it is checked). One transaction; concurrent
 * maintainers wait for each other (an advisory lock); any lock not granted within
 * {@link MAINTAIN_LOCK_TIMEOUT} ends it with an error and changes nothing. Running it again is a no-op.
 *
 * @throws ConfigurationError when `partitioning` is not set, the table is not partitioned, or its name is too long for partition names.
 * @example
 * ```ts
 * await maintainPartitions(runtime); // { created: ['timeline_logs_p2027_04'], moved: 0 }
 * ```
 */
export async function maintainPartitions(setup: MaintainSetup): Promise<MaintainPartitionsResult> {
  const { sequelize, options } = setup;
  const partitioning = options.partitioning;
  if (partitioning === null) {
    throw new ConfigurationError(
      'maintainPartitions needs the partitioning option: setupTimeline(sequelize, { partitioning: { interval: "month" } })',
    );
  }
  assertPartitionNamesFit(options.tableName, partitioning.interval);
  try {
    return await sequelize.transaction(async (transaction) => {
      const parent = await partitionedParent(sequelize, options.tableName, transaction);
      await lockPartitionMaintenance(sequelize, transaction, parent);
      const maintainer = new Maintainer(sequelize, transaction, parent, partitioning.interval);
      return maintainer.run(rangesAhead(partitioning.interval, options.now(), partitioning.premake));
    });
  } catch (error) {
    if (isLockNotAvailable(error)) {
      throw new ConfigurationError(
        `maintainPartitions gave up after waiting ${MAINTAIN_LOCK_TIMEOUT} for a lock on ${options.tableName} (a long transaction holds it); nothing was changed, run it again later`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** One maintenance run inside its transaction. */
class Maintainer {
  readonly #created: string[] = [];
  #moved = 0;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
    private readonly parent: QualifiedTable,
    private readonly interval: PartitionInterval,
  ) {}

  async run(ahead: readonly PartitionRange[]): Promise<MaintainPartitionsResult> {
    let partitions = await listPartitions(this.sequelize, this.parent.name, { transaction: this.transaction });
    const columns = await this.#columns();
    let fallback = partitions.find((partition) => partition.isDefault)?.name ?? null;
    const wanted = [...ahead, ...(fallback === null ? [] : await this.#rangesInDefault(fallback))];
    for (const range of uniqueRanges(wanted)) {
      if (partitions.some((partition) => overlaps(partition, range))) continue;
      const name = partitionName(this.parent.name, this.interval, range);
      await this.#create(name);
      if (fallback !== null) await this.#moveRows(fallback, name, range, columns);
      await this.#attach(name, `FOR VALUES FROM (${literal(range.from)}) TO (${literal(range.to)})`);
      partitions = [...partitions, { name, from: range.from, to: range.to, isDefault: false }];
    }
    if (fallback === null) {
      fallback = defaultPartitionName(this.parent.name);
      await this.#create(fallback);
      await this.#attach(fallback, 'DEFAULT');
    }
    return { created: this.#created, moved: this.#moved };
  }

  /** The ranges (of this interval) that logs in the DEFAULT partition fall in; years 1 to 9999 (others stay there). */
  async #rangesInDefault(fallback: string): Promise<PartitionRange[]> {
    const unit = this.interval === 'week' ? 'week' : this.interval;
    const rows = await this.#select<{ start: string }>(
      `SELECT DISTINCT to_char(date_trunc('${unit}', "timestamp" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS start
         FROM ${this.#sql(fallback)}
        WHERE "timestamp" >= '0001-01-01 00:00:00+00' AND "timestamp" < '10000-01-01 00:00:00+00'
        ORDER BY start`,
    );
    return rows.map((row) => rangeContaining(this.interval, new Date(`${row.start.padStart(10, '0')}T00:00:00Z`)));
  }

  /** A standalone table shaped like the parent; attaching it gives it the parent's keys and indexes. */
  async #create(name: string): Promise<void> {
    await this.sequelize.query(
      `CREATE TABLE ${this.#sql(name)} (LIKE ${this.parent.sql} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
      { transaction: this.transaction },
    );
    this.#created.push(name);
  }

  async #moveRows(fallback: string, name: string, range: PartitionRange, columns: string): Promise<void> {
    const [row] = await this.#select<{ moved: string }>(
      `WITH moved AS (DELETE FROM ${this.#sql(fallback)} WHERE "timestamp" >= $1::timestamptz AND "timestamp" < $2::timestamptz RETURNING ${columns}),
            inserted AS (INSERT INTO ${this.#sql(name)} (${columns}) SELECT ${columns} FROM moved RETURNING 1)
       SELECT count(*)::text AS moved FROM inserted`,
      [boundText(range.from), boundText(range.to)],
    );
    this.#moved += Number(row?.moved ?? 0);
  }

  async #attach(name: string, bound: string): Promise<void> {
    await this.sequelize.query(`ALTER TABLE ${this.parent.sql} ATTACH PARTITION ${this.#sql(name)} ${bound}`, {
      transaction: this.transaction,
    });
  }

  /** The parent's columns, quoted, in order: rows move by name, whatever the partitions' column order. */
  async #columns(): Promise<string> {
    const rows = await this.#select<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [this.parent.sql],
    );
    return rows.map((row) => this.#quote(row.name)).join(', ');
  }

  #select<T extends object>(sql: string, bind: unknown[] = []): Promise<T[]> {
    return this.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction: this.transaction });
  }

  #sql(name: string): string {
    return `${this.#quote(this.parent.schema)}.${this.#quote(name)}`;
  }

  #quote(name: string): string {
    return this.sequelize.getQueryInterface().quoteIdentifier(name);
  }
}

/** The table, when it exists and is partitioned. */
async function partitionedParent(sequelize: Sequelize, tableName: string, transaction: Transaction): Promise<QualifiedTable> {
  const table = await qualifiedTable(sequelize, tableName, transaction);
  if (table === null)
    throw new ConfigurationError(
      `The table ${tableName} does not exist: run timeline-logger migrate (or migrateTimeline(sequelize)) first.`,
    );
  const [kind] = await sequelize.query<{ partitioned: boolean }>(
    `SELECT relkind = 'p' AS partitioned FROM pg_class WHERE oid = $1::regclass`,
    {
      bind: [table.sql],
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  if (kind?.partitioned !== true) {
    throw new ConfigurationError(`The table ${tableName} is not partitioned: run timeline-logger partition to convert it.`);
  }
  return table;
}

function overlaps(partition: PartitionInfo, range: PartitionRange): boolean {
  if (partition.isDefault) return false;
  const startsBeforeEnd = partition.from === null || partition.from < range.to;
  const endsAfterStart = partition.to === null || partition.to > range.from;
  return startsBeforeEnd && endsAfterStart;
}

/** A range bound as a SQL literal (UTC midnight; years past 9999 too), independent of the session's time zone. */
function literal(instant: Date): string {
  return `'${boundText(instant)}'::timestamptz`;
}
