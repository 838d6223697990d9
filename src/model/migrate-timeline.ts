import type { Sequelize } from 'sequelize';
import { createMigrator, PACKAGE_MIGRATIONS_DIR } from '../db/migrator.js';
import { ensurePartitionedTable } from './ensure-partitioned-table.js';
import { maintainPartitions } from './maintain-partitions.js';
import { TimelineLog } from './timeline-log.js';

/**
 * Applies the package's migrations (the `timeline_logs` table and its indexes). Call it after
 * `setupTimeline`, so the user foreign key targets the configured user model. Running it again
 * is a no-op. Returns the names of the migrations it applied.
 *
 * With the `partitioning` option, the table the migrations made is swapped for a
 * range-partitioned one while it is empty, and `TimelineLog.maintainPartitions()` runs.
 *
 * @throws ConfigurationError with `partitioning` set when the table is plain and holds logs (run
 * `timeline-logger partition` to convert it).
 * @example
 * ```ts
 * setupTimeline(sequelize, { userModel: User });
 * await migrateTimeline(sequelize);
 * ```
 */
export async function migrateTimeline(sequelize: Sequelize): Promise<string[]> {
  const applied = await createMigrator(sequelize, { folder: PACKAGE_MIGRATIONS_DIR }).up();
  const runtime = sequelize.models.TimelineLog === TimelineLog ? TimelineLog.runtime : null;
  if (runtime?.sequelize === sequelize && runtime.options.partitioning !== null) {
    await ensurePartitionedTable(sequelize, runtime.options.tableName);
    await maintainPartitions(runtime);
  }
  return applied.map((migration) => migration.name);
}
