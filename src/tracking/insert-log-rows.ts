import { QueryTypes, type ModelAttributeColumnOptions, type Transaction } from 'sequelize';
import { TimelineLog, type TimelineLogCreationAttributes } from '../model/timeline-log.js';

/** How a batch of logs is written. */
export interface InsertLogRowsOptions {
  /** Write inside this transaction. Defaults to none (autocommit). */
  readonly transaction?: Transaction | null;
  /** Sequelize's `logging` option of the call that caused the logs, so its statements are logged alike. */
  readonly logging?: boolean | ((sql: string, timing?: number) => void);
}

const COLUMNS = ['contentType', 'objectId', 'objectRepr', 'timestamp', 'userId', 'userRepr', 'template', 'extraData', 'event'] as const;

/**
 * Writes `rows` (built by `buildLogRow`) with one multi-row INSERT, whatever their number:
 * the rows travel as a single JSONB parameter that PostgreSQL expands with
 * `jsonb_populate_recordset` into the table's own row type, so every column gets its declared
 * type (the user key's type included) and the SQL text does not grow with the rows. JSONB
 * rather than JSON: each row's `extra_data` is then taken over as it is, instead of being
 * printed and parsed again (about a quarter faster for 10,000 rows).
 *
 * @example
 * ```ts
 * await insertLogRows([buildLogRow(post, actor, { event: 'created' })], { transaction });
 * ```
 */
export async function insertLogRows(rows: readonly TimelineLogCreationAttributes[], options: InsertLogRowsOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  const { sequelize } = TimelineLog.runtime;
  const generator = sequelize.getQueryInterface().queryGenerator as { quoteTable(table: unknown): string; quoteIdentifier(name: string): string };
  const attributes = TimelineLog.getAttributes() as Record<string, ModelAttributeColumnOptions>;
  const fields = COLUMNS.map((column) => attributes[column]?.field ?? column);
  const table = generator.quoteTable(TimelineLog.getTableName());
  const columnList = fields.map((field) => generator.quoteIdentifier(field)).join(', ');
  const sql =
    `INSERT INTO ${table} (${columnList}) ` +
    `SELECT ${columnList} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`;
  const payload = JSON.stringify(rows.map((row) => recordOf(row, fields)));
  await sequelize.query(sql, {
    bind: [payload],
    type: QueryTypes.INSERT,
    transaction: options.transaction ?? null,
    ...(options.logging === undefined ? {} : { logging: options.logging }),
  });
}

/** The row keyed by column name, as `jsonb_populate_recordset` reads it. */
function recordOf(row: TimelineLogCreationAttributes, fields: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let index = 0; index < COLUMNS.length; index += 1) {
    record[fields[index] as string] = row[COLUMNS[index] as (typeof COLUMNS)[number]] ?? null;
  }
  return record;
}
