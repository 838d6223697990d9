import type { Readable } from 'node:stream';
import { dump, load } from 'js-yaml';
import { ImportError } from '../../errors.js';
import { toObject, UnreadableRow, writeText, type FormatAdapter, type SourceRecord } from './format-adapter.js';
import { readLines } from './read-lines.js';

/** Whole documents that are not a block sequence are loaded at once; this caps them. */
const MAX_WHOLE_DOCUMENT = 64 * 1024 * 1024;

/**
 * YAML: a top-level block sequence of mappings (`- id: 1`), as django-import-export writes.
 * js-yaml's safe core schema only (no custom tags, timestamps stay text). Written item by item;
 * read item by item by splitting the sequence at its top-level `- ` lines, so large files
 * stream. Other layouts (flow style) are loaded whole, up to 64 MiB.
 *
 * @example
 * ```ts
 * const yaml = yamlFormat();
 * ```
 */
export function yamlFormat(): FormatAdapter {
  return {
    name: 'yaml',
    flat: false,
    binary: false,
    createWriter(output, options) {
      let count = 0;
      return {
        async write(rows) {
          let text = count === 0 && options.bom ? '\ufeff' : '';
          for (const row of rows) text += dump([toObject(options.columns, row)], { lineWidth: -1, noRefs: true });
          count += rows.length;
          await writeText(output, text);
        },
        async end() {
          if (count === 0) await writeText(output, `${options.bom ? '\ufeff' : ''}[]\n`);
        },
      };
    },
    readRecords: (input) => readYaml(input),
  };
}

async function* readYaml(input: Readable): AsyncGenerator<SourceRecord> {
  let item: string[] | null = null;
  const preamble: string[] = [];
  const lines = readLines(input);
  for await (const line of lines) {
    if (item === null && !/^-(\s|$)/.test(line)) {
      if (isFiller(line)) continue;
      // Not a block sequence: load the rest as one document (its length kept as it grows, not re-measured).
      preamble.push(line);
      let length = line.length;
      for await (const rest of lines) {
        preamble.push(rest);
        length += rest.length + 1;
        if (length > MAX_WHOLE_DOCUMENT) {
          throw new ImportError(
            'This YAML file is not a block sequence ("- " items) and is too large to load whole: export it as a block sequence.',
          );
        }
      }
      yield* wholeDocument(preamble.join('\n'));
      return;
    }
    if (/^-(\s|$)/.test(line)) {
      if (item !== null) yield parseItem(item);
      item = [line];
    } else if (/^(---|\.\.\.)\s*$/.test(line)) {
      continue;
    } else (item as string[]).push(line);
  }
  if (item !== null) yield parseItem(item);
}

function isFiller(line: string): boolean {
  return line.trim() === '' || line.startsWith('#') || /^(---|\.\.\.)\s*$/.test(line) || /^%/.test(line);
}

function parseItem(lines: readonly string[]): SourceRecord {
  try {
    const parsed = load(lines.join('\n'));
    const [value] = Array.isArray(parsed) ? (parsed as unknown[]) : [undefined];
    return value as SourceRecord;
  } catch (error) {
    return new UnreadableRow(`is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

function* wholeDocument(text: string): Generator<SourceRecord> {
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (error) {
    throw new ImportError(`The YAML file cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return;
  if (!Array.isArray(parsed)) throw new ImportError('The YAML file must be a list of rows (a sequence of mappings).');
  for (const value of parsed) yield value as SourceRecord;
}
