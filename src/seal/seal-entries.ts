import { createHash } from 'node:crypto';

/** Bytes per sealed log in a seal's `entries`: id and timestamp (signed 64-bit big-endian), then the row's SHA-256. */
export const ENTRY_BYTES = 48;

/** One sealed log: its id, its timestamp in microseconds since 1970, and the SHA-256 of its canonical row. */
export interface SealEntry {
  readonly id: bigint;
  readonly micros: bigint;
  readonly digest: Buffer;
}

/**
 * Writes entry number `index` (id, timestamp in microseconds, row digest) into `bytes`, a seal's
 * `entries` being packed in id order.
 *
 * @example
 * ```ts
 * const bytes = Buffer.alloc(ENTRY_BYTES);
 * packEntry(bytes, 0, { id: 7n, micros: 0n, digest });
 * ```
 */
export function packEntry(bytes: Buffer, index: number, entry: SealEntry): void {
  const at = index * ENTRY_BYTES;
  bytes.writeBigInt64BE(entry.id, at);
  bytes.writeBigInt64BE(entry.micros, at + 8);
  entry.digest.copy(bytes, at + 16);
}

/**
 * The entries packed in `bytes`, in order.
 *
 * @throws Error when `bytes` is not a whole number of entries.
 * @example
 * ```ts
 * unpackEntries(bytes); // [{ id: 7n, micros: 0n, digest }]
 * ```
 */
export function unpackEntries(bytes: Buffer): SealEntry[] {
  if (bytes.length % ENTRY_BYTES !== 0)
    throw new Error(`seal entries of ${bytes.length} bytes are not a whole number of ${ENTRY_BYTES}-byte entries`);
  const entries: SealEntry[] = [];
  for (let at = 0; at < bytes.length; at += ENTRY_BYTES) {
    entries.push({ id: bytes.readBigInt64BE(at), micros: bytes.readBigInt64BE(at + 8), digest: bytes.subarray(at + 16, at + ENTRY_BYTES) });
  }
  return entries;
}

/**
 * The SHA-256 of a seal's `entries`, which its MAC covers.
 *
 * @example
 * ```ts
 * entriesDigest(bytes).length; // 32
 * ```
 */
export function entriesDigest(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
