import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isoFromDate, parseIsoTimestamp } from '../../model/canonical-timestamp.js';
import { ImportError } from '../../errors.js';
import { guardFormula, unguardFormula } from '../formula-guard.js';
import {
  UnreadableRow,
  type ColumnSpec,
  type FormatAdapter,
  type ReaderOptions,
  type SourceRecord,
  type WriterOptions,
} from './format-adapter.js';
import { spoolInput } from './spooled-input.js';
import { checkUnpackedSize } from './unpacked-size.js';

/** Suffix of the text column that keeps a date column's exact value (microseconds). */
export const EXACT_TIMESTAMP_SUFFIX = '_iso';
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss.000';

/**
 * XLSX via exceljs's streaming writer and reader (one worksheet, header row first).
 *
 * Date-time columns are real date cells (UTC, shown as `yyyy-mm-dd hh:mm:ss.000`). Spreadsheet
 * dates stop at milliseconds, so each one is followed at the end of the row by a text column
 * `<name>_iso` with the exact ISO 8601 value (microseconds). On import the exact text wins
 * while it agrees with the date cell to the millisecond; when someone edited the date cell, the
 * date cell wins. Every other value is written as text (JSON included), so nothing can become a
 * formula or hyperlink; formulas in imported files are never evaluated: their cached values are read.
 *
 * @example
 * ```ts
 * const xlsx = xlsxFormat();
 * ```
 */
export function xlsxFormat(): FormatAdapter {
  return {
    name: 'xlsx',
    flat: true,
    binary: true,
    createWriter: (output, options) => xlsxWriter(output, options),
    readRecords: (input, options) => readXlsx(input, options),
  };
}

function xlsxWriter(output: Writable, options: WriterOptions) {
  // exceljs ends the stream it writes to; a pass-through keeps `output` (maybe stdout) open.
  const sink = new PassThrough();
  sink.pipe(output, { end: false });
  const finished = once(sink, 'end');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('timeline_logs');
  const dateIndexes = options.columns.flatMap((column, index) => (column.kind === 'datetime' ? [index] : []));
  const header = [
    ...options.columns.map((column) => column.name),
    ...dateIndexes.map((index) => `${(options.columns[index] as ColumnSpec).name}${EXACT_TIMESTAMP_SUFFIX}`),
  ];
  sheet.columns = header.map((name, index) => ({
    header: name,
    key: name,
    width: dateIndexes.includes(index) ? 24 : 18,
    ...(dateIndexes.includes(index) ? { style: { numFmt: DATE_FORMAT } } : {}),
  }));
  const text = options.formulaGuard ? (value: string): string => escapeXString(guardFormula(value)) : escapeXString;
  return {
    async write(rows: readonly (readonly unknown[])[]): Promise<void> {
      for (const row of rows) {
        const cells = row.map((value) => (typeof value === 'string' ? text(value) : (value ?? null)));
        for (const index of dateIndexes) {
          const exact = row[index];
          cells[index] = typeof exact === 'string' ? new Date(exact.slice(0, 23) + 'Z') : null;
          cells.push(typeof exact === 'string' ? exact : null);
        }
        sheet.addRow(cells).commit();
      }
      await sheetDrained(sheet);
    },
    async end(): Promise<void> {
      sheet.commit();
      await workbook.commit();
      await finished;
    },
  };
}

/**
 * exceljs never pushes back: its sheet buffer forwards rows to the zip entry whatever that
 * entry's backlog, so a fast producer fills memory with rows waiting to be deflated. Wait for
 * the entry to drain (exceljs internals, checked defensively) to keep memory flat.
 */
