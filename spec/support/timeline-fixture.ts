import { afterAll, beforeAll, beforeEach } from 'vitest';
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

/**
 * Registers a test file's usual hooks: the fixture is created before all tests (and dropped
 * after them), and the timeline table is emptied before each test. Hooks the file registers
 * afterwards run after these, so they can use the fixture. Read it through the returned object,
 * whose fields are the fixture's once `beforeAll` has run.
 */
export function useTimelineFixture(options: TimelineOptions = {}): TimelineFixture {
  let current: TimelineFixture | undefined;
  const ready = (): TimelineFixture => {
    if (!current) throw new Error('the timeline fixture is only ready inside tests and hooks');
    return current;
  };
  beforeAll(async () => {
    current = await createTimelineFixture(options);
  });
  afterAll(async () => {
    await current?.db.drop();
  });
  beforeEach(async () => {
    await ready().TimelineLog.destroy({ where: {}, truncate: true });
  });
  return {
    get db() {
      return ready().db;
    },
    get models() {
      return ready().models;
    },
    get TimelineLog() {
      return ready().TimelineLog;
    },
  };
}
