import type { Command } from 'commander';
import { EXIT, type CliCommand } from '../cli-command.js';

/**
 * `timeline-logger migrate`: applies the package's migrations (the `timeline_logs` table and
 * its indexes); a no-op when they already ran.
 *
 * @example
 * ```sh
 * DATABASE_URL=postgres://localhost/app npx timeline-logger migrate
 * ```
 */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  configure(command: Command): void {
    command.description('Create or update the timeline_logs table (runs the package migrations; safe to repeat).');
  },
  async run(context) {
    const session = await context.openSession();
    try {
      // Loaded here, not at the top: umzug is a fifth of every other command's start-up.
      const { migrateTimeline } = await import('../../model/migrate-timeline.js');
      const applied = await migrateTimeline(session.sequelize);
      context.log(
        applied.length === 0
          ? context.t('Nothing to migrate: the timeline table is up to date.')
          : context.t('Applied {count} migration(s): {names}', { count: applied.length, names: applied.join(', ') }),
      );
      return EXIT.success;
    } finally {
      await session.close();
    }
  },
};
