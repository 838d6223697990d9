import crypto from 'node:crypto';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { pgClientOf, TEXT_TYPES } from '../transfer/pg-client.js';
import { quoteIdentifier } from '../transfer/sql-identifier.js';

/**
 * The session settings under which every column's text form is the same on every server and
 * connection: timestamps in UTC and ISO style, intervals, floats and bytes in their defaults.
 * A seal is made, and checked, over these text forms. `SET LOCAL`: they end with the transaction.
 */
export const CANONICAL_SESSION =
  "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; " +
  "SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'";

/** One log as read for sealing: its id and every sealed column's text (null for SQL NULL), in the seal's column order. */
export type CanonicalRow = readonly (string | null)[];

/**
 * The timeline table's columns in the order a new seal covers them: `id` first, then the others
 * in the table's own order. Every column is sealed, including ones an app added.
 *
 * @example
 * ```ts
 * await sealedColumns(sequelize, transaction, '"timeline_logs"'); // ['id', 'content_type', 'object_id', ...]
 * ```
 */
export async function sealedColumns(sequelize: Sequelize, transaction: Transaction, table: string): Promise<string[]> {
  const rows = await sequelize.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attname <> 'id', a.attnum`,
    { bind: [table], type: QueryTypes.SELECT, transaction },
  );
  return rows.map((row) => row.name);
}

/**
 * The SHA-256 of `text`'s UTF-8 bytes: in one call with `crypto.hash` (Node 20.12 and later),
 * which skips making a hash object per row (a seal spent more time making them than hashing),
 * else through `createHash`. Both give the same digest.
 */
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest();

/**
 * The SHA-256 of a log's canonical form: the JSON array of its sealed columns' text forms
 * (`null` for SQL NULL), in the seal's column order, as UTF-8. PostgreSQL's text form makes a
 * value that is restored exactly seal the same again; `jsonb` has one text form whatever the key
 * order it was written in.
 *
 * @example
 * ```ts
 * rowDigest(['7', 'Post', '12', ...]).length; // 32
 * ```
 */
export function rowDigest(row: CanonicalRow): Buffer {
  return sha256(JSON.stringify(row));
}

/**
 * Reads `sql` (a SELECT of text columns) in `transaction` as arrays of text, without the driver
 * parsing any value.
 *
 * @example
 * ```ts
 * const rows = await selectText(transaction, 'SELECT id::text FROM t WHERE id > $1', ['10']);
 * ```
 */
export async function selectText(transaction: Transaction, sql: string, values: readonly unknown[] = []): Promise<(string | null)[][]> {
  const result = await pgClientOf(transaction).query({ text: sql, values, rowMode: 'array', types: TEXT_TYPES });
  return result.rows as (string | null)[][];
}

/**
 * The select list reading `columns` for sealing: each column by name (PostgreSQL's text form).
 *
 * @example
 * ```ts
 * selectList(['id', 'event']); // '"id", "event"'
 * ```
 */
export function selectList(columns: readonly string[]): string {
  return columns.map(quoteIdentifier).join(', ');
}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/**
 * Microseconds since 1970 from PostgreSQL's `EXTRACT(EPOCH FROM ts)` text (numeric with six
 * decimals from PostgreSQL 14), exactly; `Infinity`/`-Infinity` become the 64-bit extremes.
 *
 * @throws Error on text that is not such a number.
 * @example
 * ```ts
 * epochMicros('1467364080.500000'); // 1467364080500000n
 * epochMicros('-Infinity'); // -9223372036854775808n
 * ```
 */
export function epochMicros(text: string): bigint {
  if (text === 'Infinity') return MAX_INT64;
  if (text === '-Infinity') return MIN_INT64;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) throw new Error(`not an epoch in seconds: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole as string) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return sign === '-' ? -micros : micros;
}
