/**
 * Widgets turn one column's value into a file cell (`render`) and a file cell back into a value
 * (`clean`), as in django-import-export. `clean` throws a {@link FieldValueError} whose message
 * is shown next to the row number in the import result.
 *
 * @module
 */
import { toJsonValue, type JsonValue } from '../model/to-json-value.js';
import { isoFromDate, parseIsoTimestamp } from '../model/canonical-timestamp.js';
import { jsonValueProblem } from './json-value-check.js';
import { RawJson } from './raw-json.js';

/** How a column is laid out in a file: formats use it (XLSX writes `datetime` as date cells). */
export type ColumnKind = 'text' | 'key' | 'datetime' | 'json';

/** What a widget renders for: flat formats (csv, tsv, xlsx) take text, the others native values. */
export interface RenderTarget {
  /** True for csv, tsv and xlsx: JSON is written as compact JSON text. */
  readonly flat: boolean;
}

/**
 * A cell could not be turned into a value; the message says what is wrong with it and ends up
 * in the import result next to the row number.
 *
 * @example
 * ```ts
 * throw new FieldValueError('must be a whole number (got "abc")');
 * ```
 */
export class FieldValueError extends Error {}

/**
 * Converts one column between its value and a file cell.
 *
 * @example
 * ```ts
 * const upper: Widget<string | null> = {
 *   kind: 'text',
 *   clean: (cell) => (cell === null ? null : String(cell).toUpperCase()),
 *   render: (value) => value,
 * };
 * ```
 */
export interface Widget<T> {
  /** The column's layout. */
  readonly kind: ColumnKind;
  /** A file cell (string, number, boolean, Date, JSON value or null) → the value. Throws {@link FieldValueError}. */
  clean(cell: unknown): T;
  /** The value → a file cell for `target`. */
  render(value: T, target: RenderTarget): unknown;
  /**
   * `render` also takes the column's JSON still as text (a {@link RawJson} holding PostgreSQL's
   * `jsonb` output, compacted), so exports can skip parsing it. Defaults to `false` (render gets
   * the parsed value).
   */
  readonly rendersJsonText?: boolean;
}

/** Options of {@link textWidget}. */
export interface TextWidgetOptions {
  /** The most characters a value may have. Defaults to no limit. */
  readonly maxLength?: number;
  /** Whether a value is required (null and the empty string are refused). Defaults to `false`. */
  readonly required?: boolean;
  /** A form every value must have, and how it is described ("must be <expected>"). Defaults to any text. */
  readonly pattern?: { readonly regex: RegExp; readonly expected: string };
}

/**
 * Text of at most `maxLength` characters (of `pattern`'s form, when given); null stays null.
 * Numbers are accepted as their text.
 *
 * @example
 * ```ts
 * textWidget({ maxLength: 64 }).clean('created'); // 'created'
 * textWidget({ pattern: { regex: /^[a-z]+$/, expected: 'lower-case letters' } }).clean('A'); // throws FieldValueError
 * ```
 */
export function textWidget(options: TextWidgetOptions = {}): Widget<string | null> {
  return {
    kind: 'text',
    clean(cell) {
      if (cell === null || cell === undefined) {
        if (options.required) throw new FieldValueError('is required');
        return null;
      }
      const text = typeof cell === 'number' || typeof cell === 'bigint' ? String(cell) : cell;
      if (typeof text !== 'string') throw new FieldValueError(`must be text (got ${kindOf(cell)})`);
      if (options.required && text === '') throw new FieldValueError('is required');
      if (options.maxLength !== undefined && text.length > options.maxLength) {
        throw new FieldValueError(`must be at most ${options.maxLength} characters (got ${text.length})`);
      }
      if (text.includes('\u0000')) throw new FieldValueError(NUL_MESSAGE);
      if (options.pattern !== undefined && !options.pattern.regex.test(text)) {
        throw new FieldValueError(`must be ${options.pattern.expected} (got ${JSON.stringify(text)})`);
      }
      return text;
    },
    render: renderAsIs,
  };
}

/**
 * A key (row id or user id): a whole number or any other non-empty text (UUIDs), kept as text
 * so bigints stay exact. Empty is null. With `integer`, only digits are accepted, written
 * without leading zeros (`007` is `7`); whether the number fits the column's type is checked
 * with the batch, against the table's real type. JSON numbers too large to be exact
 * (past 2^53) are refused: the digits the file meant are already lost.
 *
 * @example
 * ```ts
 * keyWidget().clean(42); // '42'
 * keyWidget({ integer: true }).clean(' 007 '); // '7'
 * ```
 */
export function keyWidget(options: { integer?: boolean } = {}): Widget<string | null> {
  return {
    kind: 'key',
    clean(cell) {
      if (cell === null || cell === undefined || cell === '') return null;
      const text = typeof cell === 'number' ? numberKey(cell, options.integer ?? false) : typeof cell === 'string' ? cell.trim() : null;
      if (text === null || text === '') throw new FieldValueError(`must be an id (got ${kindOf(cell)})`);
      if (text.includes('\u0000')) throw new FieldValueError(NUL_MESSAGE);
      if (!options.integer) return text;
      if (!/^\d+$/.test(text)) throw new FieldValueError(`must be a whole number (got ${kindOf(text)})`);
      return text.replace(/^0+(?=\d)/, '');
    },
    render: renderKey,
  };
}

