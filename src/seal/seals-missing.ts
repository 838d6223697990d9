import { ConfigurationError } from '../errors.js';
import { databaseCode } from '../transfer/import-database-error.js';
import { sealsTable } from './seal-store.js';

/** PostgreSQL's `undefined_table`. */
const UNDEFINED_TABLE = '42P01';

/**
 * Runs `work`, turning PostgreSQL's "relation does not exist" for the seals table into a
 * ConfigurationError that says how to make it.
 *
 * @throws ConfigurationError when the seals table (or the timeline table) does not exist; whatever `work` throws otherwise.
 * @example
 * ```ts
 * await withSealsTable('timeline_logs', () => sealTimeline(setup));
 * ```
 */
export async function withSealsTable<T>(tableName: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (databaseCode(error) === UNDEFINED_TABLE) {
      throw new ConfigurationError(
        `the table ${tableName} or its seals table ${sealsTable(tableName).name} does not exist: run migrateTimeline(sequelize) (or \`timeline-logger migrate\`) first`,
        { cause: error },
      );
    }
    throw error;
  }
}
