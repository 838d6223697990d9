import type { SealAlgorithm, SealKey } from './seal-key.js';

/** What a link of the seal chain records (see the seals migration): a seal of logs, or a prune's retention. */
export type SealLinkKind = 'seal' | 'retention';

/** One link of the seal chain, as stored in the seals table (without its entries). */
export interface SealLink {
  /** Its place in the chain, from 1. */
  readonly id: bigint;
  readonly kind: SealLinkKind;
  readonly sealedAt: Date;
  /** A seal covers the logs with `afterId < id <= throughId`; null for a retention link. */
  readonly afterId: bigint | null;
  readonly throughId: bigint | null;
  /** Logs sealed (a retention link: 0). */
  readonly logs: number;
  /** The columns sealed, in order; null for a retention link. */
  readonly columns: readonly string[] | null;
  /** The newest sealed timestamp in microseconds since 1970; null for a retention link or an empty seal. */
  readonly latestAt: bigint | null;
  /** A retention link: logs sealed with `timestamp <= cutoff` may be gone (null: every log). */
  readonly cutoff: Date | null;
  /** A seal: the SHA-256 of its entries. */
  readonly entriesSha256: Buffer | null;
  readonly algorithm: SealAlgorithm;
  readonly keyId: string | null;
  readonly mac: Buffer;
}

/** The version tag every MAC starts with, so a later format cannot be mistaken for this one. */
const MAC_FORMAT = 'timeline-logger seal v1';

/**
 * The MAC of `link` chained to `previous` (the previous link's MAC, or null for the first link):
 * HMAC-SHA256 (or SHA-256 without a key) over the JSON array of the format tag, the previous
 * MAC and every column of the link except its own MAC.
 *
 * @example
 * ```ts
 * const mac = linkMac(key, previous?.mac ?? null, link);
 * ```
 */
export function linkMac(key: SealKey, previous: Buffer | null, link: Omit<SealLink, 'mac'>): Buffer {
  const fields = [
    MAC_FORMAT,
    previous === null ? null : previous.toString('hex'),
    link.id.toString(),
    link.kind,
    link.sealedAt.toISOString(),
    link.afterId?.toString() ?? null,
    link.throughId?.toString() ?? null,
    link.logs,
    link.columns,
    link.latestAt?.toString() ?? null,
    link.cutoff?.toISOString() ?? null,
    link.entriesSha256?.toString('hex') ?? null,
    link.algorithm,
    link.keyId,
  ];
  return key.mac().update(JSON.stringify(fields), 'utf8').digest();
}

/**
 * The anchor of a chain's newest link, `<id>:<mac in hex>`: keep it outside the database (the
 * operator's log, a file, a webhook); `verify({ anchor })` then proves no link was removed from
 * the end since.
 *
 * @example
 * ```ts
 * formatAnchor(link); // '42:9f86d081884c7d65...'
 * ```
 */
export function formatAnchor(link: Pick<SealLink, 'id' | 'mac'>): string {
  return `${link.id}:${link.mac.toString('hex')}`;
}
