/**
 * PostgreSQL refuses to run as root. When Node is root, `initdb` and `postgres` run as an
 * unprivileged account instead, which must own the folders the server writes and be able to
 * reach the data folder.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error.js';

/** The unprivileged account the server runs as when Node runs as root. */
export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The account the server must run as: `null` when Node is not root (the server runs as us). As
 * root: the owner of an existing non-root cluster, else `postgres`, else `nobody` (from
 * `/etc/passwd`).
 *
 * @param initialized Whether `dataDir` already holds a cluster.
 * @throws {EmbeddedPostgresError} as root when neither `postgres` nor `nobody` exists.
 * @example
 * ```ts
 * const user = chooseServerUser('/app/.data/postgres', true); // { name: 'postgres', uid: 999, gid: 999 } as root
 * ```
 */
export function chooseServerUser(dataDir: string, initialized: boolean): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const accounts = readPasswd();
  const owner = initialized ? fs.statSync(dataDir) : null;
  if (owner && owner.uid !== 0) {
    return accounts.find((account) => account.uid === owner.uid) ?? { name: `uid ${owner.uid}`, uid: owner.uid, gid: owner.gid };
  }
  const user = accounts.find((account) => account.name === 'postgres') ?? accounts.find((account) => account.name === 'nobody');
  if (!user)
    throw new EmbeddedPostgresError(
      'PostgreSQL refuses to run as root and neither a "postgres" nor a "nobody" user exists: create one, or run as a normal user.',
    );
  return user;
}

/**
 * Adds the search bit the server user needs on each parent of the data folder (a root-only
 * `mkdtemp` folder or `/root` would otherwise fail with "Permission denied"). Only `x` is added:
 * the user can pass through, not list.
 *
 * @example
 * ```ts
 * grantTraversal('/root/project/.data/postgres', user); // /root gets o+x when it lacks it
 * ```
 */
export function grantTraversal(dataDir: string, user: ServerUser): void {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) fs.chmodSync(dir, (stat.mode & 0o7777) | bit);
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * Gives `target` (a file or folder) to the server user; does nothing when there is none (Node
 * is not root, so the server runs as us and we own it already).
 *
 * @example
 * ```ts
 * chownToServerUser(socketDir, chooseServerUser(dataDir, true));
 * ```
 */
export function chownToServerUser(target: string, user: ServerUser | null): void {
  if (user) fs.chownSync(target, user.uid, user.gid);
}

/** The non-root accounts of `/etc/passwd`; `[]` when it cannot be read. */
function readPasswd(): ServerUser[] {
  let text: string;
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
