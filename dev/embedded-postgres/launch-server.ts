/**
 * Starting a server on a data folder: `initdb` when it is new, then `postgres` on a private unix
 * socket, waiting until it accepts connections.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedPostgresError, errorMessage } from './embedded-postgres-error.js';
import { initCluster, requireEmptyOrMissing } from './init-cluster.js';
import { findPostgresBinaries, type PostgresBinaries, programPath, spawnOptions } from './postgres-binaries.js';
import { acceptsConnections, POLL_INTERVAL_MS, readPostmasterPid } from './postmaster-pid.js';
import { removeServerFolders, type RunningServer } from './running-server.js';
import { hasExited, spawnServerProcess, stopServerProcess } from './server-process.js';
import { openServerLog, readServerLogTail } from './server-log.js';
import { type ServerSettings, settingArgs, settingsPort } from './server-settings.js';
import { chooseServerUser, grantTraversal, type ServerUser } from './server-user.js';
import { prepareSocketDir } from './socket-dir.js';

/** What {@link launchServer} needs. */
export interface LaunchOptions {
  /** The data folder (absolute). */
  readonly dataDir: string;
  /** Validated server settings. */
  readonly settings: ServerSettings;
  /** Where the PostgreSQL programs are; found as `findPostgresBinaries` says when `undefined`. */
  readonly binDir: string | undefined;
  /** Delete `dataDir` when the start fails or the server is stopped. */
  readonly temporary: boolean;
  /** `Date.now()` value after which waiting for the server gives up. */
  readonly deadline: number;
}

/**
 * Starts a server on `options.dataDir` (running `initdb` first when it holds no cluster) and
 * resolves once it accepts connections. As root, the server runs as the user
 * `chooseServerUser` picks, and binaries that user cannot reach are copied next to the data
 * folder (see `findPostgresBinaries`). On failure nothing is left running, the socket folder is
 * removed and so is a temporary data folder (a folder holding something else is refused before
 * anything is touched).
 *
 * @throws {EmbeddedPostgresError} when PostgreSQL fails, with its last log lines; file system
 *   errors reject as they are.
 * @example
 * ```ts
 * const server = await launchServer({ dataDir, settings: {}, binDir: undefined, temporary: false, deadline: Date.now() + 30_000 });
 * ```
 */
export async function launchServer(options: LaunchOptions): Promise<RunningServer> {
  const { dataDir, settings, temporary } = options;
  const port = settingsPort(settings);
  const initialized = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  // Checked before anything can fail: a failed start deletes a temporary folder.
  if (!initialized) requireEmptyOrMissing(dataDir);
  const user = chooseServerUser(dataDir, initialized);
  let socketDir = '';
  try {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    if (user) grantTraversal(dataDir, user);
    const binaries = findPostgresBinaries(options.binDir, user, path.dirname(dataDir));
    if (!initialized) await initCluster(binaries, dataDir, user);
    socketDir = prepareSocketDir(dataDir, port, user);
    const child = await startServer({ binaries, dataDir, socketDir, port, settings, user, deadline: options.deadline });
    return { dataDir, socketDir, host: socketDir, port, child, temporary };
  } catch (error) {
    removeServerFolders({ dataDir, socketDir, temporary });
    throw error;
  }
}

interface ServerStart {
  binaries: PostgresBinaries;
  dataDir: string;
  socketDir: string;
  port: number;
  settings: ServerSettings;
  user: ServerUser | null;
  deadline: number;
}

async function startServer(start: ServerStart): Promise<ChildProcess> {
  const log = openServerLog(start.dataDir, start.user);
  const args = [
    '-D',
    start.dataDir,
    ...settingArgs(start.settings),
    '-c',
    'listen_addresses=',
    '-k',
    start.socketDir,
    '-p',
    String(start.port),
  ];
  let child: ChildProcess;
  try {
    // Not detached: a terminal's Ctrl-C reaches the server too, so it never outlives an app
    // that has no SIGINT handler. Output goes to a file: a pipe nobody drains would block it.
    child = spawnServerProcess(programPath(start.binaries, 'postgres'), args, {
      ...spawnOptions(start.binaries, start.user),
      stdio: ['ignore', log.fd, log.fd],
    });
  } finally {
    fs.closeSync(log.fd);
  }
  let spawnError: Error | null = null;
  child.on('error', (error) => (spawnError = error));
  try {
    await waitUntilReady(child, start, () => spawnError);
    return child;
  } catch (error) {
    await stopServerProcess(child);
    throw new EmbeddedPostgresError(
      `PostgreSQL did not start on ${start.dataDir}: ${errorMessage(error)}`,
      readServerLogTail(start.dataDir, log.offset),
      { cause: error },
    );
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
