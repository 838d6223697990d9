/**
 * The database of the demo, the benches and the scripts: `DATABASE_URL` when set, otherwise an
 * embedded PostgreSQL with a persistent data folder, so `npm start` works with nothing installed.
 */
import { fileURLToPath } from 'node:url';
import { EmbeddedPostgres } from './embedded-postgres/embedded-postgres.js';
import { nonEmpty } from './embedded-postgres/non-empty.js';

/** An open database: its URL, and the embedded server behind it, if any. */
export interface DatabaseHandle {
  /** A `postgres://` URL for Sequelize or `pg`. */
  readonly url: string;
  /** The embedded server serving `url`; `null` when `url` came from `DATABASE_URL` or `databaseUrl`. */
  readonly embedded: EmbeddedPostgres | null;
  /** Stops the embedded server when this handle started it; otherwise does nothing. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openEmbeddedDatabase}. */
export interface EmbeddedDatabaseOptions {
  /** The embedded server's data folder, kept between runs. Defaults to {@link DEMO_DATA_DIR}. */
  dataDir?: string;
  /** The database on the embedded server, created when missing. Defaults to `'timeline_logger'`. */
  database?: string;
  /** Extra embedded server settings (`-c name=value`), e.g. `{ fsync: 'off' }`. Defaults to `{}`. */
  settings?: Readonly<Record<string, string>>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions extends EmbeddedDatabaseOptions {
  /** The server to use. Defaults to `process.env.DATABASE_URL`; when both are unset or empty, an embedded server is used. */
  databaseUrl?: string;
}

/** The embedded database's default name. */
export const DEFAULT_DATABASE = 'timeline_logger';

/** The demo's data folder: `.data/postgres` at the root of this checkout (git-ignored). */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../.data/postgres', import.meta.url));

/**
 * Opens the application's database: `options.databaseUrl ?? process.env.DATABASE_URL` when set
 * (nothing is started), otherwise {@link openEmbeddedDatabase}. Call `close()` on shutdown.
 *
 * @throws {EmbeddedPostgresError} when the embedded server cannot be started.
 * @example
 * ```ts
 * const database = await openDatabase({ database: 'blog' });
 * const sequelize = createSequelize(database.url);
 * process.on('SIGINT', async () => {
 *   await sequelize.close();
 *   await database.close();
 *   process.exit(0);
 * });
 * ```
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const url = nonEmpty(options.databaseUrl) ?? nonEmpty(process.env.DATABASE_URL);
  if (url) return { url, embedded: null, close: () => Promise.resolve() };
  return openEmbeddedDatabase(options);
}

/**
 * An embedded PostgreSQL on a persistent data folder, with the database created if missing. A
 * live server already running on that folder (another process of the app, e.g. `npm start`)
 * is attached to and left running on `close()`.
 *
 * @throws {EmbeddedPostgresError} when the server cannot be started.
 * @example
 * ```ts
 * const database = await openEmbeddedDatabase(); // the demo's, in .data/postgres
 * console.log(database.url); // postgres://postgres@localhost/timeline_logger?host=/tmp/tlpg-...
 * await database.close();
 * ```
 */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<DatabaseHandle> {
  const embedded = await EmbeddedPostgres.start({
    dataDir: options.dataDir ?? DEMO_DATA_DIR,
    settings: options.settings ?? {},
  });
  const database = options.database ?? DEFAULT_DATABASE;
  try {
    await embedded.ensureDatabase(database);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: embedded.url(database), embedded, close: () => embedded.stop() };
}
