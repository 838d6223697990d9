import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options, Sequelize } from 'sequelize';
import { openDatabase } from '../../dev/open-database.js';
import { createSequelize } from '../../src/db/connection.js';

/** The embedded server's settings for benches: durability off, as on the test server. */
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A bench's database: its URL (for node-postgres), a Sequelize on it, and the way to close both. */
export interface BenchDatabase {
  readonly url: string;
  readonly sequelize: Sequelize;
  /** Closes the Sequelize pool, then stops the embedded server when this call started it. */
  close(): Promise<void>;
}

/**
 * Opens a bench's database: `DATABASE_URL` when set, else an embedded PostgreSQL in
 * `.data/bench-postgres` (fsync off, like the test server), in database `name` (created when
 * missing; each bench uses its own name, so two benches never wipe each other's tables).
 *
 * @example
 * ```ts
 * const database = await openBenchDatabase('timeline_bench', { pool: { max: 5 } });
 * try {
 *   await run(database.sequelize);
 * } finally {
 *   await database.close();
 * }
 * ```
 */
export async function openBenchDatabase(name: string, options: Options = {}): Promise<BenchDatabase> {
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'bench-postgres'),
    database: name,
    settings: SERVER_SETTINGS,
  });
  const sequelize = createSequelize(database.url, options);
  return {
    url: database.url,
    sequelize,
    close: async () => {
      try {
        await sequelize.close();
      } finally {
        await database.close();
      }
    },
  };
}
