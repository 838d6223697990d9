import type { Readable } from 'node:stream';
import { jsonObjectText, UnreadableRow, writeText, type FormatAdapter, type SourceRecord } from './format-adapter.js';
import { readLines } from './read-lines.js';

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
      const line = jsonObjectText(options.columns);
      return {
        async write(rows) {
          const lines: string[] = [];
          for (const row of rows) lines.push(line(row));
          lines.push('');
          const text = lines.join('\n');
          await writeText(output, !started && options.bom ? `\ufeff${text}` : text);
          started = true;
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
