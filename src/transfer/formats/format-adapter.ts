import type { Readable, Writable } from 'node:stream';
import { RawJson } from '../raw-json.js';
import type { ColumnKind } from '../widgets.js';

/** The file formats timeline-logger reads and writes. */
export type FormatName = 'csv' | 'tsv' | 'json' | 'ndjson' | 'yaml' | 'xlsx';

/** A column as formats see it. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** Options of a format's writer. */
export interface WriterOptions {
  /** The columns, in order. */
  readonly columns: readonly ColumnSpec[];
  /** Flat formats: prefix `'` to text cells a spreadsheet could run as formulas. */
  readonly formulaGuard: boolean;
  /** Start text output with a UTF-8 byte order mark (for Excel). */
  readonly bom: boolean;
}

/** Writes rows (cells in column order) to a stream, respecting backpressure. */
export interface RowWriter {
  /** Writes a batch of rows; resolves when the output is ready for more. */
  write(rows: readonly (readonly unknown[])[]): Promise<void>;
  /** Finishes the file (closing brackets, zip directory). Does not end the output stream. */
  end(): Promise<void>;
}

/** Options of a format's reader. */
export interface ReaderOptions {
  /** Flat formats: remove the `'` the formula guard added. */
  readonly formulaGuard: boolean;
  /**
   * The most decoded content to read, in bytes, where it can outgrow the input's own size:
   * xlsx checks what its archive unpacks to and the text of its cells against it.
   */
  readonly maxBytes: number;
}

/**
 * A row that could not be read (a line of broken JSON, a YAML item with a syntax error, a CSV
 * row with the wrong number of cells). The importer reports it as invalid with its row number.
 *
 * @example
 * ```ts
 * yield new UnreadableRow('is not valid JSON: Unexpected token o');
 * ```
 */
export class UnreadableRow {
  constructor(readonly reason: string) {}
}

/** What a reader yields per data row: column → cell, or why it could not be read. */
export type SourceRecord = Record<string, unknown> | UnreadableRow;

/**
 * A file format: a streaming writer and a streaming reader.
 *
 * @example
 * ```ts
 * const csv = await loadFormat('csv');
 * const writer = csv.createWriter(process.stdout, { columns, formulaGuard: true, bom: false });
 * await writer.write([['1', 'Post']]);
 * await writer.end();
 * ```
 */
export interface FormatAdapter {
  readonly name: FormatName;
  /** csv, tsv and xlsx: JSON columns as text, formula guard applies. */
  readonly flat: boolean;
  /** xlsx: never written to a terminal. */
  readonly binary: boolean;
  createWriter(output: Writable, options: WriterOptions): RowWriter;
  readRecords(input: Readable, options: ReaderOptions): AsyncIterable<SourceRecord>;
}

/**
 * Writes `text` to `output` and resolves once it can take more (waits for `drain`).
 *
 * @example
 * ```ts
 * await writeText(process.stdout, 'id,event\n');
 * ```
 */
export function writeText(output: Writable, text: string | Buffer): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    output.once('error', onError);
    const ready = output.write(text, (error) => {
      if (error) reject(error);
    });
    const done = (): void => {
      output.off('error', onError);
      resolve();
    };
    if (ready) done();
    else output.once('drain', done);
  });
}

/**
 * Builds an object from cells in column order.
 *
 * @example
 * ```ts
 * toObject([{ name: 'id', kind: 'key' }], ['7']); // { id: '7' }
 * ```
 */
export function toObject(columns: readonly ColumnSpec[], cells: readonly unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (let index = 0; index < columns.length; index += 1) {
    const cell = cells[index];
    result[(columns[index] as ColumnSpec).name] = cell instanceof RawJson ? cell.parse() : (cell ?? null);
  }
  return result;
}

/**
 * A function writing one row (cells in column order) as a compact JSON object, the same text
 * as `JSON.stringify(toObject(columns, cells))`, with {@link RawJson} cells spliced in as they
 * are (no parse and re-serialise per row).
 *
 * @example
 * ```ts
 * const line = jsonObjectText([{ name: 'id', kind: 'key' }]);
 * line([7]); // '{"id":7}'
 * ```
 */
export function jsonObjectText(columns: readonly ColumnSpec[]): (cells: readonly unknown[]) => string {
  const keys = columns.map((column, index) => `${index === 0 ? '{' : ''}${JSON.stringify(column.name)}:`);
  const count = keys.length;
  const scratch = new Array<string>(count);
  return (cells) => {
    if (count === 0) return '{}';
    for (let index = 0; index < count; index += 1) {
      const cell = cells[index];
      const value = cell instanceof RawJson ? cell.text : cell === null || cell === undefined ? 'null' : (JSON.stringify(cell) ?? 'null');
      scratch[index] = (keys[index] as string) + value;
    }
    return `${scratch.join(',')}}`;
  };
}
