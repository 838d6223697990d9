import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';

/** One partition of the timeline table, as the catalog describes it. */
export interface PartitionInfo {
  /** The partition's table name (in the parent's schema). */
  readonly name: string;
  /** Its first timestamp (included); null for the DEFAULT partition or an open (`MINVALUE`) bound. */
  readonly from: Date | null;
  /** Its end (excluded); null for the DEFAULT partition or an open (`MAXVALUE`) bound. */
  readonly to: Date | null;
  /** Whether it is the DEFAULT partition (the rows no range covers). */
  readonly isDefault: boolean;
}

/** Options of {@link listPartitions}. */
export interface ListPartitionsOptions {
  /** Read inside this transaction. Defaults to none (on the primary). */
  readonly transaction?: Transaction | null;
}

/**
 * The partitions of `table` (a name as the setup's `tableName`), oldest range first and the
 * DEFAULT partition last, read from `pg_inherits` and each partition's bound
 * (`pg_get_expr(relpartbound, oid)`); an empty list for a table that is not partitioned.
 * Retention uses it to drop whole partitions.
 *
 * @example
 * ```ts
 * await listPartitions(sequelize, 'timeline_logs');
 * // [{ name: 'timeline_logs_p2026_12', from: 2026-12-01T00:00:00Z, to: 2027-01-01T00:00:00Z, isDefault: false }, ...,
 * //  { name: 'timeline_logs_default', from: null, to: null, isDefault: true }]
 * ```
 */
export async function listPartitions(sequelize: Sequelize, table: string, options: ListPartitionsOptions = {}): Promise<PartitionInfo[]> {
  // The bound's text is cast back in the same session, so its DateStyle and TimeZone do not matter.
  const rows = await sequelize.query<{ name: string; from: Date | null; to: Date | null; isDefault: boolean }>(
    `SELECT c.relname AS name, b.bound[1]::timestamptz AS "from", b.bound[2]::timestamptz AS "to", c.relpartbound IS NOT NULL AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS "isDefault"
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       CROSS JOIN LATERAL (SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \\((?:''([^'']*)''|MINVALUE)\\) TO \\((?:''([^'']*)''|MAXVALUE)\\)$') AS bound) b
      WHERE i.inhparent = to_regclass($1)
      ORDER BY "isDefault", "from" NULLS FIRST, c.relname`,
    { bind: [sequelize.getQueryInterface().quoteIdentifier(table)], type: QueryTypes.SELECT, ...onPrimary(options.transaction ?? null) },
  );
  return rows.map((row) => ({ name: row.name, from: row.from, to: row.to, isDefault: row.isDefault === true }));
}
