/**
 * Creating a new cluster in an empty data folder with `initdb`.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { EmbeddedPostgresError, errorMessage } from './embedded-postgres-error.js';
import { programPath, type PostgresBinaries, spawnOptions } from './postgres-binaries.js';
import { lastLines } from './server-log.js';
import { chownToServerUser, type ServerUser } from './server-user.js';

/**
 * Creates the data folder when missing; it must be empty for `initdb`.
 *
 * @throws {EmbeddedPostgresError} when the folder holds anything.
 * @example
 * ```ts
 * createEmptyDataDir('/app/.data/postgres');
 * ```
 */
export function createEmptyDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const entries = fs.readdirSync(dataDir);
  if (entries.length > 0) {
    throw new EmbeddedPostgresError(
      `${dataDir} is neither empty nor a PostgreSQL data folder (it holds ${entries.slice(0, 3).join(', ')}...). ` +
        'Point dataDir at an empty or missing folder, or at an existing cluster.',
    );
  }
}

/**
 * Runs `initdb --auth=trust --no-sync -U postgres -E UTF8 --locale=C` on the empty `dataDir`, as
 * `user` (who is given the folder first) when Node is root.
 *
 * @throws {EmbeddedPostgresError} when initdb fails, with the last lines of its output.
 * @example
 * ```ts
 * createEmptyDataDir(dataDir);
 * await initCluster(binaries, dataDir, user);
 * ```
 */
export async function initCluster(binaries: PostgresBinaries, dataDir: string, user: ServerUser | null): Promise<void> {
  chownToServerUser(dataDir, user);
  const args = ['-D', dataDir, '--auth=trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale=C'];
  const { code, output } = await runToCompletion(programPath(binaries, 'initdb'), args, spawnOptions(binaries, user));
  if (code !== 0) throw new EmbeddedPostgresError(`initdb failed (exit code ${code}) for ${dataDir}.`, lastLines(output));
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
