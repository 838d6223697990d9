/**
 * The folder holding the server's unix socket. Unix socket paths are limited to 107 bytes, so it
 * cannot live inside a deep project folder: it is a short folder per data folder under the
 * temporary folder.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error.js';
import { chownToServerUser, type ServerUser } from './server-user.js';

/** sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/**
 * Creates (mode 0700, owned by the server user) and returns the socket folder of `dataDir`:
 * `<tmpdir>/tlpg-<hash of the real path>`, or `/tmp/tlpg-<hash>` when the temporary folder is too
 * deep for the socket path limit.
 *
 * @throws {EmbeddedPostgresError} when something other than a folder has that name.
 * @example
 * ```ts
 * prepareSocketDir('/app/.data/postgres', 5432, null); // '/tmp/tlpg-1a2b3c4d5e6f'
 * ```
 */
export function prepareSocketDir(dataDir: string, port: number, user: ServerUser | null): string {
  const name = `tlpg-${createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 12)}`;
  const base = fits(path.join(os.tmpdir(), name), port) ? os.tmpdir() : '/tmp';
  const socketDir = path.join(base, name);
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  if (!fs.lstatSync(socketDir).isDirectory()) throw new EmbeddedPostgresError(`${socketDir} exists and is not a folder; remove it.`);
  chownToServerUser(socketDir, user);
  return socketDir;
}

/**
 * Removes `socketDir` unless something (e.g. another server's socket) is still in it, it is
 * already gone, or it is `''` (none was made).
 *
 * @example
 * ```ts
 * removeSocketDir(server.socketDir);
 * ```
 */
export function removeSocketDir(socketDir: string): void {
  try {
    if (socketDir) fs.rmdirSync(socketDir);
  } catch {
    // Not empty or already gone: leave it.
  }
}

function fits(socketDir: string, port: number): boolean {
  return Buffer.byteLength(path.join(socketDir, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH;
}