/**
 * A timestamp: ISO 8601 text in, canonical `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds)
 * out. Dates (from spreadsheets) are accepted at their millisecond precision.
 *
 * @example
 * ```ts
 * timestampWidget().clean('2016-07-01 11:08:12+02:00'); // '2016-07-01T09:08:12.000000Z'
 * ```
 */
export function timestampWidget(options: { required?: boolean } = {}): Widget<string | null> {
  return {
    kind: 'datetime',
    clean(cell) {
      if (cell === null || cell === undefined || cell === '') {
        if (options.required) throw new FieldValueError('is required');
        return null;
      }
      if (cell instanceof Date) {
        if (Number.isNaN(cell.getTime())) throw new FieldValueError('is not a valid date');
        const year = cell.getUTCFullYear();
        // The same range as text timestamps (PostgreSQL's own ends in year 294276).
        if (year < 1 || year > 9999) throw new FieldValueError(`out of range (years 1 to 9999): ${JSON.stringify(cell.toISOString())}`);
        return isoFromDate(cell);
      }
      if (typeof cell !== 'string') throw new FieldValueError(`must be an ISO 8601 date-time (got ${kindOf(cell)})`);
      const parsed = parseIsoTimestamp(cell);
      if (!parsed.ok) throw new FieldValueError(parsed.reason);
      return parsed.iso;
    },
    render: renderAsIs,
  };
}

/**
 * A JSON column holding any JSON value (object, list, string, number, boolean), as Django's
 * JSONField does. One rule in every format: **a text cell is JSON text**, any other cell is the
 * value itself. So flat formats (csv, tsv, xlsx) write compact JSON text; json, ndjson and yaml
 * write objects, lists, numbers and booleans as themselves and a string value as its JSON text
 * (`"\"hello\""`), which is also how django-import-export writes the column everywhere. An empty
 * cell or JSON `null` is null. A value PostgreSQL's `jsonb` cannot hold unchanged is refused:
 * nested deeper than 200 levels, holding the NUL character, or `NaN`/`Infinity`.
 *
 * @example
 * ```ts
 * jsonWidget().clean('{"a":1}'); // { a: 1 }
 * jsonWidget().clean('["a"]'); // ['a']
 * jsonWidget().render({ a: 1 }, { flat: true }); // '{"a":1}'
 * jsonWidget().render('hello', { flat: false }); // '"hello"'
 * ```
 */
export function jsonWidget(options: { parseText?: (text: string) => JsonValue } = {}): Widget<JsonValue | RawJson | null> {
  const parseText = options.parseText ?? parseJsonText;
  return {
    kind: 'json',
    clean(cell) {
      if (cell === null || cell === undefined || cell === '') return null;
      if (typeof cell === 'string') return storable(parseText(cell));
      if (cell instanceof Date) throw new FieldValueError(`must be JSON (got ${kindOf(cell)})`);
      storable(cell); // before converting: toJsonValue recurses once per level of nesting
      try {
        return toJsonValue(cell, 'the value');
      } catch (error) {
        throw new FieldValueError(`must be JSON: ${(error as Error).message}`);
      }
    },
    rendersJsonText: true,
    render: renderJson,
  };
}

/** The built-in renderings, shared by every widget of their kind so {@link builtInRendering} can recognise them. */
function renderAsIs<T>(value: T): T {
  return value;
}

function renderKey(value: string | null, target: RenderTarget): string | number | null {
  return value === null || target.flat || !/^\d{1,15}$/.test(value) ? value : Number(value);
}

function renderJson(value: JsonValue | RawJson | null, target: RenderTarget): unknown {
  if (value === null) return null;
  if (value instanceof RawJson) return target.flat || value.text.startsWith('"') ? value.text : value;
  return target.flat || typeof value === 'string' ? JSON.stringify(value) : value;
}

/**
 * Which built-in rendering `widget` uses: `asIs` (text and timestamp widgets), `key`, `json`,
 * or null for a widget of its own. Exports whose every column renders the built-in way may
 * leave the formatting to a `COPY` statement, whose output is the same bytes.
 *
 * @example
 * ```ts
 * builtInRendering(keyWidget()); // 'key'
 * builtInRendering({ ...textWidget(), render: (value) => value }); // null
 * ```
 */
export function builtInRendering(widget: Widget<unknown>): 'asIs' | 'key' | 'json' | null {
  // Compared by identity, never called unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const render: unknown = widget.render;
  if (render === renderAsIs) return 'asIs';
  if (render === renderKey) return 'key';
  return render === renderJson ? 'json' : null;
}

/** `value`, unless PostgreSQL's `jsonb` cannot hold it unchanged (too deep, NUL, NaN). */
function storable<T>(value: T): T {
  const problem = jsonValueProblem(value);
  if (problem !== null) throw new FieldValueError(problem);
  return value;
}

function parseJsonText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new FieldValueError(`is not valid JSON: ${(error as Error).message}`);
  }
}

/** A JSON number as a key's text, or null when it is not one. */
function numberKey(cell: number, integer: boolean): string | null {
  if (Number.isSafeInteger(cell)) return String(cell);
  if (Number.isInteger(cell)) throw new FieldValueError(`is too large for a JSON number to hold exactly (got ${cell}): write it as text`);
  if (integer) throw new FieldValueError(`must be a whole number (got ${kindOf(cell)})`);
  return null;
}

const NUL_MESSAGE = 'must not contain the NUL character (\\u0000), which PostgreSQL cannot store';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return `${typeof value} ${String(value)}`;
}
