/**
 * The library set up on a Sequelize with `replication` (writes to a primary, reads from its
 * streaming standby), as an app with read replicas configures it.
 */
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, setupTimeline, type TimelineLog, type TimelineOptions } from '../../src/index.js';
import { ReplicaPair } from './replica-pair.js';
import { defineTestModels, TEST_MODELS_MIGRATIONS_DIR, type TestModels } from './test-models.js';

const DATABASE = 'timeline_replica';

/** A replica pair, the app's test models and the library on a replicated connection. */
export interface ReplicatedFixture {
  readonly pair: ReplicaPair;
  /** The app's connection: `replication` with the standby as its one read replica. */
  readonly sequelize: Sequelize;
  /** A connection to the primary alone, for changes a spec makes behind the app's back. */
  readonly primary: Sequelize;
  readonly models: TestModels;
  readonly TimelineLog: typeof TimelineLog;
  /** Closes both connections and stops the pair. */
  close(): Promise<void>;
}

/**
 * Starts a replica pair, creates the test tables and the timeline table on the primary (as a
 * deploy job runs migrations against it), sets the library up on a replicated connection with
 * `options` (userModel: the test `User`) and waits until the standby has the tables.
 *
 * @example
 * ```ts
 * const fixture = await createReplicatedFixture();
 * await fixture.pair.pauseReplay();
 * ```
 */
export async function createReplicatedFixture(options: TimelineOptions = {}): Promise<ReplicatedFixture> {
  const pair = await ReplicaPair.start();
  try {
    await pair.createDatabase(DATABASE);
    const primary = pair.primarySequelize(DATABASE);
    await createMigrator(primary, { folder: TEST_MODELS_MIGRATIONS_DIR }).up();
    await migrateTimeline(primary);
    await pair.waitForReplay();
    const sequelize = pair.replicatedSequelize(DATABASE);
    const models = defineTestModels(sequelize);
    const Timeline = setupTimeline(sequelize, { userModel: models.User, ...options });
    return {
      pair,
      sequelize,
      primary,
      models,
      TimelineLog: Timeline,
      async close() {
        await sequelize.close();
        await primary.close();
        await pair.close();
      },
    };
  } catch (error) {
    await pair.close();
    throw error;
  }
}
