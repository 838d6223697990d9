import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

const MAX_MICROS = (1n << 63n) - 1n;

/**
 * The prunes recorded in the seal chain, for deciding whether a sealed log that is gone was
 * removed by retention: a log sealed by link `k` with timestamp `t` may be gone when a retention
 * link after `k` has a cut-off at or after `t` (or none: it pruned every log).
 */
export class RetentionCutoffs {
  /** Retention link ids, ascending, and the latest cut-off (µs) of that link and every later one. */
  readonly #ids: bigint[];
  readonly #latestFrom: bigint[];

  private constructor(links: readonly { id: bigint; cutoff: bigint }[]) {
    this.#ids = links.map((link) => link.id);
    this.#latestFrom = new Array<bigint>(links.length);
    let latest: bigint | null = null;
    for (let index = links.length - 1; index >= 0; index -= 1) {
      const cutoff = (links[index] as { cutoff: bigint }).cutoff;
      latest = latest === null || cutoff > latest ? cutoff : latest;
      this.#latestFrom[index] = latest;
    }
  }

  /**
   * Reads the retention links of `seals` (their MACs are checked with the rest of the chain).
   *
   * @example
   * ```ts
   * const cutoffs = await RetentionCutoffs.load(sequelize, transaction, '"timeline_logs_seals"');
   * ```
   */
  static async load(sequelize: Sequelize, transaction: Transaction, seals: string): Promise<RetentionCutoffs> {
    const rows = await sequelize.query<{ id: string; cutoff: string | null }>(
      `SELECT "id", ((EXTRACT(EPOCH FROM "cutoff") * 1000000)::numeric(30, 0))::text AS cutoff FROM ${seals} WHERE "kind" = 'retention' ORDER BY "id"`,
      { type: QueryTypes.SELECT, transaction },
    );
    return new RetentionCutoffs(rows.map((row) => ({ id: BigInt(row.id), cutoff: row.cutoff === null ? MAX_MICROS : BigInt(row.cutoff) })));
  }

  /**
   * The latest timestamp (µs) up to which the logs sealed by link `sealId` may have been pruned
   * since, or null when no prune came after it.
   *
   * @example
   * ```ts
   * cutoffs.prunedThrough(3n); // 1735689600000000n
   * ```
   */
  prunedThrough(sealId: bigint): bigint | null {
    let low = 0;
    let high = this.#ids.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#ids[middle] as bigint) > sealId) high = middle;
      else low = middle + 1;
    }
    return low < this.#ids.length ? (this.#latestFrom[low] as bigint) : null;
  }
}
