import type { Readable } from 'node:stream';
import { readLines, toObject, UnreadableRow, writeText, type FormatAdapter, type SourceRecord } from './format-adapter.js';

/**
 * Newline-delimited JSON: one object per line, native values. Blank lines are skipped; a line
 * that is not valid JSON is an invalid row.
 *
 * @example
 * ```ts
 * const ndjson = ndjsonFormat();
 * ```
 */
export function ndjsonFormat(): FormatAdapter {
  return {
    name: 'ndjson',
    flat: false,
    binary: false,
    createWriter(output, options) {
      let started = false;
      return {
        async write(rows) {
          let text = !started && options.bom ? '\ufeff' : '';
          started = true;
          for (const row of rows) text += `${JSON.stringify(toObject(options.columns, row))}\n`;
          await writeText(output, text);
        },
        async end() {
          if (!started && options.bom) await writeText(output, '\ufeff');
        },
      };
    },
    readRecords: (input) => readNdjson(input),
  };
}

async function* readNdjson(input: Readable): AsyncGenerator<SourceRecord> {
  for await (const line of readLines(input)) {
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as SourceRecord;
    } catch (error) {
      yield new UnreadableRow(`is not valid JSON: ${(error as Error).message}`);
    }
  }
}
