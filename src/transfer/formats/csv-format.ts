import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { pipeline, type Readable, type Writable } from 'node:stream';
import { guardFormula, unguardFormula } from '../formula-guard.js';
import { UnreadableRow, writeText, type FormatAdapter, type ReaderOptions, type SourceRecord, type WriterOptions } from './format-adapter.js';

/**
 * CSV (`,`) or TSV (tab) with a header row, via csv-stringify and csv-parse. Null is an empty
 * unquoted cell, the empty string is `""`, so both survive a round trip.
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

function delimitedWriter(output: Writable, options: WriterOptions, delimiter: string) {
  const settings = { delimiter, quoted_match: [/^$/, /\r/], record_delimiter: '\n', eof: true };
  let started = false;
  const start = (): string => {
    started = true;
    return (options.bom ? '\ufeff' : '') + stringify([options.columns.map((column) => column.name)], settings);
  };
  const cell = options.formulaGuard
    ? (value: unknown): unknown => (typeof value === 'string' ? guardFormula(value) : value)
    : (value: unknown): unknown => value;
  return {
    async write(rows: readonly (readonly unknown[])[]): Promise<void> {
      const header = started ? '' : start();
      await writeText(output, header + stringify(rows.map((row) => row.map(cell)), settings));
    },
    async end(): Promise<void> {
      if (!started) await writeText(output, start());
    },
  };
}

async function* readDelimited(input: Readable, options: ReaderOptions, delimiter: string): AsyncGenerator<SourceRecord> {
  const text = (value: string): string => (options.formulaGuard ? unguardFormula(value) : value);
  const parser = parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      cast: (value, context) => (context.quoting || value !== '' ? text(value) : null),
  });
  pipeline(input, parser, () => undefined); // an input error rejects the iteration below
  let header: string[] | null = null;
  for await (const cells of parser as AsyncIterable<(string | null)[]>) {
    if (header === null) {
      header = cells.map((cell) => cell ?? '');
      continue;
    }
    if (cells.length !== header.length) {
      yield new UnreadableRow(`has ${cells.length} cells where the header has ${header.length}`);
      continue;
    }
    const record: Record<string, unknown> = {};
    for (let index = 0; index < header.length; index += 1) record[header[index] as string] = cells[index];
    yield record;
  }
}
