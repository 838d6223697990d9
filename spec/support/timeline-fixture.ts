import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, setupTimeline, type TimelineOptions, TimelineLog } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { defineTestModels, TEST_MODELS_MIGRATIONS_DIR, type TestModels } from './test-models.js';

/** The models of an app the library is set up in; its `User` becomes the `userModel`. */
export interface AppModels {
  User: ModelStatic<Model>;
}

/** An app's schema: how to bind its models, and the migrations that create their tables. */
export interface AppSchema<M extends AppModels> {
  /** Binds the app's models to `sequelize`. */
  readonly defineModels: (sequelize: Sequelize) => M;
  /** Folder of the app's migrations, run before the timeline's (whose user foreign key needs `users`). */
  readonly migrations: string;
}

/** The specs' own schema (spec/support/test-models.ts): users, posts, items and invoices. */
const TEST_SCHEMA: AppSchema<TestModels> = { defineModels: defineTestModels, migrations: TEST_MODELS_MIGRATIONS_DIR };

/** A fresh database with an app's tables and the timeline table, and the library set up on it. */
export interface TimelineFixture<M extends AppModels = TestModels> {
  readonly db: TestDatabase;
  readonly models: M;
  readonly TimelineLog: typeof TimelineLog;
}

/**
 * Creates this test file's database, binds the app's models (by default the test models: users,
 * posts, items, invoices), sets the library up with `options` (userModel defaults to the app's
 * User) and runs the migrations, exactly as an app would. A spec about another app (the demo)
 * passes that app's `schema`.
 *
 * @example
 * ```ts
 * const fixture = await createTimelineFixture({ now: () => FROZEN });
 * await fixture.TimelineLog.log(await fixture.models.Post.create({ title: 'Hello', authorId: null }));
 * ```
 */
export function createTimelineFixture(options?: TimelineOptions): Promise<TimelineFixture>;
export function createTimelineFixture<M extends AppModels>(options: TimelineOptions, schema: AppSchema<M>): Promise<TimelineFixture<M>>;
export async function createTimelineFixture(
  options: TimelineOptions = {},
  schema: AppSchema<AppModels> = TEST_SCHEMA,
): Promise<TimelineFixture<AppModels>> {
  const db = await createTestDatabase();
  const models = schema.defineModels(db.sequelize);
  const Timeline = setupTimeline(db.sequelize, { userModel: models.User, ...partitionedByDefault(options) });
  await createMigrator(db.sequelize, { folder: schema.migrations }).up();
  await migrateTimeline(db.sequelize);
  return { db, models, TimelineLog: Timeline };
}

/**
 * `options` as the run's project wants them: the `partitioned` project (env
 * `TIMELINE_PARTITIONED=1`, see vitest.config.ts) sets `partitioning: { interval: 'month' }` unless
 * the spec names `partitioning` itself (`partitioning: undefined` keeps a plain table).
 *
 * @example
 * ```ts
 * setupTimeline(sequelize, partitionedByDefault({ now: () => FROZEN }));
 * ```
 */
export function partitionedByDefault(options: TimelineOptions): TimelineOptions {
  if (process.env.TIMELINE_PARTITIONED !== '1' || 'partitioning' in options) return options;
  return { ...options, partitioning: { interval: 'month' } };
}

/** Whether this run is the `partitioned` project's (for the few specs that cannot hold on a partitioned table). */
export const PARTITIONED_RUN = process.env.TIMELINE_PARTITIONED === '1';

/**
 * Creates a test user named `username` (e-mail `<username>@example.com`); `fields` sets its
 * flags or another address.
 *
 * @example
 * ```ts
 * const admin = await createUser(fixture.models, 'admin', { isStaff: true, isSuperuser: true });
 * ```
 */
export async function createUser(
  models: TestModels,
  username: string,
  fields: Partial<{ isStaff: boolean; isSuperuser: boolean; email: string }> = {},
) {
  return models.User.create({ username, email: `${username}@example.com`, passwordHash: 'not a password hash', ...fields });
}

/**
 * Registers a test file's usual hooks: the fixture (on the test models) is created before all
 * tests (and dropped after them), and the timeline table is emptied before each test. Hooks the
 * file registers afterwards run after these, so they can use the fixture. Read it through the
 * returned object, whose fields are the fixture's once `beforeAll` has run.
 *
 * @example
 * ```ts
 * const fixture = useTimelineFixture({ now: () => FROZEN });
 * it('logs', async () => expect(await fixture.TimelineLog.count()).toBe(0));
 * ```
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
