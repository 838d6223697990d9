import { CsvError, Parser } from 'csv-parse';
import { constants } from 'node:buffer';
import { pipeline, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { ImportError } from '../../errors.js';
import { unguardFormula } from '../formula-guard.js';
import { delimitedCellWriter, type Delimiter } from './delimited-cell.js';
import {
  UnreadableRow,
  writeText,
  type FormatAdapter,
  type ReaderOptions,
  type SourceRecord,
  type WriterOptions,
} from './format-adapter.js';

/**
 * CSV (`,`) or TSV (tab) with a header row (RFC 4180 quoting; cells as `delimitedCellWriter`
 * writes them: null is an empty unquoted cell and the empty string is `""`, as PostgreSQL's
 * `COPY ... CSV` does, so both survive a round trip). Reading uses csv-parse. Writing quotes
 * cells itself: RFC 4180 quoting is three rules, and csv-stringify's per-cell machinery was the bottleneck of the export (about 5x slower
 * than this at 100k rows, measured in bench/transfer.ts).
 *
 * A row longer than `maxRecordLength` characters is an ImportError naming its line. Defaults
 * to half the longest string JavaScript can hold (`buffer.constants.MAX_STRING_LENGTH / 2`,
 * about 256 Mi characters), since csv-parse also keeps each row's raw text, quotes doubled: a
 * cell past the string limit crashed the process.
 *
 * @example
 * ```ts
 * const tsv = delimitedFormat('tsv');
 * ```
 */
export function delimitedFormat(name: 'csv' | 'tsv', options: { maxRecordLength?: number } = {}): FormatAdapter {
  const delimiter = name === 'csv' ? ',' : '\t';
  const maxRecordLength = options.maxRecordLength ?? Math.floor(constants.MAX_STRING_LENGTH / 2);
  return {
    name,
    flat: true,
    binary: false,
    createWriter: (output, writerOptions) => delimitedWriter(output, writerOptions, delimiter),
    readRecords: (input, readerOptions) => readDelimited(input, readerOptions, delimiter, maxRecordLength),
  };
}

/**
 * csv-parse's parser, except that an error thrown while it parses a chunk (turning a cell past
 * JavaScript's string limit into text) fails the reading instead of escaping as an uncaught
 * exception that ends the process.
 */
class GuardedParser extends Parser {
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      super._transform(chunk, encoding, callback);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      super._flush(callback);
    } catch (error) {
      callback(error as Error);
    }
  }
}

function delimitedWriter(output: Writable, options: WriterOptions, delimiter: Delimiter) {
  const cell = delimitedCellWriter(delimiter, options.formulaGuard);
  // Cells go into one reused array and are joined: no string concatenation per cell (the
  // intermediate strings made the garbage collector the export's largest cost).
  const scratch: string[] = [];
  const line = (cells: readonly unknown[]): string => {
    scratch.length = cells.length;
    for (let index = 0; index < cells.length; index += 1) scratch[index] = cell(cells[index]);
    return scratch.join(delimiter);
  };
  let started = false;
  const start = (): string => {
    started = true;
    return `${options.bom ? '\ufeff' : ''}${line(options.columns.map((column) => column.name))}`;
  };
  return {
    async write(rows: readonly (readonly unknown[])[]): Promise<void> {
      const lines: string[] = started ? [] : [start()];
      for (const row of rows) lines.push(line(row));
      if (lines.length === 0) return;
      lines.push('');
      await writeText(output, lines.join('\n'));
    },
    async end(): Promise<void> {
      if (!started) await writeText(output, `${start()}\n`);
    },
  };
}

async function* readDelimited(
  input: Readable,
  options: ReaderOptions,
  delimiter: string,
  maxRecordLength: number,
): AsyncGenerator<SourceRecord> {
  // `raw` (cheap) instead of a `cast` function (10x slower): quoting only matters for empty cells.
  const parser = new GuardedParser({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    raw: true,
    max_record_size: maxRecordLength,
  });
  pipeline(input, parser, () => undefined); // an input error rejects the iteration below
  try {
    yield* delimitedRecords(parser as AsyncIterable<{ record: string[]; raw: string }>, options, delimiter);
  } catch (error) {
    if (!(error instanceof CsvError) || error.code !== 'CSV_MAX_RECORD_SIZE') throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new ImportError(`Line ${line ?? '?'} is longer than ${maxRecordLength} characters, more than one row can be read from.`, {
      cause: error,
    });
  }
}

async function* delimitedRecords(
  parser: AsyncIterable<{ record: string[]; raw: string }>,
  options: ReaderOptions,
  delimiter: string,
): AsyncGenerator<SourceRecord> {
  let header: string[] | null = null;
  for await (const { record, raw } of parser) {
    if (header === null) {
      header = record;
      continue;
    }
    if (record.length !== header.length) {
      yield new UnreadableRow(`has ${record.length} cells where the header has ${header.length}`);
      continue;
    }
    const quotedEmpty = record.includes('') ? quotedEmptyCells(raw, delimiter) : null;
    const result: Record<string, unknown> = {};
    for (let index = 0; index < header.length; index += 1) {
      const value = record[index] as string;
      result[header[index] as string] =
        value === '' ? (quotedEmpty?.has(index) ? '' : null) : options.formulaGuard ? unguardFormula(value) : value;
    }
    yield result;
  }
}

/** Which cells of one raw CSV record are exactly `""` (an empty string, not null). */
function quotedEmptyCells(raw: string, delimiter: string): Set<number> {
  const result = new Set<number>();
  let position = 0;
  for (let index = 0; ; index += 1) {
    if (raw[position] === '"') {
      const start = position;
      position += 1;
      while (position < raw.length) {
        if (raw[position] === '"') {
          if (raw[position + 1] !== '"') break;
          position += 1;
        }
        position += 1;
      }
      position += 1;
      if (position - start === 2) result.add(index);
    }
    while (position < raw.length && raw[position] !== delimiter && raw[position] !== '\n' && raw[position] !== '\r') position += 1;
    if (raw[position] !== delimiter) return result;
    position += 1;
  }
}
