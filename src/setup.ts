import { Sequelize } from 'sequelize';
import { ConfigurationError } from './errors.js';
import { TimelineLog } from './model/timeline-log.js';
import { resolveOptions, type TimelineOptions } from './options.js';
import { currentCorrelationId } from './tracking/actor-context.js';

/**
 * Binds {@link TimelineLog} to your Sequelize connection with validated options. Call it once
 * at start-up (before `migrateTimeline`, `withTimeline` and `timelineRouter`).
 *
 * @returns the `TimelineLog` model, ready to use.
 * @throws ConfigurationError when an option is invalid.
 * @example
 * ```ts
 * import { setupTimeline, migrateTimeline } from 'timeline-logger';
 * const TimelineLog = setupTimeline(sequelize, { userModel: User, timeZone: 'Europe/Amsterdam' });
 * await migrateTimeline(sequelize);
 * ```
 */
export function setupTimeline(sequelize: Sequelize, options: TimelineOptions = {}): typeof TimelineLog {
  if (!(sequelize instanceof Sequelize)) {
    throw new ConfigurationError('argument sequelize must be a Sequelize instance (new Sequelize(url))');
  }
  if (sequelize.getDialect() !== 'postgres') {
    throw new ConfigurationError(
      `timeline-logger stores its logs in PostgreSQL (JSONB, timestamptz); this Sequelize uses ${sequelize.getDialect()}`,
    );
  }
  return TimelineLog.setup(sequelize, resolveOptions(options), currentCorrelationId);
}
