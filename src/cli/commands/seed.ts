import type { Command } from 'commander';
import { QueryTypes, type Sequelize } from 'sequelize';
import { TimelineLoggerError } from '../../errors.js';
import { loadCheckoutHook } from '../checkout-hook.js';
import { EXIT, type CliCommand } from '../cli-command.js';

/** The demo app's tables; their schema (`--demo-schema`) comes with a checkout of the repository. */
const DEMO_TABLES = ['users', 'posts', 'items', 'invoices'];

/**
 * `timeline-logger seed`: loads the demo data set (users, posts, items, invoices and a few
 * hundred logs) once; recorded in `SequelizeData` like sequelize-cli's seeders, so repeating it
 * is a no-op. `--demo-schema` first creates the demo tables (checkout of the repository only).
 *
 * @example
 * ```sh
 * npx timeline-logger migrate && npx timeline-logger seed --demo-schema
 * ```
 */
export const seedCommand: CliCommand = {
  name: 'seed',
  configure(command: Command): void {
    command
      .description('Load the demo data set (needs the demo tables and the timeline table; safe to repeat).')
      .option('--demo-schema', 'first create the demo tables (users, posts, items, invoices) and the timeline table');
  },
  async run(context, { options }) {
    const session = await context.openSession();
    try {
      if (options.demoSchema === true) await createDemoSchema(session.sequelize);
      await assertDemoTables(session.sequelize, session.TimelineLog.getTableName() as string);
      const { createMigrator, PACKAGE_SEEDERS_DIR } = await import('../../db/migrator.js');
      const applied = await createMigrator(session.sequelize, { folder: PACKAGE_SEEDERS_DIR, storageTable: 'SequelizeData' }).up();
      context.log(
        applied.length === 0
          ? context.t('Nothing to seed: the demo data is already loaded.')
          : context.t('Loaded the demo data ({names}).', { names: applied.map((seeder) => seeder.name).join(', ') }),
      );
      return EXIT.success;
    } finally {
      await session.close();
    }
  },
};

async function createDemoSchema(sequelize: Sequelize): Promise<void> {
  const hook = await loadCheckoutHook();
  if (!hook) {
    throw new TimelineLoggerError(
      `The demo schema is only in a checkout of the timeline-logger repository (this CLI has no dev/ folder beside it); create the tables ${DEMO_TABLES.join(', ')} yourself.`,
    );
  }
  // Loaded here, not at the top: umzug is a fifth of every other command's start-up.
  const { createMigrator } = await import('../../db/migrator.js');
  const { migrateTimeline } = await import('../../model/migrate-timeline.js');
  await createMigrator(sequelize, { folder: hook.demoSchemaDir }).up();
  await migrateTimeline(sequelize);
}

async function assertDemoTables(sequelize: Sequelize, timelineTable: string): Promise<void> {
  const rows = await sequelize.query<{ name: string }>(
    "SELECT relname AS name FROM pg_class WHERE relkind IN ('r', 'p') AND pg_table_is_visible(oid)",
    { type: QueryTypes.SELECT },
  );
  const present = new Set(rows.map((row) => row.name));
  if (!present.has(timelineTable)) {
    throw new TimelineLoggerError(`The table ${timelineTable} does not exist: run timeline-logger migrate first.`);
  }
  const missing = DEMO_TABLES.filter((table) => !present.has(table));
  if (missing.length > 0) {
    throw new TimelineLoggerError(
      `The demo data needs the tables ${missing.join(', ')}: run timeline-logger seed --demo-schema (in a checkout of the repository), or npm start once.`,
    );
  }
}
