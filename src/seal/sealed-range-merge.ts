import { rowDigest, type CanonicalRow } from './canonical-row.js';
import { unpackEntries, type SealEntry } from './seal-entries.js';
import type { SealLink } from './seal-link.js';
import type { RetentionCutoffs } from './retention-cutoffs.js';
import type { LogProblemKind } from './verify-result.js';

/** A seal as the merge walks it: its link and its entries (null: a prune cleared them). */
export interface MergeSeal {
  readonly link: SealLink;
  readonly entries: Buffer | null;
}

/** Where the merge reports to. */
export interface MergeSink {
  problem(id: bigint, problem: LogProblemKind): void;
  /** A cleared seal whose logs no prune removed. */
  clearedWithoutPrune(link: SealLink): void;
}

/**
 * Walks the table's logs in id order alongside the seals in chain order (their id ranges follow
 * one another), comparing each log in a sealed range with its entry:
 *
 * - a log whose canonical row hashes differently is `modified`;
 * - an entry without its log is `missing`, unless a later prune recorded in the chain may have
 *   removed it (then it counts as `removed`);
 * - a log in a sealed range without an entry is `unexpected`;
 * - a log after the newest seal is `unsealed`.
 *
 * Memory holds one seal's entries at a time.
 */
export class SealedRangeMerge {
  checked = 0;
  unsealed = 0;
  removed = 0;
  #seal: MergeSeal | null = null;
  #entries: SealEntry[] = [];
  #next = 0;
  #columnIndexes: readonly number[] | null = null;
  #prunedThrough: bigint | null = null;

  constructor(
    private readonly columns: readonly string[],
    private readonly cutoffs: RetentionCutoffs,
    private readonly sink: MergeSink,
    private readonly nextSeal: () => Promise<MergeSeal | null>,
  ) {}

  /** Starts with the first seal; call before {@link SealedRangeMerge.row}. */
  async start(): Promise<void> {
    this.#enter(await this.nextSeal());
  }

  /**
   * Compares one log, read with `columns` (its id first), with the seals. Returns a promise only
   * when the log is past the current seal and the next seals must be read first (most logs are
   * compared at once, without a promise per log).
   */
  row(row: CanonicalRow): Promise<void> | undefined {
    const id = BigInt(row[0] as string);
    if (this.#seal !== null && id > (this.#seal.link.throughId as bigint)) return this.#advance(id).then(() => this.#compare(id, row));
    this.#compare(id, row);
    return undefined;
  }

  /** Leaves every seal that ends before `id`. */
  async #advance(id: bigint): Promise<void> {
    while (this.#seal !== null && id > (this.#seal.link.throughId as bigint)) {
      this.#leave();
      this.#enter(await this.nextSeal());
    }
  }

  #compare(id: bigint, row: CanonicalRow): void {
    const seal = this.#seal;
    if (seal === null) {
      this.unsealed += 1;
      return;
    }
    this.checked += 1;
    if (seal.link.afterId !== null && id <= seal.link.afterId) return this.sink.problem(id, 'unexpected');
    while (this.#next < this.#entries.length && (this.#entries[this.#next] as SealEntry).id < id)
      this.#gone(this.#entries[this.#next++] as SealEntry);
    const entry = this.#entries[this.#next];
    if (entry === undefined || entry.id !== id) return this.sink.problem(id, 'unexpected');
    this.#next += 1;
    if (!this.#canonical(row).equals(entry.digest)) this.sink.problem(id, 'modified');
  }

  /** Accounts for what is left once every log was read: the rest of the current seal and every later one. */
  async finish(): Promise<void> {
    while (this.#seal !== null) {
      this.#leave();
      this.#enter(await this.nextSeal());
    }
  }

  #enter(seal: MergeSeal | null): void {
    this.#seal = seal;
    this.#next = 0;
    this.#entries = [];
    this.#columnIndexes = null;
    if (seal === null) return;
    this.#prunedThrough = this.cutoffs.prunedThrough(seal.link.id);
    // Entries that do not match their digest are a reported seal problem; they still name the logs they list.
    if (seal.entries !== null) this.#entries = readableEntries(seal.entries);
    else this.#cleared(seal.link);
    const sealed = seal.link.columns ?? [];
    const same = sealed.length === this.columns.length && sealed.every((name, index) => name === this.columns[index]);
    if (!same) this.#columnIndexes = sealed.map((name) => this.columns.indexOf(name));
  }

  #leave(): void {
    while (this.#next < this.#entries.length) this.#gone(this.#entries[this.#next++] as SealEntry);
  }

  /** A seal whose entries a prune cleared: fine when a later prune may have removed all its logs. */
  #cleared(link: SealLink): void {
    const latest = link.latestAt;
    if (latest === null || (this.#prunedThrough !== null && latest <= this.#prunedThrough)) this.removed += link.logs;
    else this.sink.clearedWithoutPrune(link);
  }

  #gone(entry: SealEntry): void {
    if (this.#prunedThrough !== null && entry.micros <= this.#prunedThrough) this.removed += 1;
    else this.sink.problem(entry.id, 'missing');
  }

  /** The row's digest over the seal's columns (a column the table no longer has reads as a value no row can have). */
  #canonical(row: CanonicalRow): Buffer {
    const indexes = this.#columnIndexes;
    if (indexes === null) return rowDigest(row);
    if (indexes.includes(-1)) return Buffer.alloc(0);
    return rowDigest(indexes.map((index) => row[index] ?? null));
  }
}

/** The entries in `bytes`, or none when they are not even whole entries (the seal is reported as modified). */
function readableEntries(bytes: Buffer): SealEntry[] {
  try {
    return unpackEntries(bytes);
  } catch {
    return [];
  }
}
