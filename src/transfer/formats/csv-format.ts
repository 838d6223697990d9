import { parse } from 'csv-parse';
import { pipeline, type Readable, type Writable } from 'node:stream';
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
 * `COPY ... CSV` does, so both survive a round trip). Reading uses csv-parse. Writing quotes cells itself: RFC 4180 quoting is three rules,
 * and csv-stringify's per-cell machinery was the bottleneck of the export (about 5x slower
 * than this at 100k rows, measured in bench/transfer.ts).
 *
 * @example
 * ```ts
 * const tsv = delimitedFormat('tsv');
 * ```
 */
export function delimitedFormat(name: 'csv' | 'tsv'): FormatAdapter {
  const delimiter = name === 'csv' ? ',' : '\t';
  return {
    name,
    flat: true,
    binary: false,
    createWriter: (output, options) => delimitedWriter(output, options, delimiter),
    readRecords: (input, options) => readDelimited(input, options, delimiter),
  };
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

async function* readDelimited(input: Readable, options: ReaderOptions, delimiter: Delimiter): AsyncGenerator<SourceRecord> {
  // `raw` (cheap) instead of a `cast` function (10x slower): quoting only matters for empty cells.
  const parser = parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, raw: true });
  pipeline(input, parser, () => undefined); // an input error rejects the iteration below
  let header: string[] | null = null;
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
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
function quotedEmptyCells(raw: string, delimiter: Delimiter): Set<number> {
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
