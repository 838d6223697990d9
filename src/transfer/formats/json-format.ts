import { pipeline, type Readable } from 'node:stream';
import streamArray from 'stream-json/streamers/stream-array.js';
import { jsonObjectText, writeText, type FormatAdapter, type SourceRecord } from './format-adapter.js';

/**
 * A JSON array of objects with native values. Written row by row and read with stream-json, so
 * neither side holds the whole file.
 *
 * @example
 * ```ts
 * const json = jsonFormat();
 * ```
 */
export function jsonFormat(): FormatAdapter {
  return {
    name: 'json',
    flat: false,
    binary: false,
    createWriter(output, options) {
      let count = 0;
      const line = jsonObjectText(options.columns);
      const prefix = options.bom ? '\ufeff' : '';
      return {
        async write(rows) {
          let text = '';
          for (const row of rows) {
            text += `${count === 0 ? `${prefix}[\n` : ',\n'}${line(row)}`;
            count += 1;
          }
          await writeText(output, text);
        },
        async end() {
          await writeText(output, count === 0 ? `${prefix}[]\n` : '\n]\n');
        },
      };
    },
    readRecords: (input) => readJsonArray(input),
  };
}

async function* readJsonArray(input: Readable): AsyncGenerator<SourceRecord> {
  const parser = streamArray.withParserAsStream();
  pipeline(input, parser, () => undefined); // an input error rejects the iteration below
  const items = parser as AsyncIterable<{ key: number; value: unknown }>;
  for await (const item of items) yield item.value as SourceRecord;
}
