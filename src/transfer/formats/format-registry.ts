import path from 'node:path';
import type { FormatAdapter, FormatName } from './format-adapter.js';

/** Every format, in the order help texts list them. */
export const FORMAT_NAMES: readonly FormatName[] = Object.freeze(['csv', 'tsv', 'json', 'ndjson', 'yaml', 'xlsx']);

const EXTENSIONS: Readonly<Record<string, FormatName>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.xlsx': 'xlsx',
};

/**
 * Whether `value` names a format.
 *
 * @example
 * ```ts
 * isFormatName('csv'); // true
 * ```
 */
export function isFormatName(value: unknown): value is FormatName {
  return typeof value === 'string' && (FORMAT_NAMES as readonly string[]).includes(value);
}

/**
 * The format a file name's extension implies, or null. A last `.gz` is skipped: the extension
 * before it names the format (whether input is compressed is told by its bytes, not its name).
 *
 * @example
 * ```ts
 * formatFromFileName('logs.jsonl'); // 'ndjson'
 * formatFromFileName('timeline_logs_..._ids-1-9.ndjson.gz'); // 'ndjson'
 * ```
 */
export function formatFromFileName(file: string): FormatName | null {
  const name = file.toLowerCase().endsWith('.gz') ? file.slice(0, -3) : file;
  return EXTENSIONS[path.extname(name).toLowerCase()] ?? null;
}

/**
 * Loads a format's adapter (lazily, so exceljs is only loaded for xlsx).
 *
 * @example
 * ```ts
 * const adapter = await loadFormat('ndjson');
 * ```
 */
export async function loadFormat(name: FormatName): Promise<FormatAdapter> {
  switch (name) {
    case 'csv':
    case 'tsv':
      return (await import('./csv-format.js')).delimitedFormat(name);
    case 'json':
      return (await import('./json-format.js')).jsonFormat();
    case 'ndjson':
      return (await import('./ndjson-format.js')).ndjsonFormat();
    case 'yaml':
      return (await import('./yaml-format.js')).yamlFormat();
    case 'xlsx':
      return (await import('./xlsx-format.js')).xlsxFormat();
  }
}
