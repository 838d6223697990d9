import { ConfigurationError } from '../errors.js';
import type { SealKey } from './seal-key.js';
import type { SealLink } from './seal-link.js';

/**
 * Refuses to extend a chain whose newest link was made with another key (or with a key while
 * none is configured, or the other way round): the new link would be one `verify()` reports as
 * made with the wrong key.
 *
 * @param refusal what the caller does not do, e.g. `nothing was sealed`.
 * @throws ConfigurationError naming both sides (never the key itself).
 * @example
 * ```ts
 * assertChainKey(last, runtime.options.sealKey, 'nothing was deleted');
 * ```
 */
export function assertChainKey(last: SealLink, key: SealKey, refusal: string): void {
  if (last.algorithm === key.algorithm && last.keyId === key.keyId) return;
  const made = last.keyId === null ? 'without a sealKey' : 'with a sealKey';
  const now = key.keyId === null ? 'none is configured' : last.keyId === null ? 'one is configured' : 'the configured one is another';
  throw new ConfigurationError(
    `the timeline's seals were made ${made} and ${now}: configure the seal key they were made with (sealKey, or TIMELINE_SEAL_KEY for the CLI); ${refusal}`,
  );
}
