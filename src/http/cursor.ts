import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The position of a log in the timeline's total order `(timestamp DESC, id DESC)`:
 * its timestamp with PostgreSQL's full microsecond precision, and its id.
 */
export interface CursorKey {
  /** UTC timestamp with six decimals, e.g. `2016-07-01T09:08:00.123456Z`. */
  readonly timestamp: string;
  /** The log's id (a `bigint`, as a decimal string). */
  readonly id: string;
}

/** The key cursors are signed with when the router is given no `cursorSecret`. */
export const DEFAULT_CURSOR_SECRET = 'timeline-logger keyset cursor v1';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const ID = /^[1-9]\d{0,18}$/;
const MAX_BIGINT = 9223372036854775807n;
const SIGNATURE_BYTES = 12;
const SEPARATOR = '~';

/**
 * Encodes a cursor as an opaque, URL-safe token: the key in base64url, a dot, and a truncated
 * HMAC-SHA256 of it. Any change to the token makes {@link decodeCursor} reject it.
 *
 * @param secret HMAC key. Defaults to {@link DEFAULT_CURSOR_SECRET}.
 * @example
 * ```ts
 * const token = encodeCursor({ timestamp: '2016-07-01T09:08:00.000000Z', id: '42' });
 * decodeCursor(token); // { timestamp: '2016-07-01T09:08:00.000000Z', id: '42' }
 * ```
 */
export function encodeCursor(key: CursorKey, secret: string = DEFAULT_CURSOR_SECRET): string {
  if (!isCursorKey(key)) throw new TypeError(`encodeCursor: not a cursor key: ${JSON.stringify(key)}`);
  const payload = Buffer.from(`${key.timestamp}${SEPARATOR}${key.id}`, 'utf8');
  return `${payload.toString('base64url')}.${sign(payload, secret).toString('base64url')}`;
}

/**
 * The key of a token made by {@link encodeCursor} with the same secret, or null when the token
 * is malformed, altered, or holds an impossible timestamp or id.
 *
 * @param secret HMAC key. Defaults to {@link DEFAULT_CURSOR_SECRET}.
 * @example
 * ```ts
 * decodeCursor('not-a-cursor'); // null
 * ```
 */
export function decodeCursor(token: string, secret: string = DEFAULT_CURSOR_SECRET): CursorKey | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [encodedPayload, encodedSignature] = parts as [string, string];
  if (!isBase64Url(encodedPayload) || !isBase64Url(encodedSignature)) return null;
  const payload = Buffer.from(encodedPayload, 'base64url');
  const signature = Buffer.from(encodedSignature, 'base64url');
  // Round-tripping rejects non-canonical spellings of the same bytes.
  if (payload.toString('base64url') !== encodedPayload || signature.toString('base64url') !== encodedSignature) return null;
  const expected = sign(payload, secret);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  const [timestamp, id, ...rest] = payload.toString('utf8').split(SEPARATOR);
  const key = { timestamp: timestamp ?? '', id: id ?? '' };
  return rest.length === 0 && isCursorKey(key) ? key : null;
}

/**
 * Whether `key` is a well-formed cursor key: a real UTC instant with six decimals and a
 * positive `bigint` id.
 *
 * @example
 * ```ts
 * isCursorKey({ timestamp: '2016-02-30T00:00:00.000000Z', id: '1' }); // false (no such day)
 * ```
 */
export function isCursorKey(key: CursorKey): boolean {
  const match = TIMESTAMP.exec(key.timestamp);
  if (match === null || !ID.test(key.id) || BigInt(key.id) > MAX_BIGINT) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function sign(payload: Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, SIGNATURE_BYTES);
}

function isBase64Url(value: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value);
}