async function sheetDrained(sheet: ExcelJS.Worksheet): Promise<void> {
  // exceljs bundles readable-stream 2: its PassThrough has `_writableState.needDrain`, not `writableNeedDrain`.
  const entry = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
    (Writable & { _writableState?: { needDrain?: boolean; length?: number } }) | undefined;
  const state = entry?._writableState;
  if (entry && state?.needDrain) await once(entry, 'drain');
  // Below the high-water mark no 'drain' comes: let the deflater catch up, a bounded number of turns.
  for (let turn = 0; turn === 0 || (turn < 1000 && (state?.length ?? 0) > 0); turn += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Reads the archive twice, from a temporary copy: first counting what it unpacks to (a small
 * xlsx can unpack to gigabytes), then with exceljs, counting the text its cells hold (cells that
 * share a string count it each time they use it).
 */
async function* readXlsx(input: Readable, options: ReaderOptions): AsyncGenerator<SourceRecord> {
  const copy = await spoolInput(input);
  const archive = copy.open();
  try {
    await checkUnpackedSize(copy.open(), options.maxBytes);
    let text = 0;
    for await (const record of readWorkbook(archive, options)) {
      text += textLength(record);
      if (text > options.maxBytes) {
        throw new ImportError(
          `The xlsx file's cells hold more than ${options.maxBytes} characters of text (a shared string counts each time a cell uses it): split it, or raise maxBytes (--max-bytes).`,
        );
      }
      yield record;
    }
  } finally {
    archive.destroy();
    await copy.remove();
  }
}

function textLength(record: SourceRecord): number {
  if (record instanceof UnreadableRow) return 0;
  let length = 0;
  for (const value of Object.values(record)) if (typeof value === 'string') length += value.length;
  return length;
}

async function* readWorkbook(input: Readable, options: ReaderOptions): AsyncGenerator<SourceRecord> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  for await (const worksheet of workbook) {
    let header: string[] | null = null;
    for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]).slice(1);
      if (header === null) {
        header = values.map((value) => String(cellValue(value, options) ?? ''));
        continue;
      }
      yield recordFromRow(header, values, options);
    }
    return; // the first worksheet only
  }
}

function recordFromRow(header: readonly string[], values: readonly unknown[], options: ReaderOptions): SourceRecord {
  const record: Record<string, unknown> = {};
  for (let index = 0; index < header.length; index += 1) {
    const value = cellValue(values[index], options);
    if (value instanceof UnreadableRow) return new UnreadableRow(`column ${header[index]}: ${value.reason}`);
    record[header[index] as string] = value;
  }
  for (const name of header) {
    if (!name.endsWith(EXACT_TIMESTAMP_SUFFIX)) continue;
    const base = name.slice(0, -EXACT_TIMESTAMP_SUFFIX.length);
    if (!Object.hasOwn(record, base)) continue;
    record[base] = reconcile(record[base], record[name]);
    delete record[name];
  }
  return record;
}

/** The exact text wins while it agrees with the date cell to the millisecond (the cell was not edited). */
function reconcile(dateCell: unknown, exact: unknown): unknown {
  if (typeof exact !== 'string' || !(dateCell instanceof Date)) return dateCell ?? exact ?? null;
  const parsed = parseIsoTimestamp(exact);
  if (!parsed.ok) return dateCell;
  return isoFromDate(dateCell).slice(0, 23) === parsed.iso.slice(0, 23) ? parsed.iso : dateCell;
}

function cellValue(value: unknown, options: ReaderOptions): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return options.formulaGuard ? unguardFormula(unescapeXString(value)) : unescapeXString(value);
  if (typeof value !== 'object' || value instanceof Date) return value;
  const cell = value as Record<string, unknown>;
  if ('formula' in cell || 'sharedFormula' in cell)
    return cell.result === undefined ? new UnreadableRow('a formula without a cached value') : cellValue(cell.result, options);
  if ('error' in cell) return new UnreadableRow(`an error cell (${String(cell.error)})`);
  if (Array.isArray(cell.richText)) return cellValue((cell.richText as { text: string }[]).map((part) => part.text).join(''), options);
  if ('text' in cell) return cellValue(cell.text, options);
  return new UnreadableRow('an unsupported cell');
}

/**
 * OOXML's escape for characters XML cannot hold or would normalise (`\r` becomes `\n` in XML):
 * `_xHHHH_`, with a literal `_x` before four hex digits and `_` escaped as `_x005F_`. Excel
 * reads and writes strings this way.
 */
function escapeXString(text: string): string {
  return text.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_').replace(
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot hold, removed on purpose
    /[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]/g,
    (char) => `_x${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );
}

function unescapeXString(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}
