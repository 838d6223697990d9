import path from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/connection.js';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, setupTimeline, type TimelineOptions } from '../../src/index.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { ROOT } from '../support/bench-database.js';
import { freshDatabase } from '../support/fresh-database.js';

/** One shape of the timeline table the bench measures: its name and the options that make it. */
export interface ScaleVariant {
  /** `plain` or `partitioned`. */
  readonly name: string;
  /**
   * Extra `setupTimeline` options. Typed loosely on purpose: `partitioning` is not an option of
   * every build this bench runs against, and a build without it ignores the key.
   */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The variants, plain first: the partitioned one is measured only when the build makes it. */
export const SCALE_VARIANTS: readonly ScaleVariant[] = [
  { name: 'plain', options: {} },
  { name: 'partitioned', options: { partitioning: { interval: 'month' } } },
];

/** A variant's own database, set up and migrated. */
export interface VariantDatabase {
  readonly sequelize: Sequelize;
  readonly url: string;
  readonly models: DemoModels;
  /** The timeline table's name, e.g. `timeline_logs`. */
  readonly table: string;
  /** Whether `migrateTimeline` made a partitioned table (`pg_partitioned_table` has it). */
  readonly partitioned: boolean;
}

/** What another bench changes in {@link openVariant}: its database prefix and extra options. */
export interface VariantSettings {
  /** The database is `<prefix>_<variant>`. Defaults to `timeline_bench_scale`. */
  readonly prefix?: string;
  /** More `setupTimeline` options, e.g. a `sealKey`. Defaults to none. */
  readonly options?: Partial<TimelineOptions>;
}

/**
 * Creates database `<prefix>_<variant>` on the server of `adminUrl` (wiped first),
 * sets the library up on it as an app does (the demo's models, `User` as the user model, the
 * variant's options, `now` from the caller so prune's cutoff can fall on a month boundary) and
 * runs the demo's and the timeline's migrations.
 *
 * @example
 * ```ts
 * const database = await openVariant(adminUrl, SCALE_VARIANTS[0], () => new Date());
 * ```
 */
export async function openVariant(
  adminUrl: string,
  variant: ScaleVariant,
  now: () => Date,
  settings: VariantSettings = {},
): Promise<VariantDatabase> {
  const url = await freshDatabase(adminUrl, `${settings.prefix ?? 'timeline_bench_scale'}_${variant.name}`);
  const sequelize = createSequelize(url, { pool: { max: 4 } });
  const models = defineDemoModels(sequelize);
  const options = { userModel: models.User, now, ...variant.options, ...settings.options } as TimelineOptions;
  const TimelineLog = setupTimeline(sequelize, options);
  await createMigrator(sequelize, { folder: path.join(ROOT, 'examples', 'migrations') }).up();
  await migrateTimeline(sequelize);
  const table = TimelineLog.getTableName() as string;
  return { sequelize, url, models, table, partitioned: await isPartitioned(sequelize, table) };
}

async function isPartitioned(sequelize: Sequelize, table: string): Promise<boolean> {
  const rows = await sequelize.query<{ partitioned: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass($table)) AS partitioned',
    { type: QueryTypes.SELECT, bind: { table } },
  );
  return rows[0]?.partitioned === true;
}
