/**
 * Creating a new cluster with `initdb` so that an interrupted run never leaves a half-made data
 * folder behind: initdb writes into a hidden sibling folder, renamed into place once it succeeded.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError, errorCode, errorMessage } from './embedded-postgres-error.js';
import { currentUid } from './folder-trust.js';
import { programPath, type PostgresBinaries, spawnOptions } from './postgres-binaries.js';
import { isProcessAlive } from './process-alive.js';
import { lastLines } from './server-log.js';
import { chownToServerUser, type ServerUser } from './server-user.js';

/**
 * Checks that `dataDir` is missing or an empty folder, as `initdb` needs.
 *
 * @throws {EmbeddedPostgresError} when the folder holds anything.
 * @example
 * ```ts
 * requireEmptyOrMissing('/app/.data/postgres');
 * ```
 */
export function requireEmptyOrMissing(dataDir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dataDir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if (entries.length === 0) return;
  throw new EmbeddedPostgresError(
    `${dataDir} is neither empty nor a PostgreSQL data folder (it holds ${entries.slice(0, 3).join(', ')}...). ` +
      'Point dataDir at an empty or missing folder, or at an existing cluster.',
  );
}

/**
 * Runs `initdb --auth=trust --no-sync -U postgres -E UTF8 --locale=C` for the missing or empty
 * `dataDir`, as `user` when Node is root. initdb writes into `.<name>.initdb-<pid>-<random>` next
 * to `dataDir`, which is renamed to `dataDir` when it succeeded and deleted when it failed; such
 * folders left by a killed process are deleted first. Only when `dataDir` is a mount point (it
 * cannot be replaced by a rename) does initdb write into it directly. The parent folder must
 * exist and, as root, be reachable by `user` (see `grantTraversal`).
 *
 * @throws {EmbeddedPostgresError} when `dataDir` is not empty, or initdb fails (with the last
 *   lines of its output).
 * @example
 * ```ts
 * await initCluster(binaries, '/app/.data/postgres', user);
 * ```
 */
export async function initCluster(binaries: PostgresBinaries, dataDir: string, user: ServerUser | null): Promise<void> {
  requireEmptyOrMissing(dataDir);
  const target = fs.existsSync(dataDir) ? fs.realpathSync(dataDir) : dataDir;
  removeAbandonedStagingFolders(target, user);
  if (isMountPoint(target)) return runInitdb(binaries, target, user, dataDir);
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `${stagingPrefix(target)}${process.pid}-`));
  try {
    await runInitdb(binaries, staging, user, dataDir);
    fs.renameSync(staging, target); // Replaces an empty folder, too.
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

async function runInitdb(binaries: PostgresBinaries, folder: string, user: ServerUser | null, dataDir: string): Promise<void> {
  chownToServerUser(folder, user);
  const args = ['-D', folder, '--auth=trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale=C'];
  const { code, output } = await runToCompletion(programPath(binaries, 'initdb'), args, spawnOptions(binaries, user));
  if (code !== 0) throw new EmbeddedPostgresError(`initdb failed (exit code ${code}) for ${dataDir}.`, lastLines(output));
}

function stagingPrefix(dataDir: string): string {
  return `.${path.basename(dataDir)}.initdb-`;
}

/** Deletes staging folders of `dataDir` whose process is gone, when they belong to us or the server user. */
function removeAbandonedStagingFolders(dataDir: string, user: ServerUser | null): void {
  const parent = path.dirname(dataDir);
  const prefix = stagingPrefix(dataDir);
  const owners = user ? [currentUid(), user.uid] : [currentUid()];
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) continue;
    const stat = fs.lstatSync(path.join(parent, name));
    if (stat.isDirectory() && owners.includes(stat.uid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isMountPoint(folder: string): boolean {
  return fs.existsSync(folder) && fs.statSync(folder).dev !== fs.statSync(path.dirname(folder)).dev;
}

/** Runs `file` and collects its stdout and stderr; `code` is `-1` when it could not run or was killed. */
function runToCompletion(file: string, args: string[], options: SpawnOptions): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: -1, output: `${output}\n${errorMessage(error)}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? -1, output: signal ? `${output}\nkilled by ${signal}` : output }));
  });
}
