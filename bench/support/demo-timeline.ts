import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, setupTimeline } from '../../src/index.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { demoTimelineOptions } from '../../examples/timeline-options.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Sets the library up as the demo app does (its models, `User` as the user model, its
 * templates and event labels) and creates the demo's tables and the timeline table.
 *
 * @example
 * ```ts
 * const models = await setUpDemoTimeline(sequelize);
 * app.use('/timeline', timelineRouter({ public: true }));
 * ```
 */
export async function setUpDemoTimeline(sequelize: Sequelize): Promise<DemoModels> {
  const models = defineDemoModels(sequelize);
  setupTimeline(sequelize, demoTimelineOptions(models));
  await createMigrator(sequelize, { folder: path.join(ROOT, 'examples', 'migrations') }).up();
  await migrateTimeline(sequelize);
  return models;
}
