import type { Sequelize } from 'sequelize';
import { listPartitions } from './list-partitions.js';

/** How long the page trusts the partition bounds it read, in milliseconds: one minute. */
export const PARTITION_EDGES_TTL_MS = 60_000;

/**
 * The bounds of a partitioned timeline table's range partitions (every `from` and `to`, in
 * milliseconds, ascending, without repeats), read from the catalog with {@link listPartitions}
 * and kept for {@link PARTITION_EDGES_TTL_MS}: the keyset page reads one partition's stretch at a
 * time along them (see `pageWindows`). Bounds a minute stale (a partition made or dropped since)
 * cost that page speed, never rows. An empty list for a table that is not partitioned.
 *
 * @example
 * ```ts
 * const edges = new PartitionEdges(sequelize, 'timeline_logs');
 * await edges.current(); // [1764547200000, 1767225600000, ...]
 * ```
 */
export class PartitionEdges {
  readonly #sequelize: Sequelize;
  readonly #table: string;
  readonly #clock: () => number;
  #read: { readonly at: number; readonly edges: Promise<readonly number[]> } | null = null;

  /**
   * @param clock - A monotonic clock in milliseconds, for the expiry. Defaults to `performance.now`.
   */
  constructor(sequelize: Sequelize, table: string, clock: () => number = () => performance.now()) {
    this.#sequelize = sequelize;
    this.#table = table;
    this.#clock = clock;
  }

  /** The bounds, read again when the last read is older than the TTL (concurrent callers share one read). */
  async current(): Promise<readonly number[]> {
    const now = this.#clock();
    if (this.#read === null || now - this.#read.at >= PARTITION_EDGES_TTL_MS) {
      const edges = this.#load();
      this.#read = { at: now, edges };
      // A failed read is not kept: the next page reads again.
      edges.catch(() => {
        if (this.#read?.edges === edges) this.#read = null;
      });
    }
    return this.#read.edges;
  }

  /**
   * Drops the bounds read so far: the next page reads them again. `TimelineLog.maintainPartitions`,
   * `prune` and `convertToPartitioned` call it once they have made or dropped partitions.
   */
  forget(): void {
    this.#read = null;
  }

  async #load(): Promise<readonly number[]> {
    const partitions = await listPartitions(this.#sequelize, this.#table);
    const edges = new Set<number>();
    for (const { from, to } of partitions) {
      if (from !== null) edges.add(from.getTime());
      if (to !== null) edges.add(to.getTime());
    }
    return Object.freeze([...edges].filter(Number.isFinite).sort((a, b) => a - b));
  }
}
