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
 * Packs entries (in id order) into a seal's `entries` bytes.
 *
 * @example
 * ```ts
 * packEntries([{ id: 7n, micros: 0n, digest }]).length; // 48
 * ```
 */
export function packEntries(entries: readonly SealEntry[]): Buffer {
  const bytes = Buffer.alloc(entries.length * ENTRY_BYTES);
  entries.forEach((entry, index) => {
    const at = index * ENTRY_BYTES;
    bytes.writeBigInt64BE(entry.id, at);
    bytes.writeBigInt64BE(entry.micros, at + 8);
    entry.digest.copy(bytes, at + 16);
  });
  return bytes;
}

/**
 * The entries packed in `bytes`, in order.
 *
 * @throws Error when `bytes` is not a whole number of entries.
 * @example
 * ```ts
 * unpackEntries(packEntries(entries)); // entries
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
 * entriesDigest(packEntries(entries)).length; // 32
 * ```
 */
export function entriesDigest(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
