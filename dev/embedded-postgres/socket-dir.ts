/**
 * The folder holding the server's unix socket. Unix socket paths are limited to 107 bytes, so it
 * cannot live inside a deep project folder: it is a short folder per data folder under the
 * temporary folder.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError, errorCode } from './embedded-postgres-error.js';
import { currentUid, hasTrustedAncestry, inspectFolder } from './folder-trust.js';
import { chownToServerUser, type ServerUser } from './server-user.js';

/** sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/**
 * The socket folder of `dataDir`: `<tmpdir>/tlpg-<hash of its real path>`, or `/tmp/tlpg-<hash>`
 * when the temporary folder is too deep for the 107-byte socket path limit or other users could
 * rename its entries. `dataDir` must exist.
 *
 * @example
 * ```ts
 * socketDirFor('/app/.data/postgres', 5432); // '/tmp/tlpg-1a2b3c4d5e6f'
 * ```
 */
export function socketDirFor(dataDir: string, port: number): string {
  const name = `tlpg-${createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 12)}`;
  const usable = fits(path.join(os.tmpdir(), name), port) && hasTrustedAncestry(os.tmpdir(), [currentUid()]);
  const base = usable ? os.tmpdir() : '/tmp';
  return path.join(base, name);
}

/**
 * Creates (mode 0700, owned by the server user) and returns the socket folder of `dataDir` (see
 * {@link socketDirFor}). The server accepts anyone who reaches its socket (`--auth=trust`), so
 * the folder must be private: an existing one is reused only when it is a real folder (not a
 * symlink) owned by us or the server user and writable by its owner only. Anything else we own
 * there is deleted and made again; what belongs to another user is refused.
 *
 * @throws {EmbeddedPostgresError} when another user owns something by that name.
 * @example
 * ```ts
 * prepareSocketDir('/app/.data/postgres', 5432, null); // '/tmp/tlpg-1a2b3c4d5e6f'
 * ```
 */
export function prepareSocketDir(dataDir: string, port: number, user: ServerUser | null): string {
  const socketDir = socketDirFor(dataDir, port);
  const owners = user ? [currentUid(), user.uid] : [currentUid()];
  for (let attempt = 0; attempt < 2; attempt++) {
    makeFolder(socketDir);
    let trust = inspectFolder(socketDir, owners);
    if (trust === 'ours' && fs.lstatSync(socketDir).isDirectory()) {
      fs.chmodSync(socketDir, 0o700); // Ours, but open to others: close it, then look again.
      trust = inspectFolder(socketDir, owners);
    }
    if (trust === 'foreign') {
      throw new EmbeddedPostgresError(
        `The socket folder ${socketDir} (or something in it) belongs to another user than this process or the server user: ` +
          'someone may have made it to intercept connections. Check it and delete it, then start again.',
      );
    }
    if (trust === 'trusted') {
      chownToServerUser(socketDir, user);
      return socketDir;
    }
    fs.rmSync(socketDir, { recursive: true, force: true }); // Ours, but a symlink, a file or open to others.
  }
  throw new EmbeddedPostgresError(`The socket folder ${socketDir} keeps being replaced by something unsafe; check who makes it.`);
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

/** Makes `socketDir` (mode 0700) unless something by that name exists already. */
function makeFolder(socketDir: string): void {
  try {
    fs.mkdirSync(socketDir, { mode: 0o700 });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}
