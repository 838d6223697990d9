import { Model } from 'sequelize';

/** A value that survives a round trip through JSON (and PostgreSQL's JSONB) unchanged. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object (the usual shape of `extra_data`, which holds any {@link JsonValue}). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Whether a JSON value is an object (not a list, string, number, boolean or null): narrows a
 * log's `extraData` before reading its keys.
 *
 * @example
 * ```ts
 * const changes = isJsonObject(log.extraData) ? log.extraData.changes : undefined;
 * ```
 */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts a log's context into plain JSON before anything is written, so a bad value fails the
 * call instead of being silently dropped or mangled the way `JSON.stringify` would.
 *
 * Dates become ISO 8601 strings, Sequelize instances their plain values, BigInts decimal
 * strings, objects with `toJSON()` what it returns; `undefined` object members are left out and
 * become `null` in arrays. Functions, symbols, non-finite numbers, Maps, Sets and cycles are a
 * `TypeError` naming the path of the offending value.
 *
 * @param path - how the value is named in error messages. Defaults to `extraData`.
 * @example
 * ```ts
 * toJsonValue({ at: new Date(0), n: 10n }); // { at: '1970-01-01T00:00:00.000Z', n: '10' }
 * toJsonValue({ f() {} });                  // TypeError: extraData.f is a function, which JSON cannot store
 * ```
 */
export function toJsonValue(value: unknown, path = 'extraData'): JsonValue {
  return convert(value, path, []);
}

function convert(value: unknown, path: string, ancestors: object[]): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw unserialisable(path, `${String(value)}, which JSON cannot store`);
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'function':
      throw unserialisable(path, 'a function, which JSON cannot store');
    case 'symbol':
      throw unserialisable(path, 'a symbol, which JSON cannot store');
    default:
      return value === null ? null : convertObject(value as object, path, ancestors);
  }
}

function convertObject(value: object, path: string, ancestors: object[]): JsonValue {
  if (ancestors.includes(value)) throw unserialisable(path, 'a circular reference back to one of its parents');
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unserialisable(path, 'an invalid Date');
    return value.toISOString();
  }
  if (value instanceof Map || value instanceof Set) {
    throw unserialisable(path, `a ${value.constructor.name}; convert it to an ${value instanceof Map ? 'object' : 'array'} first`);
  }
  const inner = [...ancestors, value];
  if (value instanceof Model) return convert(value.get({ plain: true }), path, inner);
  if (Array.isArray(value)) return value.map((item, index) => convert(item, `${path}[${index}]`, inner));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return convert(toJSON.call(value), path, inner);
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    result[key] = convert(member, memberPath(path, key), inner);
  }
  return result;
}

function memberPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function unserialisable(path: string, what: string): TypeError {
  return new TypeError(`${path} is ${what}`);
}
