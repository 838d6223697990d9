import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, setupTimeline, type TimelineOptions, TimelineLog } from '../../src/index.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { hashPassword } from '../../examples/auth.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const DEMO_MIGRATIONS = fileURLToPath(new URL('../../examples/migrations/', import.meta.url));
/** Hashing is deliberately slow, so test users share one hash of "demo". */
const DEMO_PASSWORD_HASH = hashPassword('demo');

/** A fresh database with the demo schema and the timeline table, and the library set up on it. */
export interface TimelineFixture {
  readonly db: TestDatabase;
  readonly models: DemoModels;
  readonly TimelineLog: typeof TimelineLog;
}

/**
 * Creates this test file's database, binds the demo models (users, posts, items, invoices),
 * sets the library up with `options` (userModel defaults to the demo User) and runs the
 * migrations, exactly as an app would.
 */
export async function createTimelineFixture(options: TimelineOptions = {}): Promise<TimelineFixture> {
  const db = await createTestDatabase();
  const models = defineDemoModels(db.sequelize);
  const Timeline = setupTimeline(db.sequelize, { userModel: models.User, ...options });
  await createMigrator(db.sequelize, { folder: path.resolve(DEMO_MIGRATIONS) }).up();
  await migrateTimeline(db.sequelize);
  return { db, models, TimelineLog: Timeline };
}

/** Creates a demo user. */
export async function createUser(models: DemoModels, username: string, fields: Partial<{ isStaff: boolean; isSuperuser: boolean; email: string }> = {}) {
  return models.User.create({ username, email: `${username}@example.com`, passwordHash: DEMO_PASSWORD_HASH, ...fields });
}
