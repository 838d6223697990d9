import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { AnyModelStatic } from '../options.js';
import { singleColumnOfKind } from './timeline-log-columns.js';

/** The table a user id must exist in. */
export interface UserReference {
  /** Quoted, schema-qualified table, ready for SQL. */
  readonly table: string;
  /** Quoted key column. */
  readonly column: string;
  /** The key's SQL type, e.g. `integer` or `uuid`. */
  readonly type: string;
}

/** What import and export need to know about the timeline table. */
export interface TimelineTable {
  /** Quoted table name, ready for SQL. */
  readonly sql: string;
  /** The table name as given (for `pg_get_serial_sequence`). */
  readonly name: string;
  /** SQL type of each column (`format_type`), e.g. `{ id: 'bigint', user_id: 'integer' }`. */
  readonly columnTypes: Readonly<Record<string, string>>;
  /** Where user ids must exist: the user model's table, else the user key's (`user_id`) foreign key target, else null (any id). */
  readonly userReference: UserReference | null;
}

/** Where {@link describeTimelineTable} reads the catalog: in a transaction, or on the primary (`useMaster`). */
export interface CatalogQueryOptions {
  /** Defaults to none: Sequelize's CLS transaction, if any. */
  readonly transaction?: Transaction | null;
  /** Read the primary's catalog even outside a transaction (imports: a lagging replica may not have the table yet). Defaults to `false`. */
  readonly useMaster?: boolean;
}

/** The user key column (`user_id`). */
const USER_FIELD = singleColumnOfKind('userKey').field;

/**
 * Reads the timeline table's column types and where its user ids point, from PostgreSQL's
 * catalog (so it works with or without a configured user model). With Sequelize's
 * `replication` and no transaction, a replica's catalog unless `queryOptions.useMaster`.
 *
 * @example
 * ```ts
 * const table = await describeTimelineTable(sequelize, 'timeline_logs', User);
 * table.userReference?.table; // '"users"'
 * ```
 */
export async function describeTimelineTable(
  sequelize: Sequelize,
  tableName: string,
  userModel: AnyModelStatic | null,
  queryOptions: CatalogQueryOptions = {},
): Promise<TimelineTable> {
  const quote = (name: string): string => sequelize.getQueryInterface().quoteIdentifier(name);
  const columns = await sequelize.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    { bind: [quote(tableName)], type: QueryTypes.SELECT, ...queryOptions },
  );
  if (columns.length === 0) {
    throw new Error(`The table ${tableName} does not exist: run timeline-logger migrate (or migrateTimeline(sequelize)) first.`);
  }
  const columnTypes = Object.fromEntries(columns.map((column) => [column.name, column.type]));
  const userReference = userModel
    ? modelReference(userModel, quote, columnTypes[USER_FIELD] ?? 'text')
    : await foreignKeyReference(sequelize, quote(tableName), queryOptions);
  return { sql: quote(tableName), name: tableName, columnTypes, userReference };
}

function modelReference(userModel: AnyModelStatic, quote: (name: string) => string, type: string): UserReference {
  const table = userModel.getTableName() as string | { tableName: string; schema?: string };
  const tableSql = typeof table === 'string' ? quote(table) : `${table.schema ? `${quote(table.schema)}.` : ''}${quote(table.tableName)}`;
  const pk = userModel.getAttributes()[userModel.primaryKeyAttribute];
  return { table: tableSql, column: quote(pk?.field ?? userModel.primaryKeyAttribute), type };
}

async function foreignKeyReference(
  sequelize: Sequelize,
  tableSql: string,
  queryOptions: CatalogQueryOptions,
): Promise<UserReference | null> {
  const [reference] = await sequelize.query<{ tableSql: string; column: string; type: string }>(
    `SELECT c.confrelid::regclass::text AS "tableSql", quote_ident(a.attname) AS column, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_constraint c
       JOIN pg_attribute own ON own.attrelid = c.conrelid AND own.attnum = c.conkey[1]
       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = c.confkey[1]
      WHERE c.conrelid = to_regclass($1) AND c.contype = 'f' AND own.attname = $2`,
    { bind: [tableSql, USER_FIELD], type: QueryTypes.SELECT, ...queryOptions },
  );
  return reference ? { table: reference.tableSql, column: reference.column, type: reference.type } : null;
}
