import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ConfigurationError } from '../errors.js';

/** How a seal's `mac` is made: HMAC-SHA256 keyed by `sealKey`, or plain SHA-256 without a key. */
export type SealAlgorithm = 'hmac-sha256' | 'sha256';

/** The fewest bytes a `sealKey` may have: HMAC-SHA256's own output size. */
export const MIN_SEAL_KEY_BYTES = 32;

/**
 * The key the seals are made and checked with, resolved once at setup: its algorithm, a
 * fingerprint that names it without revealing it, and a MAC factory.
 */
export interface SealKey {
  readonly algorithm: SealAlgorithm;
  /** 16 hex digits of HMAC-SHA256(key, "timeline-logger seal key id"); null without a key. */
  readonly keyId: string | null;
  /** A fresh MAC (HMAC-SHA256 with the key, else SHA-256). */
  mac(): Hash | Hmac;
}

const KEY_ID_LABEL = 'timeline-logger seal key id';

/**
 * Validates the `sealKey` option: a string or bytes of at least {@link MIN_SEAL_KEY_BYTES}
 * bytes (e.g. `openssl rand -hex 32`), or undefined for plain SHA-256 seals.
 *
 * @throws ConfigurationError when the key is of another type or too short.
 * @example
 * ```ts
 * resolveSealKey(process.env.TIMELINE_SEAL_KEY).algorithm; // 'hmac-sha256'
 * resolveSealKey(undefined).keyId; // null
 * ```
 */
export function resolveSealKey(value: unknown): SealKey {
  if (value === undefined || value === null) {
    return Object.freeze({ algorithm: 'sha256', keyId: null, mac: () => createHash('sha256') });
  }
  const key = typeof value === 'string' ? Buffer.from(value, 'utf8') : value instanceof Uint8Array ? Buffer.from(value) : null;
  // The messages never quote the key: it must not reach a log.
  if (key === null) throw new ConfigurationError(`option sealKey must be a string or a Buffer (got ${typeof value})`);
  if (key.length < MIN_SEAL_KEY_BYTES) {
    throw new ConfigurationError(
      `option sealKey must have at least ${MIN_SEAL_KEY_BYTES} bytes (got ${key.length}); ` +
        'make one with `openssl rand -hex 32` and keep it outside the database',
    );
  }
  const keyId = createHmac('sha256', key).update(KEY_ID_LABEL).digest('hex').slice(0, 16);
  return Object.freeze({ algorithm: 'hmac-sha256', keyId, mac: () => createHmac('sha256', key) });
}
