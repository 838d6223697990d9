import { TIMELINE_COLUMNS } from '../model/timeline-columns.js';
import type { WritableRow } from './import-statements.js';

/** `COPY`'s text-format NULL. */
const NULL = '\\N';
/** The characters text format escapes: backslash, newline, carriage return, tab. */
const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One value as a field of `COPY ... FROM STDIN` in text format: null as `\N`, backslash,
 * newline, carriage return and tab escaped (so a text `\N` stays text and a cell that is `\.`
 * is no end-of-data marker); everything else as it is, in UTF-8. JSON columns (`json: true`)
 * travel as JSON text, as the INSERT path sends them; numbers, booleans and dates (from a
 * resource's own widgets) as node-postgres would send them.
 *
 * @example
 * ```ts
 * copyTextField('a\tb\\c', false); // 'a\\tb\\\\c'
 * copyTextField(null, false);      // '\\N'
 * copyTextField({ a: 'x\ny' }, true); // '{"a":"x\\\\ny"}'
 * ```
 */
export function copyTextField(value: unknown, json: boolean): string {
  if (value === null || value === undefined) return NULL;
  const text = json ? JSON.stringify(value) : plainText(value);
  return SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (character) => ESCAPES[character] as string) : text;
}

/**
 * The rows as `COPY` text-format lines, one field per {@link TIMELINE_COLUMNS} entry in that
 * order: the row's id (assigned for rows without one), then each column's cleaned value, or
 * `defaults[exportName]` for a column the file lacks (null when it has no default).
 *
 * @example
 * ```ts
 * copyTextRows([{ id: '7', pending: { row: 1, values: { event: 'paid' }, errors: [] } }], { template: 't.ejs' });
 * // '7\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\tt.ejs\tpaid\t\\N\n'
 * ```
 */
export function copyTextRows(rows: readonly WritableRow[], defaults: Readonly<Record<string, unknown>>): string {
  const columns = TIMELINE_COLUMNS.map((column) => ({
    name: column.exportName,
    id: column.kind === 'id',
    json: column.kind === 'json',
    fallback: copyTextField(defaults[column.exportName] ?? null, column.kind === 'json'),
  }));
  let out = '';
  for (const row of rows) {
    const values = row.pending.values;
    let line = '';
    for (let index = 0; index < columns.length; index += 1) {
      const column = columns[index] as (typeof columns)[number];
      if (index > 0) line += '\t';
      if (column.id) line += copyTextField(row.id, false);
      else line += Object.hasOwn(values, column.name) ? copyTextField(values[column.name], column.json) : column.fallback;
    }
    out += `${line}\n`;
  }
  return out;
}

/** A non-JSON value's text: strings as they are; what node-postgres would make of the rest. */
function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
