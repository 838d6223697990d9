import type { Model, ModelStatic, Sequelize } from 'sequelize';
import type { ArchiveFile } from '../archive/archive-file.js';
import { describeValue } from '../errors.js';
import type { ResolvedTimelineOptions } from '../options.js';
import { positiveInteger } from '../transfer/positive-integer.js';

/**
 * What `TimelineLog.prune` deletes (logs older than `keepDays` days, or all of them) and how.
 *
 * @example
 * ```ts
 * const options: PruneOptions = { keepDays: 90, archiveDir: '/var/backups/timeline', onBatch: (done) => bar.update(done) };
 * ```
 */
export type PruneOptions = ({ keepDays: number; all?: never } | { all: true; keepDays?: never }) & {
  /** Count what would be deleted, deleting (and archiving) nothing. Defaults to `false`. */
  dryRun?: boolean;
  /** Called after each deleted batch (and each dropped partition) with the number of logs deleted so far (e.g. for a progress bar). Defaults to none. */
  onBatch?: (deletedSoFar: number) => void;
  /** Logs deleted per statement (and, with `archiveDir`, per archive file). Defaults to {@link PRUNE_BATCH_SIZE}. */
  batchSize?: number;
  /**
   * Write every batch, before its delete commits, as a gzip-compressed ndjson file in this
   * existing folder (the export format, which `import` reads back), named by the range it
   * holds. See docs/mail-and-prune.md, "Archiving what prune removes". Defaults to none (no archive).
   */
  archiveDir?: string;
  /** With `archiveDir`: called with each archive file once its batch's delete (or its partition's detach) has committed. Defaults to none. */
  onArchive?: (file: ArchiveFile) => void;
};

/** What pruning needs of the setup (a `TimelineRuntime` is one). */
export interface PruneSetup {
  readonly model: ModelStatic<Model>;
  readonly sequelize: Sequelize;
  readonly options: Pick<ResolvedTimelineOptions, 'now' | 'tableName' | 'userModel' | 'partitioning' | 'sealKey'>;
}

/** Rows deleted per statement: small enough that no statement holds its locks for long. */
export const PRUNE_BATCH_SIZE = 10_000;

const MS_PER_DAY = 86_400_000;

/** A validated prune: its cut-off (logs with `timestamp <= cutoff` go; null means every log) and batch size. */
export interface PrunePlan {
  readonly cutoff: Date | null;
  readonly batchSize: number;
}

/**
 * Checks a prune's options and works out its cut-off from `now`.
 *
 * @throws TypeError unless exactly one of `keepDays` (a non-negative integer) and `all: true` is given.
 * @throws ConfigurationError when `batchSize` is not a positive integer.
 * @example
 * ```ts
 * planPrune(new Date('2026-03-15T00:00:00Z'), { keepDays: 1 }); // { cutoff: 2026-03-14T00:00:00Z, batchSize: 10000 }
 * ```
 */
export function planPrune(now: Date, options: PruneOptions): PrunePlan {
  const { keepDays, all } = (options ?? {}) as { keepDays?: unknown; all?: unknown };
  if ((keepDays === undefined) === (all === undefined)) {
    throw new TypeError('prune needs exactly one of { keepDays: N } or { all: true }');
  }
  const batchSize = positiveInteger('batchSize', options.batchSize ?? PRUNE_BATCH_SIZE);
  if (options.archiveDir !== undefined && (typeof options.archiveDir !== 'string' || options.archiveDir === '')) {
    throw new TypeError(`archiveDir must be a folder path (got ${describeValue(options.archiveDir)})`);
  }
  if (all !== undefined) {
    if (all !== true) throw new TypeError(`all must be true (got ${describeValue(all)})`);
    return { cutoff: null, batchSize };
  }
  if (typeof keepDays !== 'number' || !Number.isInteger(keepDays) || keepDays < 0) {
    throw new TypeError(`keepDays must be a non-negative integer (got ${describeValue(keepDays)})`);
  }
  return { cutoff: new Date(now.getTime() - keepDays * MS_PER_DAY), batchSize };
}
