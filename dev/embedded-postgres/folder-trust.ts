/**
 * Whether a folder other local users could have planted or could still change may be trusted:
 * checked with `lstat` (symlinks are never followed), by owner and write bits.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { errorCode } from './embedded-postgres-error.js';

/**
 * What {@link inspectFolder} found at a path:
 * - `missing`: nothing there;
 * - `trusted`: a real folder whose whole tree is owned by one of the trusted owners and, except
 *   for symlinks and sockets, writable by its owner only;
 * - `ours`: everything is owned by a trusted owner, but something is writable by group or others,
 *   or the path is a symlink or a file: safe to delete and make again;
 * - `foreign`: something in it belongs to another user: it may have been planted, so it is
 *   neither used nor deleted.
 */
export type FolderTrust = 'missing' | 'trusted' | 'ours' | 'foreign';

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/**
 * Inspects `target` and, when it is a folder, everything in it (recursively), with `lstat`.
 *
 * @param owners The uids trusted to own it (e.g. this process's uid and the server user's).
 * @param recursive Whether to check the folder's contents too. Defaults to `true`.
 * @example
 * ```ts
 * inspectFolder('/app/.data/timeline-logger-pg-17.5', [0]); // 'trusted'
 * inspectFolder('/tmp/tlpg-1a2b3c4d5e6f', [0, 101], false); // 'foreign' when uid 1000 made it
 * ```
 */
export function inspectFolder(target: string, owners: readonly number[], recursive = true): FolderTrust {
  const stat = lstatOrNull(target);
  if (!stat) return 'missing';
  if (!owners.includes(stat.uid)) return 'foreign';
  if (!stat.isDirectory()) return 'ours';
  let trust: FolderTrust = isOwnerWritableOnly(stat) ? 'trusted' : 'ours';
  if (!recursive) return trust;
  for (const entry of fs.readdirSync(target, { recursive: true, withFileTypes: true })) {
    const entryStat = fs.lstatSync(path.join(entry.parentPath, entry.name));
    if (!owners.includes(entryStat.uid)) return 'foreign';
    if (isModeRelevant(entryStat) && !isOwnerWritableOnly(entryStat)) trust = 'ours';
  }
  return trust;
}

/**
 * Whether no other user can replace or rename entries of `folder`: it and each of its parents
 * (after resolving symlinks in the path) is owned by one of `owners` or root, and is either
 * writable by its owner only or sticky (like `/tmp`, where users can only remove their own
 * entries). `false` when `folder` does not exist.
 *
 * @example
 * ```ts
 * hasTrustedAncestry('/tmp', [0]); // true: root-owned and sticky
 * hasTrustedAncestry('/home/alice/project/.data', [0]); // false: alice could swap its entries
 * ```
 */
export function hasTrustedAncestry(folder: string, owners: readonly number[]): boolean {
  let real: string;
  try {
    real = fs.realpathSync(folder);
  } catch {
    return false;
  }
  for (let dir = real; ; dir = path.dirname(dir)) {
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || !(stat.uid === 0 || owners.includes(stat.uid))) return false;
    if (!isOwnerWritableOnly(stat) && (stat.mode & STICKY) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

/**
 * This process's uid; `0` where there are no uids (Windows), where nothing here applies.
 *
 * @example
 * ```ts
 * inspectFolder(cache, [currentUid()]);
 * ```
 */
export function currentUid(): number {
  return process.getuid?.() ?? 0;
}

/** A symlink's mode means nothing, and a socket's write bit only lets others connect. */
function isModeRelevant(stat: fs.Stats): boolean {
  return !stat.isSymbolicLink() && !stat.isSocket();
}

function isOwnerWritableOnly(stat: fs.Stats): boolean {
  return (stat.mode & GROUP_OR_OTHER_WRITE) === 0;
}

function lstatOrNull(target: string): fs.Stats | null {
  try {
    return fs.lstatSync(target);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}
