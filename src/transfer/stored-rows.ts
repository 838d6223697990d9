import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';
import { canonicalJson } from '../model/canonical-json.js';
import { TIMELINE_COLUMNS, type TimelineColumn } from '../model/timeline-columns.js';
import type { JsonValue } from '../model/to-json-value.js';
import { quoteIdentifier } from './sql-identifier.js';
import { columnOfExportName, singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

/** A stored log by file column name (`user`, not `user_id`): the id as text, the timestamp as canonical ISO text, `extra_data` as JSON. */
export type StoredRow = Record<string, unknown>;

/** Every column under its file name, with the timestamp as text at full precision in any session time zone. */
const SELECT_LIST = TIMELINE_COLUMNS.map((column) => `${storedValue(column)} AS ${quoteIdentifier(column.exportName)}`).join(', ');
const ID = quoteIdentifier(singleColumnOfKind('id').field);
const ID_NAME = singleColumnOfKind('id').exportName;

/**
 * Reads the rows with the given ids, as an import compares them with the file's rows.
 *
 * @example
 * ```ts
 * const stored = await readRowsById(sequelize, table, ['1', '2'], transaction);
 * stored[0]?.user; // 4
 * ```
 */
export async function readRowsById(
  sequelize: Sequelize,
  table: TimelineTable,
  ids: readonly string[],
  transaction: Transaction | null,
): Promise<StoredRow[]> {
  if (ids.length === 0) return [];
  return sequelize.query<StoredRow>(`SELECT ${SELECT_LIST} FROM ${table.sql} WHERE ${ID} = ANY($1::bigint[])`, {
    bind: [ids],
    type: QueryTypes.SELECT,
    raw: true,
    ...onPrimary(transaction),
  });
}

function storedValue(column: TimelineColumn): string {
  const name = quoteIdentifier(column.field);
  switch (column.kind) {
    case 'id':
      return `${name}::text`;
    case 'timestamp':
      return `to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    default:
      return name;
  }
}

/**
 * Whether every value a file row gives equals the stored one (JSON compared by meaning, the
 * rest as text): such a row is a `skip`.
 *
 * @example
 * ```ts
 * isUnchanged({ id: '7', event: 'paid', extra_data: { a: 1 } }, { id: '7', extra_data: { a: 1 } }); // true
 * ```
 */
export function isUnchanged(stored: StoredRow, values: Readonly<Record<string, unknown>>): boolean {
  for (const [name, value] of Object.entries(values)) {
    if (name === ID_NAME) continue;
    const current = stored[name];
    if (columnOfExportName(name)?.kind === 'json') {
      if (canonicalJson((current ?? null) as JsonValue) !== canonicalJson((value ?? null) as JsonValue)) return false;
    } else if ((current === null || current === undefined ? null : String(current)) !== (value ?? null)) return false;
  }
  return true;
}
