import { DataTypes } from 'sequelize';

/**
 * What values a key column can hold, so a text key (from a URL, a file, a stored `object_id`)
 * is checked before PostgreSQL would refuse to cast it and fail the whole query.
 */
export type KeyKind = 'smallint' | 'integer' | 'bigint' | 'uuid' | 'text';

const RANGES: Readonly<Record<'smallint' | 'integer' | 'bigint', readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};
const WHOLE_NUMBER = /^-?\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The kind of a Sequelize attribute type (a model's primary key).
 *
 * @example
 * ```ts
 * keyKindOfAttribute(User.getAttributes().id.type); // 'integer'
 * ```
 */
export function keyKindOfAttribute(type: unknown): KeyKind {
  if (type instanceof DataTypes.BIGINT) return 'bigint';
  if (type instanceof DataTypes.SMALLINT) return 'smallint';
  if (type instanceof DataTypes.INTEGER) return 'integer';
  if (type instanceof DataTypes.UUID) return 'uuid';
  return 'text';
}

/**
 * The kind of a PostgreSQL column type as `format_type` names it.
 *
 * @example
 * ```ts
 * keyKindOfSqlType('uuid'); // 'uuid'
 * ```
 */
export function keyKindOfSqlType(type: string): KeyKind {
  return type === 'smallint' || type === 'integer' || type === 'bigint' || type === 'uuid' ? type : 'text';
}

/**
 * Whether `text` is a value a key of `kind` can hold (a whole number in range, a UUID, any text).
 *
 * @example
 * ```ts
 * fitsKey('integer', '2147483648'); // false
 * fitsKey('uuid', 'not-a-uuid');    // false
 * ```
 */
export function fitsKey(kind: KeyKind, text: string): boolean {
  if (kind === 'text') return true;
  if (kind === 'uuid') return UUID.test(text);
  if (!WHOLE_NUMBER.test(text)) return false;
  const value = BigInt(text);
  const [min, max] = RANGES[kind];
  return value >= min && value <= max;
}

/**
 * The one spelling of a key that {@link fitsKey}: whole numbers without leading zeros, UUIDs in
 * lower case, text as it is.
 *
 * @example
 * ```ts
 * canonicalKey('integer', '007'); // '7'
 * ```
 */
export function canonicalKey(kind: KeyKind, text: string): string {
  if (kind === 'uuid') return text.toLowerCase();
  if (kind === 'text') return text;
  return String(BigInt(text));
}
