import { randomUUID } from 'node:crypto';
import { describeValue } from '../errors.js';

/** `correlation_id` is `VARCHAR(64)`. */
export const MAX_CORRELATION_ID_LENGTH = 64;

/**
 * What a correlation id may be (SPEC §12): 1 to 64 characters of `A-Z a-z 0-9 . _ : -`. The same
 * rule holds for the `X-Request-Id` header, `runWithTimelineContext`, `log()`'s option, the
 * page's `?correlationId=` filter and imported files, so every stored id can be filtered on and
 * linked to without escaping.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** {@link CORRELATION_ID_PATTERN} in words, for error messages (a msgid of the locale catalogs). */
export const CORRELATION_ID_EXPECTED = '1 to 64 letters, digits, dots, underscores, colons or hyphens';

/**
 * Whether `value` is a well-formed correlation id.
 *
 * @example
 * ```ts
 * isCorrelationId('req-7f3a');         // true
 * isCorrelationId('<script>');         // false
 * isCorrelationId('x'.repeat(65));     // false
 * ```
 */
export function isCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

/**
 * A new correlation id: a random UUID (`crypto.randomUUID`).
 *
 * @example
 * ```ts
 * newCorrelationId(); // '0b7e3c8e-9d1f-4c55-8f0e-1f2a3b4c5d6e'
 * ```
 */
export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * The correlation id a request gets from its `X-Request-Id` header: the header as it is when it
 * is well-formed, else a new UUID. A malformed header (too long, spaces, markup, given twice) is
 * never used, not even cleaned up.
 *
 * @example
 * ```ts
 * correlationIdFromHeader('req-42');      // 'req-42'
 * correlationIdFromHeader('<script>');    // a new UUID
 * correlationIdFromHeader(undefined);     // a new UUID
 * ```
 */
export function correlationIdFromHeader(header: unknown): string {
  return isCorrelationId(header) ? header : newCorrelationId();
}

/**
 * `value` when it is a well-formed correlation id.
 *
 * @param name - how the caller names the value in the error (an argument or option name).
 * @throws TypeError naming `name` and the rule otherwise.
 * @example
 * ```ts
 * checkCorrelationId('job-17', 'correlationId'); // 'job-17'
 * checkCorrelationId('a b', 'correlationId');    // throws TypeError
 * ```
 */
export function checkCorrelationId(value: unknown, name: string): string {
  if (!isCorrelationId(value)) throw new TypeError(`${name} must be ${CORRELATION_ID_EXPECTED} (got ${describeValue(value)})`);
  return value;
}
