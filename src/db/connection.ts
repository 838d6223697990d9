/**
 * Where the database comes from: `DATABASE_URL` when set, otherwise an embedded PostgreSQL
 * with a persistent data folder, so `npm start` works with nothing installed.
 */
import path from 'node:path';
import { type Options, Sequelize } from 'sequelize';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { nonEmpty } from './non-empty.js';

/** An open database: its URL, and the embedded server behind it, if any. */
export interface DatabaseHandle {
  /** A `postgres://` URL for Sequelize or `pg`. */
  readonly url: string;
  /** The embedded server serving `url`; `null` when `url` came from `DATABASE_URL` or `databaseUrl`. */
  readonly embedded: EmbeddedPostgres | null;
  /** Stops the embedded server when this handle started it; otherwise does nothing. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** The server to use. Defaults to `process.env.DATABASE_URL`; when both are unset or empty, an embedded server is used. */
  databaseUrl?: string;
  /** The embedded server's data folder, kept between runs. Defaults to `<cwd>/.data/postgres`. */
  dataDir?: string;
  /** The database on the embedded server, created when missing. Defaults to `'timeline_logger'`. */
  database?: string;
  /** Extra embedded server settings (`-c name=value`), e.g. `{ fsync: 'off' }`. Defaults to `{}`. */
  settings?: Readonly<Record<string, string>>;
}

/** The embedded database's default name. */
export const DEFAULT_DATABASE = 'timeline_logger';

/**
 * Opens the application's database: `options.databaseUrl ?? process.env.DATABASE_URL` when set
 * (nothing is started), otherwise an embedded PostgreSQL on a persistent data folder with the
 * database created if missing. A live server already running on that folder (another process
 * of the app) is reused. Call `close()` on shutdown.
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
  if (url) return { url, embedded: null, close: async () => undefined };
  const embedded = await EmbeddedPostgres.start({
    dataDir: options.dataDir ?? path.join(process.cwd(), '.data', 'postgres'),
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

/**
 * A Sequelize instance on `url`: `new Sequelize(url, { dialect: 'postgres', logging: false,
 * ...options })`. Unix socket URLs (`?host=/socket/dir`) work.
 *
 * @param options Sequelize options; they override the defaults (`dialect: 'postgres'`, `logging: false`).
 * @example
 * ```ts
 * const sequelize = createSequelize(process.env.DATABASE_URL!, { pool: { max: 10 } });
 * ```
 */
export function createSequelize(url: string, options: Options = {}): Sequelize {
  return new Sequelize(url, { dialect: 'postgres', logging: false, ...options });
}
