import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, setupTimeline } from '../../src/index.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { ROOT } from './bench-database.js';

/** What {@link createTimelineSchema} made: the demo models and the user every bench log names. */
export interface TimelineSchema {
  readonly models: DemoModels;
  readonly user: InstanceType<DemoModels['User']>;
}

/**
 * Wipes the database's `public` schema and builds it again: the demo app's tables, the timeline
 * table (through `setupTimeline` with the demo `User`, so `user_id` is a foreign key as in an
 * app), then the bench's own tables from `bench/migrations/<folder>`, and one user.
 *
 * @example
 * ```ts
 * const { models, user } = await createTimelineSchema(sequelize, 'tracking');
 * ```
 */
export async function createTimelineSchema(db: Sequelize, folder: string): Promise<TimelineSchema> {
  await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  const models = defineDemoModels(db);
  setupTimeline(db, { userModel: models.User });
  await createMigrator(db, { folder: path.join(ROOT, 'examples', 'migrations') }).up();
  await migrateTimeline(db);
  await createMigrator(db, { folder: path.join(ROOT, 'bench', 'migrations', folder), storageTable: 'BenchMeta' }).up();
  const user = await models.User.create({ username: 'bench', email: 'bench@example.com', passwordHash: '-' });
  return { models, user };
}
