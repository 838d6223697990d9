import type { Readable } from 'node:stream';
import { dump, load, YAMLException, type LoadOptions } from 'js-yaml';
import { ImportError } from '../../errors.js';
import { MAX_JSON_DEPTH } from '../json-value-check.js';
import { toObject, UnreadableRow, writeText, type FormatAdapter, type SourceRecord } from './format-adapter.js';
import { readLines } from './read-lines.js';

/** Whole documents that are not a block sequence are loaded at once; this caps them. */
const MAX_WHOLE_DOCUMENT = 64 * 1024 * 1024;
/**
 * Aliases are refused (`maxAliases: 0`): js-yaml keeps them as shared references, and writing
 * the rows out expands them, so nine lines of nested aliases made a 524-byte file a 4 GB heap
 * (issue 11). Nesting stops where JSON values do (the sequence and the row add two levels).
 */
const LOAD_OPTIONS: LoadOptions = { maxAliases: 0, maxDepth: MAX_JSON_DEPTH + 2 };

/**
 * YAML: a top-level block sequence of mappings (`- id: 1`), as django-import-export writes.
 * js-yaml's safe core schema only (no custom tags, timestamps stay text). Written item by item;
 * read item by item by splitting the sequence at its top-level `- ` lines, so large files
 * stream. Other layouts (flow style) are loaded whole, up to 64 MiB. Aliases (`*name`) are
 * refused: an item using one is an invalid row saying so.
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
  let itemLine = 0;
  let lineNumber = 0;
  const preamble: string[] = [];
  const lines = readLines(input);
  for await (const line of lines) {
    lineNumber += 1;
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
      yield* wholeDocument(preamble.join('\n'), lineNumber);
      return;
    }
    if (/^-(\s|$)/.test(line)) {
      if (item !== null) yield parseItem(item, itemLine);
      item = [line];
      itemLine = lineNumber;
    } else if (/^(---|\.\.\.)\s*$/.test(line)) {
      continue;
    } else (item as string[]).push(line);
  }
  if (item !== null) yield parseItem(item, itemLine);
}

function isFiller(line: string): boolean {
  return line.trim() === '' || line.startsWith('#') || /^(---|\.\.\.)\s*$/.test(line) || /^%/.test(line);
}

/** Parses one item, whose first line is line `firstLine` of the file. */
function parseItem(lines: readonly string[], firstLine: number): SourceRecord {
  try {
    const parsed = load(lines.join('\n'), LOAD_OPTIONS);
    const [value] = Array.isArray(parsed) ? (parsed as unknown[]) : [undefined];
    return value as SourceRecord;
  } catch (error) {
    return new UnreadableRow(yamlProblem(error, firstLine));
  }
}

function* wholeDocument(text: string, firstLine: number): Generator<SourceRecord> {
  let parsed: unknown;
  try {
    parsed = load(text, LOAD_OPTIONS);
  } catch (error) {
    throw new ImportError(`The YAML file cannot be read: it ${yamlProblem(error, firstLine)}.`);
  }
  if (parsed === null || parsed === undefined) return;
  if (!Array.isArray(parsed)) throw new ImportError('The YAML file must be a list of rows (a sequence of mappings).');
  for (const value of parsed) yield value as SourceRecord;
}

/**
 * Why js-yaml refused a text starting at line `firstLine` of the file, said as "the row ..." or
 * "it ..." continues: aliases and nesting in words of their own, the rest as js-yaml says.
 */
function yamlProblem(error: unknown, firstLine: number): string {
  if (!(error instanceof YAMLException)) return `is not valid YAML: ${(error as Error).message.split('\n')[0]}`;
  const line = firstLine + (error.mark?.line ?? 0);
  if (error.reason.startsWith('aliases exceeded maxAliases')) {
    const name = /^\*?([^\s,[\]{}]*)/.exec(error.mark?.buffer.slice(error.mark.position) ?? '')?.[1] ?? '';
    return (
      `uses a YAML alias (*${name} on line ${line}): aliases are not accepted, since a few of them can ` +
      'expand a small file into gigabytes; write the value out in full'
    );
  }
  if (error.reason.startsWith('nesting exceeded maxDepth')) return `is nested deeper than ${MAX_JSON_DEPTH} levels (line ${line})`;
  return `is not valid YAML: ${error.reason} (line ${line})`;
}
