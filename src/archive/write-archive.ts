import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { ArchiveError } from '../errors.js';
import { TIMELINE_COLUMNS } from '../model/timeline-columns.js';
import { createCopyRewriter } from '../transfer/copy-export.js';
import { quoteIdentifier } from '../transfer/sql-identifier.js';
import { streamCopy } from '../transfer/stream-copy.js';
import { singleColumnOfKind } from '../transfer/timeline-log-columns.js';
import type { TimelineTable } from '../transfer/timeline-table.js';
import { syncFolder } from './archive-folder.js';
import { archiveFileName, dateOfTimestampText, type ArchiveFile } from './archive-file.js';
import { ArchiveRange } from './archive-range.js';
import { publishArchive } from './publish-archive.js';

/** What {@link writeArchive} archives, and where. */
export interface ArchiveRequest {
  /** The folder the file goes to (see `checkArchiveFolder`). */
  readonly folder: string;
  /** The timeline table (its name starts the file name; its user key type decides how user ids are written). */
  readonly table: TimelineTable;
  /**
   * The rows: a relation with the timeline table's columns, placed after `FROM`, e.g. a
   * partition's quoted name, or the name of a common table expression given in `with`.
   */
  readonly from: string;
  /**
   * Common table expressions the statement starts with (without `WITH`), e.g. a `DELETE ...
   * RETURNING *` that `from` names: the rows are then removed by the same statement that
   * archives them. Defaults to none.
   */
  readonly with?: string;
}

const COLUMNS = TIMELINE_COLUMNS;
const ID_INDEX = COLUMNS.findIndex((column) => column.kind === 'id');
const TIMESTAMP_INDEX = COLUMNS.findIndex((column) => column.kind === 'timestamp');
const ID = quoteIdentifier(singleColumnOfKind('id').field);

/**
 * Writes the rows of `request.from` (in id order), inside `transaction`, as one gzip-compressed
 * ndjson file in `request.folder`, byte for byte what `export --format ndjson` writes of them
 * (compressed), named by what it holds (see `archiveFileName`). The file is written under a
 * hidden temporary name, flushed to disk, then linked to its final name (never replacing a
 * file: an identical file is kept, a different one is an ArchiveError) and the folder flushed;
 * only then does this resolve, so the caller can commit a delete knowing the rows are on disk.
 * On failure nothing is left in the folder that this call made. No rows: no file, null.
 *
 * The statement runs with the session's TimeZone set to UTC and DateStyle to ISO for the copy
 * (the previous settings are put back after it).
 *
 * @throws ArchiveError when the file cannot be written or published; the database's error when the statement fails.
 * @example
 * ```ts
 * // A whole partition, before it is dropped in the same transaction:
 * const file = await writeArchive(sequelize, transaction, { folder: 'archive', table, from: '"timeline_logs_p202601"' });
 * ```
 */
export async function writeArchive(sequelize: Sequelize, transaction: Transaction, request: ArchiveRequest): Promise<ArchiveFile | null> {
  const temporary = path.join(
    request.folder,
    `.${request.table.name.replace(/[^A-Za-z0-9_-]/g, '_')}-${randomBytes(6).toString('hex')}.tmp`,
  );
  // Created exclusively first: from here on the file is ours to remove.
  const created = await open(temporary, 'wx').catch((error: unknown) => {
    throw ArchiveError.writeFailed(temporary, error);
  });
  await created.close();
  let temporaryExists = true;
  let linked: string | null = null;
  try {
    const range = await copyIntoFile(sequelize, transaction, request, temporary);
    const bytes = await syncFile(temporary);
    const summary = range.summary();
    if (summary === null) return null;
    const final = path.join(request.folder, archiveFileName(request.table.name, summary));
    const outcome = await publishArchive(temporary, final);
    if (outcome === 'created') linked = final;
    await unlink(temporary);
    temporaryExists = false;
    await syncFolder(request.folder).catch((error: unknown) => {
      throw ArchiveError.writeFailed(final, error);
    });
    linked = null;
    const { rows, firstId, lastId, earliest, latest } = summary;
    return {
      path: final,
      rows,
      bytes,
      firstId,
      lastId,
      earliest: dateOfTimestampText(earliest),
      latest: dateOfTimestampText(latest),
      reused: outcome === 'reused',
    };
  } finally {
    // Only what this call made: its temporary file, and a final link it made before failing.
    if (temporaryExists) await unlink(temporary).catch(() => undefined);
    if (linked !== null) await unlink(linked).catch(() => undefined);
  }
}

/** Copies the rows through the ndjson rewriter and gzip into the file `temporary`; returns their range. */
async function copyIntoFile(
  sequelize: Sequelize,
  transaction: Transaction,
  request: ArchiveRequest,
  temporary: string,
): Promise<ArchiveRange> {
  const range = new ArchiveRange(ID_INDEX, TIMESTAMP_INDEX);
  const rewriter = createCopyRewriter(request.table, { format: 'ndjson', columns: COLUMNS, formulaGuard: false }).observeRows(
    range.observe,
  );
  const select = COLUMNS.map((column) => `t.${quoteIdentifier(column.field)}`).join(', ');
  const sql = `COPY (${request.with === undefined ? '' : `WITH ${request.with} `}SELECT ${select} FROM ${request.from} AS t ORDER BY t.${ID}) TO STDOUT`;
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(temporary, { flags: 'r+' }));
  written.catch(() => undefined); // awaited below, or replaced by the copy's own error
  const restore = await utcIsoSession(sequelize, transaction);
  try {
    await streamCopy(transaction, sql, rewriter, gzip);
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined); // the file is closed before it is removed
    throw isFileError(error) ? ArchiveError.writeFailed(temporary, error) : error;
  }
  await restore();
  try {
    gzip.end();
    await written;
  } catch (error) {
    throw ArchiveError.writeFailed(temporary, error);
  }
  return range;
}

/** Flushes the written file to disk (`fsync`) and returns its size. */
async function syncFile(file: string): Promise<number> {
  try {
    const handle = await open(file, 'r');
    try {
      await handle.sync();
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw ArchiveError.writeFailed(file, error);
  }
}

/** Sets the transaction's TimeZone to UTC and DateStyle to ISO (what the rewriter reads); returns how to put them back. */
async function utcIsoSession(sequelize: Sequelize, transaction: Transaction): Promise<() => Promise<void>> {
  const [saved] = await sequelize.query<{ timeZone: string; dateStyle: string }>(
    `SELECT current_setting('TimeZone') AS "timeZone", current_setting('DateStyle') AS "dateStyle",
            set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO', true)`,
    { type: QueryTypes.SELECT, transaction },
  );
  return async () => {
    await sequelize.query(`SELECT set_config('TimeZone', $1, true), set_config('DateStyle', $2, true)`, {
      bind: [saved?.timeZone ?? 'UTC', saved?.dateStyle ?? 'ISO'],
      type: QueryTypes.SELECT,
      transaction,
    });
  };
}

/** An error of the file system (it has a `code` such as `ENOSPC` and a `syscall`), not of the database. */
function isFileError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'syscall' in error;
}
