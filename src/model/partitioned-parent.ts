import { QueryTypes, type Sequelize } from 'sequelize';
import type { QualifiedTable } from './partitioned-table.js';

/**
 * The table named `tableName` when it exists and is range-partitioned (`relkind = 'p'`), read
 * on the primary in one catalog query; null for a plain or missing table. Prune uses it to
 * choose between dropping partitions and deleting rows.
 *
 * @example
 * ```ts
 * await partitionedParent(sequelize, 'timeline_logs'); // { schema: 'public', name: 'timeline_logs', sql: '"public"."timeline_logs"' } or null
 * ```
 */
export async function partitionedParent(sequelize: Sequelize, tableName: string): Promise<QualifiedTable | null> {
  const quote = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  const [row] = await sequelize.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass($1) AND c.relkind = 'p'`,
    { bind: [quote(tableName)], type: QueryTypes.SELECT, useMaster: true },
  );
  return row === undefined ? null : { schema: row.schema, name: row.name, sql: `${quote(row.schema)}.${quote(row.name)}` };
}
