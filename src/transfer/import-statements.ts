import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { TIMELINE_COLUMNS } from '../model/timeline-columns.js';
import type { PendingRow } from './pending-row.js';
import { quoteIdentifier } from './sql-identifier.js';
import { columnOfExportName, singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

/** A row the import writes: its id (assigned for new rows) and its cleaned values. */
export interface WritableRow {
  readonly pending: PendingRow;
  readonly id: string | null;
}

/** Where the import's statements run. */
export interface StatementTarget {
  readonly sequelize: Sequelize;
  readonly table: TimelineTable;
  readonly transaction: Transaction | null;
}

const ID = singleColumnOfKind('id');
const ID_FIELD = quoteIdentifier(ID.field);
/** `INSERT INTO t (<this>)`: every table column, in definition order (the order of the unnest arrays). */
const INSERT_LIST = TIMELINE_COLUMNS.map((column) => quoteIdentifier(column.field)).join(', ');

/**
 * One INSERT for the rows, their values sent as one array per column and expanded with
 * `unnest` (no JSON document per row to build and for the server to parse). Columns the file
 * lacks get `defaults` (by file column name; null when none); JSON columns travel as JSON text.
 *
 * @example
 * ```ts
 * await insertRows(target, rows, { template: 'timeline_logger/default.ejs', timestamp: now });
 * ```
 */
export async function insertRows(
  target: StatementTarget,
  rows: readonly WritableRow[],
  defaults: Readonly<Record<string, unknown>>,
): Promise<void> {
  const { sequelize, table, transaction } = target;
  const arrays = TIMELINE_COLUMNS.map((column) => {
    const values = new Array<unknown>(rows.length);
    if (column.kind === 'id') {
      for (let index = 0; index < rows.length; index += 1) values[index] = (rows[index] as WritableRow).id;
      return values;
    }
    const name = column.exportName;
    const fallback = defaults[name] ?? null;
    const json = column.kind === 'json';
    for (let index = 0; index < rows.length; index += 1) {
      const given = (rows[index] as WritableRow).pending.values;
      const value = Object.hasOwn(given, name) ? (given[name] ?? null) : fallback;
      values[index] = json && value !== null ? JSON.stringify(value) : value;
    }
    return values;
  });
  const unnest = TIMELINE_COLUMNS.map((column, index) => `$${index + 1}::${table.columnTypes[column.field] ?? 'text'}[]`).join(', ');
  await sequelize.query(`INSERT INTO ${table.sql} (${INSERT_LIST}) SELECT * FROM unnest(${unnest})`, {
    bind: arrays,
    transaction,
    type: QueryTypes.INSERT,
  });
}

/**
 * One UPDATE for rows that have the same columns ({@link presentColumns}): each stored row takes
 * the file's values of those columns (`UPDATE ... FROM json_to_recordset($1)`).
 *
 * @example
 * ```ts
 * await updateRows(target, rowsWithTheSameColumns);
 * ```
 */
export async function updateRows(target: StatementTarget, rows: readonly WritableRow[]): Promise<void> {
  const { sequelize, table, transaction } = target;
  const columns = presentColumns((rows[0] as WritableRow).pending.values);
  const payload = JSON.stringify(rows.map(tableRow));
  const definition = [ID.field, ...columns].map((column) => `${quoteIdentifier(column)} ${table.columnTypes[column] ?? 'text'}`).join(', ');
  const assignments = columns.map((column) => `${quoteIdentifier(column)} = x.${quoteIdentifier(column)}`).join(', ');
  const sql = `UPDATE ${table.sql} AS t SET ${assignments} FROM json_to_recordset($1::json) AS x(${definition}) WHERE t.${ID_FIELD} = x.${ID_FIELD}`;
  await sequelize.query(sql, { bind: [payload], transaction, type: QueryTypes.UPDATE });
}

/**
 * The table columns (besides the id) a file row has values for, sorted: update statements set
 * those, so rows are grouped by this list.
 *
 * @example
 * ```ts
 * presentColumns({ id: '7', user: '4', event: 'paid' }); // ['event', 'user_id']
 * ```
 */
export function presentColumns(values: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(values)
    .filter((name) => name !== ID.exportName)
    .map(tableColumn)
    .sort();
}

/** An update row: the id and the columns the file has, by table column name. */
function tableRow(row: WritableRow): Record<string, unknown> {
  const result: Record<string, unknown> = { [ID.field]: row.id };
  for (const [name, value] of Object.entries(row.pending.values)) if (name !== ID.exportName) result[tableColumn(name)] = value ?? null;
  return result;
}

/** The table column of a file column (a name that is none, from a subclass's own field, is used as it is). */
function tableColumn(name: string): string {
  return columnOfExportName(name)?.field ?? name;
}
