import { parseIsoTimestampOrDate } from '../model/canonical-timestamp.js';
import { isFormatName, FORMAT_NAMES } from '../transfer/formats/format-registry.js';
import type { FormatName } from '../transfer/formats/format-adapter.js';
import { UsageError } from './usage-error.js';

/**
 * Option parsers shared by commands; each throws a {@link UsageError} (exit 2) naming the option.
 *
 * @example
 * ```ts
 * const format = formatOption(options.format, '--format');
 * ```
 */
export function formatOption(value: unknown, flag: string): FormatName | undefined {
  if (value === undefined) return undefined;
  if (!isFormatName(value)) throw new UsageError(`${flag} must be one of ${FORMAT_NAMES.join(', ')} (got ${JSON.stringify(value)})`);
  return value;
}

/**
 * A date (`2024-01-31`) or ISO 8601 date-time option, returned as given (the export filter
 * reads it, with the same parser).
 *
 * @example
 * ```ts
 * dateTimeOption('2024-01-31', '--until'); // '2024-01-31'
 * ```
 */
export function dateTimeOption(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!parseIsoTimestampOrDate(text).ok)
    throw new UsageError(
      `${flag} must be a date (2024-01-31) or an ISO 8601 date-time (2024-01-31T12:00:00Z) (got ${JSON.stringify(text)})`,
    );
  return text;
}

/**
 * A positive whole number option.
 *
 * @example
 * ```ts
 * positiveIntegerOption('500', '--batch-size'); // 500
 * ```
 */
export function positiveIntegerOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1 (got ${JSON.stringify(text)})`);
  return Number(text);
}

/**
 * A comma-separated list option (`--fields id,event`).
 *
 * @example
 * ```ts
 * listOption('id, event'); // ['id', 'event']
 * ```
 */
export function listOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
