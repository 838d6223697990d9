import copyStreams from 'pg-copy-streams';
import { TIMELINE_COLUMNS } from '../model/timeline-columns.js';
import { copyTextRows } from './copy-text-rows.js';
import type { WritableRow } from './import-statements.js';
import type { PgClient } from './pg-client.js';
import { quoteIdentifier } from './sql-identifier.js';
import type { TimelineTable } from './timeline-table.js';

/** `COPY t (<this>)`: every table column, in definition order (the order of {@link copyTextRows}' fields). */
const COPY_LIST = TIMELINE_COLUMNS.map((column) => quoteIdentifier(column.field)).join(', ');

/**
 * Writes new rows with one `COPY <table> (<every column>) FROM STDIN` in text format on
 * `client` (the import transaction's connection): the same values `insertRows` sends (ids
 * assigned, `defaults` for the columns the file lacks, JSON columns as JSON text), without a
 * statement to plan or arrays to expand. Resolves once PostgreSQL has written every row;
 * rejects with node-postgres' error (`message`, `detail`, `where` naming the line) when it
 * refuses one, and then nothing of the copy is written (a transaction around it is aborted).
 *
 * @example
 * ```ts
 * await copyRowsIn(pgClientOf(transaction), table, rows, { template: 'timeline_logger/default.ejs', timestamp: now });
 * ```
 */
export async function copyRowsIn(
  client: PgClient,
  table: TimelineTable,
  rows: readonly WritableRow[],
  defaults: Readonly<Record<string, unknown>>,
): Promise<void> {
  if (rows.length === 0) return;
  const bytes = Buffer.from(copyTextRows(rows, defaults), 'utf8');
  const stream = client.query(copyStreams.from(`COPY ${table.sql} (${COPY_LIST}) FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('finish', resolve);
    stream.end(bytes);
  });
}

/**
 * The 1-based line of a failed copy that PostgreSQL's error names (`COPY timeline_logs, line
 * 3: ...`), or null when it names none (a foreign key checked after the last row).
 *
 * @example
 * ```ts
 * copyErrorLine({ where: 'COPY timeline_logs, line 3, column event: "x"' }); // 3
 * ```
 */
export function copyErrorLine(error: unknown): number | null {
  const where = (error as { where?: unknown } | null)?.where;
  const match = typeof where === 'string' ? /^COPY [^,]+, line (\d+)/m.exec(where) : null;
  return match ? Number(match[1]) : null;
}
