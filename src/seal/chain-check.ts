import { entriesDigest } from './seal-entries.js';
import type { SealKey } from './seal-key.js';
import { formatAnchor, linkMac, type SealLink } from './seal-link.js';
import type { StoredLink } from './seal-store.js';
import type { SealProblem } from './verify-result.js';

/** A verified anchor: the id of a link and the MAC it must have. */
export interface Anchor {
  readonly id: bigint;
  readonly mac: Buffer;
}

/**
 * Parses an anchor printed by `seal` (`<id>:<mac hex>`).
 *
 * @throws TypeError on anything else.
 * @example
 * ```ts
 * parseAnchor('42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'); // { id: 42n, mac }
 * ```
 */
export function parseAnchor(text: string): Anchor {
  const match = /^\s*([1-9]\d{0,18}):([0-9a-fA-F]{64})\s*$/.exec(String(text));
  if (match === null)
    throw new TypeError(`anchor must be "<seal id>:<64 hex digits>" as printed by seal (got ${JSON.stringify(String(text).slice(0, 80))})`);
  return { id: BigInt(match[1] as string), mac: Buffer.from(match[2] as string, 'hex') };
}

/**
 * Walks the seal chain link by link: each link must follow the one before (ids 1, 2, 3...), be
 * made with the verifying key, and carry the MAC of its content chained to the previous link's
 * stored MAC (so one altered link is reported alone), and a seal's entries must match their
 * digest. Reports each problem once.
 */
export class ChainCheck {
  readonly problems: SealProblem[] = [];
  #previous: SealLink | null = null;
  #links = 0;
  readonly #foreignKeys = new Set<string>();
  readonly #reported = new Set<string>();

  constructor(
    private readonly key: SealKey,
    private readonly anchor: Anchor | null,
  ) {}

  /** Links checked so far. */
  get links(): number {
    return this.#links;
  }

  /** The newest link checked, as an anchor (null: none). */
  get newest(): string | null {
    return this.#previous === null ? null : formatAnchor(this.#previous);
  }

  /** Checks the next link in chain order (and a seal's entries against their digest). */
  check(link: StoredLink): void {
    this.#links += 1;
    const expected = (this.#previous?.id ?? 0n) + 1n;
    // After a gap the previous MAC is unknown: the gap is the problem reported, not this link.
    const followsGap = link.id !== expected;
    if (followsGap) this.#report(expected, 'missing');
    if (this.anchor !== null && link.id === this.anchor.id && !link.mac.equals(this.anchor.mac)) this.#report(link.id, 'anchor');
    const foreign = link.algorithm !== this.key.algorithm || link.keyId !== this.key.keyId;
    if (foreign) {
      const name = `${link.algorithm}/${link.keyId ?? ''}`;
      if (!this.#foreignKeys.has(name)) this.#report(link.id, 'wrong-key');
      this.#foreignKeys.add(name);
    } else if (!followsGap && !linkMac(this.key, this.#previous?.mac ?? null, link).equals(link.mac)) {
      this.#report(link.id, 'modified');
    }
    this.#previous = link;
    if (link.kind !== 'seal' || link.entries === null) return;
    if (link.entriesSha256 === null || !entriesDigest(link.entries).equals(link.entriesSha256)) this.#report(link.id, 'modified');
  }

  /** Reports the anchor's link when the chain ends before it (seals removed from the end). */
  finish(): void {
    if (this.anchor !== null && (this.#previous === null || this.#previous.id < this.anchor.id)) this.#report(this.anchor.id, 'missing');
  }

  /** Reports `link` as modified (e.g. its entries were cleared although no prune removed its logs). */
  modified(link: SealLink): void {
    this.#report(link.id, 'modified');
  }

  #report(id: bigint, problem: SealProblem['problem']): void {
    const name = `${id}/${problem}`;
    if (this.#reported.has(name)) return;
    this.#reported.add(name);
    this.problems.push({ seal: id.toString(), problem });
  }
}
