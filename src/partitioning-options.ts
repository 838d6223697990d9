import { ConfigurationError } from './errors.js';

/** The range one partition of the timeline table covers. */
export type PartitionInterval = 'month' | 'week' | 'day';

/**
 * The `partitioning` option of `setupTimeline` (SPEC §10): store the timeline in a table
 * range-partitioned on `timestamp`, one partition per `interval`, made `premake` intervals ahead
 * by `TimelineLog.maintainPartitions()`. Every field is optional; defaults are documented per field.
 *
 * @example
 * ```ts
 * setupTimeline(sequelize, { userModel: User, partitioning: { interval: 'week', premake: 4 } });
 * await migrateTimeline(sequelize); // a partitioned table, with this week's and 4 weeks' partitions
 * ```
 */
export interface PartitioningOptions {
  /** The range of one partition; weeks start on Monday (UTC). Defaults to `'month'`. */
  interval?: PartitionInterval;
  /** How many intervals after the current one get their partition ahead of time: an integer from 0 to 366. Defaults to `3`. */
  premake?: number;
}

/** {@link PartitioningOptions} with every default applied, validated and frozen. */
export interface ResolvedPartitioning {
  readonly interval: PartitionInterval;
  readonly premake: number;
}

const INTERVALS: readonly PartitionInterval[] = ['month', 'week', 'day'];
const MAX_PREMAKE = 366;

/**
 * Applies defaults to the `partitioning` option and validates it; null when it is not set (a
 * plain table).
 *
 * @throws ConfigurationError naming the field and the bad value.
 * @example
 * ```ts
 * resolvePartitioning({ interval: 'day' }); // { interval: 'day', premake: 3 }
 * resolvePartitioning(undefined);           // null
 * ```
 */
export function resolvePartitioning(options: PartitioningOptions | null | undefined): ResolvedPartitioning | null {
  if (options === undefined || options === null) return null;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw ConfigurationError.invalidOption('partitioning', 'an object such as { interval: "month" }', options);
  }
  const interval = options.interval ?? 'month';
  if (!INTERVALS.includes(interval)) {
    throw ConfigurationError.invalidOption('partitioning.interval', 'one of "month", "week", "day"', interval);
  }
  const premake = options.premake ?? 3;
  if (typeof premake !== 'number' || !Number.isInteger(premake) || premake < 0 || premake > MAX_PREMAKE) {
    throw ConfigurationError.invalidOption('partitioning.premake', `an integer from 0 to ${MAX_PREMAKE}`, premake);
  }
  return Object.freeze({ interval, premake });
}
