import type { JsonValue } from '../model/to-json-value.js';
import { canonicalJson } from '../model/canonical-json.js';
import { toJsonValue } from '../model/to-json-value.js';

/** What a masked value is stored and shown as. */
export const MASKED_VALUE = '********';

/**
 * How a column's values are serialised and compared. `plain` covers strings, integers, booleans,
 * UUIDs and enums, which JSON stores as they are.
 */
export type ValueKind = 'plain' | 'json' | 'date' | 'dateonly' | 'decimal' | 'bigint' | 'float' | 'binary';

/** One tracked attribute of a model, as the diff needs it. */
export interface TrackedField {
  /** The attribute name (the key in `changes`). */
  readonly name: string;
  /** How its values are serialised (of the elements, for an array column). */
  readonly kind: ValueKind;
  /** True for an ARRAY column of `kind` elements. */
  readonly array: boolean;
  /** True when its values are stored as {@link MASKED_VALUE}. */
  readonly masked: boolean;
  /** True for a primary key: it is the log's `objectId`, so creates and deletes leave it out. */
  readonly primaryKey: boolean;
}

/** `{ field: [old, new] }`, the `changes` a tracked log stores in `extraData`. */
export type Changes = { [field: string]: [JsonValue, JsonValue] };

/** A row's attribute values, by attribute name. */
export type AttributeValues = Readonly<Record<string, unknown>>;

/**
 * The changes of a created row: `[null, value]` for every tracked field with a value (not the
 * primary key, which the log names as its object).
 *
 * @example
 * ```ts
 * createChanges([title], { id: 1, title: 'Hello' }); // { title: [null, 'Hello'] }
 * ```
 */
export function createChanges(fields: readonly TrackedField[], values: AttributeValues): Changes {
  const changes: Changes = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.primaryKey || value === null || value === undefined) continue;
    changes[field.name] = [null, shown(field, serialiseValue(field, value))];
  }
  return changes;
}

/**
 * The changes of an updated row: `[old, new]` for every tracked field whose value really
 * changed (compared by meaning: `'10.50'` equals `10.5` for a DECIMAL, dates by instant, JSON
 * regardless of key order). `candidates` limits the fields looked at (e.g. the fields a save
 * wrote); all tracked fields when omitted.
 *
 * @example
 * ```ts
 * updateChanges([title, body], { title: 'Hi', body: 'x' }, { title: 'Hello', body: 'x' }); // { title: ['Hi', 'Hello'] }
 * ```
 */
export function updateChanges(
  fields: readonly TrackedField[],
  before: AttributeValues,
  after: AttributeValues,
  candidates?: ReadonlySet<string>,
): Changes {
  const changes: Changes = {};
  for (const field of fields) {
    if (candidates !== undefined && !candidates.has(field.name)) continue;
    const old = serialiseValue(field, before[field.name]);
    const value = serialiseValue(field, after[field.name]);
    if (comparable(field, old) === comparable(field, value)) continue;
    changes[field.name] = [shown(field, old), shown(field, value)];
  }
  return changes;
}

/**
 * The changes of a deleted row: `[value, null]` for every tracked field that had a value (not
 * the primary key), so the log keeps what was removed.
 *
 * @example
 * ```ts
 * deleteChanges([title], { id: 1, title: 'Hello' }); // { title: ['Hello', null] }
 * ```
 */
export function deleteChanges(fields: readonly TrackedField[], values: AttributeValues): Changes {
  const changes: Changes = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.primaryKey || value === null || value === undefined) continue;
    changes[field.name] = [shown(field, serialiseValue(field, value)), null];
  }
  return changes;
}

/**
 * A column value as JSON, faithfully: DATE as an ISO 8601 instant, DATEONLY as `YYYY-MM-DD`,
 * DECIMAL and BIGINT as decimal strings (no precision lost), non-finite floats as strings,
 * binary as `\x` hex, JSON/JSONB as the JSON itself, arrays element by element.
 *
 * @example
 * ```ts
 * serialiseValue({ kind: 'bigint', array: false, ... }, 9007199254740993n); // '9007199254740993'
 * ```
 */
export function serialiseValue(field: Pick<TrackedField, 'kind' | 'array' | 'name'>, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (field.array && Array.isArray(value)) return value.map((item) => serialiseScalar(field.kind, item, field.name));
  return serialiseScalar(field.kind, value, field.name);
}

/**
 * True when a field name contains one of `patterns`, ignoring case (`apiToken` matches `token`).
 *
 * @example
 * ```ts
 * isMaskedField('apiToken', ['password', 'token', 'secret']); // true
 * ```
 */
export function isMaskedField(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return patterns.some((pattern) => lower.includes(pattern.toLowerCase()));
}

function shown(field: TrackedField, value: JsonValue): JsonValue {
  return field.masked && value !== null ? MASKED_VALUE : value;
}

function serialiseScalar(kind: ValueKind, value: unknown, name: string): JsonValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'date':
      return serialiseDate(value);
    case 'dateonly':
      return value instanceof Date ? serialiseDate(value).slice(0, 10) : String(value);
    case 'decimal':
    case 'bigint':
      return typeof value === 'object' ? toJsonValue(value, name) : String(value);
    case 'float':
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : toJsonValue(value, name);
    case 'binary':
      return Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : toJsonValue(value, name);
    case 'json':
      return toJsonValue(value, name);
    case 'plain':
      return serialisePlain(value, name);
  }
}

function serialiseDate(value: unknown): string {
  const date = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

function serialisePlain(value: unknown, name: string): JsonValue {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return toJsonValue(value, name);
}

/** A string equal for two serialised values exactly when they mean the same stored value. */
function comparable(field: TrackedField, value: JsonValue): string {
  if (value === null) return 'null';
  if (field.kind === 'decimal') {
    return Array.isArray(value) ? JSON.stringify(value.map(normaliseDecimal)) : JSON.stringify(normaliseDecimal(value));
  }
  return canonicalJson(value);
}

/** `'010.500'` and `'10.5'` are the same DECIMAL. */
function normaliseDecimal(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  const match = /^([+-]?)0*(\d*)(?:\.(\d*?)0*)?$/.exec(value.trim());
  if (match === null) return value;
  const [, sign, whole, fraction] = match;
  const digits = `${whole || '0'}${fraction ? `.${fraction}` : ''}`;
  return digits === '0' || sign !== '-' ? digits : `-${digits}`;
}
