import type { Writable } from 'node:stream';
import type { Sequelize } from 'sequelize';
import { beginReadSnapshot } from '../db/read-snapshot.js';
import { keyKindOfSqlType } from '../model/key-kind.js';
import type { TimelineColumn } from '../model/timeline-columns.js';
import { CopyCsvRewriter, type CopyCsvColumn } from './copy-csv-rewriter.js';
import { CopyNdjsonRewriter, type CopyNdjsonColumn } from './copy-ndjson-rewriter.js';
import type { CopyRewriter } from './copy-rewriter.js';
import { exportConditions, type ExportFilter } from './export-filter.js';
import { UTC_ISO_SESSION } from './export-reader.js';
import { quoteIdentifier } from './sql-identifier.js';
import { sqlLiteral } from './sql-literal.js';
import { streamCopy } from './stream-copy.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

/** The formats a `COPY` export writes. */
export type CopyFormat = 'csv' | 'tsv' | 'ndjson';

/** What {@link copyExport} writes. */
export interface CopyExportRequest {
  readonly format: CopyFormat;
  /** The selected columns, in file order. */
  readonly columns: readonly TimelineColumn[];
  /** Already narrowed by the resource's `filterExport`. */
  readonly filter: ExportFilter;
  readonly formulaGuard: boolean;
  readonly onProgress?: ((rows: number) => void) | undefined;
}

const ID = quoteIdentifier(singleColumnOfKind('id').field);

/**
 * Streams the logs matching the request's filter, in id order, as the rows of a csv, tsv or
 * ndjson file (the caller writes the header) through one `COPY (SELECT ...) TO STDOUT`:
 * PostgreSQL sends the stored columns as text and a {@link CopyRewriter} turns them into the
 * exact bytes the row-by-row writers make of the same rows. The copy runs in a read-only
 * REPEATABLE READ transaction (UTC, ISO dates), so the file is one consistent snapshot (on a
 * read replica under Sequelize's `replication`, on the primary when called inside a CLS
 * transaction: see `beginReadSnapshot`).
 * Waits for `output` to drain (see `streamCopy`). Resolves to the number of rows.
 *
 * @throws TypeError when a filter value is malformed.
 * @example
 * ```ts
 * const rows = await copyExport(sequelize, table, process.stdout, { format: 'csv', columns, filter: {}, formulaGuard: true });
 * ```
 */
export async function copyExport(
  sequelize: Sequelize,
  table: TimelineTable,
  output: Writable,
  request: CopyExportRequest,
): Promise<number> {
  const sql = copyStatement(table, request);
  const rewriter = createCopyRewriter(table, request);
  const transaction = await beginReadSnapshot(sequelize);
  try {
    await sequelize.query(UTC_ISO_SESSION, { transaction });
    const rows = await streamCopy(transaction, sql, rewriter, output, request.onProgress);
    await transaction.commit();
    return rows;
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
}

/** `COPY (SELECT <columns> FROM <table> WHERE <filter> ORDER BY id) TO STDOUT ...`, the filter's values inlined as literals. */
function copyStatement(table: TimelineTable, request: CopyExportRequest): string {
  const { conditions, bind } = exportConditions(request.filter, 1);
  const where = conditions.map((condition) =>
    condition.replace(/\$(\d+)/g, (_match, index: string) => sqlLiteral(bind[Number(index) - 1] as string)),
  );
  const select = request.columns.map((column) => `t.${quoteIdentifier(column.field)}`).join(', ');
  const query = `SELECT ${select} FROM ${table.sql} AS t${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY t.${ID}`;
  const options = request.format === 'ndjson' ? '' : ` (FORMAT csv, DELIMITER ${request.format === 'csv' ? "','" : "E'\\t'"})`;
  return `COPY (${query}) TO STDOUT${options}`;
}

/**
 * The rewriter that turns `COPY` text output of `request.columns` into the rows of a csv, tsv or
 * ndjson export of `table` (ndjson writes integer user keys as numbers, as the row writer does).
 *
 * @example
 * ```ts
 * const rewriter = createCopyRewriter(table, { format: 'ndjson', columns: TIMELINE_COLUMNS, formulaGuard: false });
 * ```
 */
export function createCopyRewriter(
  table: TimelineTable,
  request: Pick<CopyExportRequest, 'format' | 'columns' | 'formulaGuard'>,
): CopyRewriter {
  if (request.format !== 'ndjson') {
    const kinds = request.columns.map((column): CopyCsvColumn =>
      column.kind === 'timestamp' || column.kind === 'json' ? column.kind : 'text',
    );
    return new CopyCsvRewriter(kinds, request.format === 'csv' ? ',' : '\t', request.formulaGuard);
  }
  const userKind = keyKindOfSqlType(table.columnTypes[singleColumnOfKind('userKey').field] ?? '');
  const numericUser = userKind === 'integer' || userKind === 'smallint';
  return new CopyNdjsonRewriter(request.columns.map((column) => ({ name: column.exportName, kind: ndjsonKind(column, numericUser) })));
}

/** How the ndjson writer renders the column (see `readExportChunks`: integer user keys are numbers). */
function ndjsonKind(column: TimelineColumn, numericUser: boolean): CopyNdjsonColumn {
  switch (column.kind) {
    case 'id':
      return 'key';
    case 'userKey':
      return numericUser ? 'number' : 'key';
    case 'timestamp':
    case 'json':
      return column.kind;
    case 'text':
      return 'text';
  }
}
