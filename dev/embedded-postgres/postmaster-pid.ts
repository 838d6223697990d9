/**
 * `<dataDir>/postmaster.pid`: the lock file a running postmaster writes, and the launcher's only
 * way to tell whether a server already serves a data folder, where, and whether it is ready.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-alive.js';
import { DEFAULT_PORT } from './server-settings.js';

/** How often `postmaster.pid` is read again while waiting for a server to become ready. */
export const POLL_INTERVAL_MS = 20;

/** The fields of `<dataDir>/postmaster.pid` the launcher needs. */
export interface PostmasterInfo {
  readonly pid: number;
  readonly port: number;
  readonly socketDir: string;
  readonly listenAddress: string;
  /** `starting`, `ready`, `standby` or `stopping`. */
  readonly status: string;
}

/**
 * Parses `postmaster.pid` (format: src/include/miscadmin.h, LOCK_FILE_LINE_*); `null` when it is
 * absent or holds no pid.
 *
 * @example
 * ```ts
 * readPostmasterPid('/app/.data/postgres');
 * // { pid: 4242, port: 5432, socketDir: '/tmp/tlpg-1a2b3c4d5e6f', listenAddress: '', status: 'ready' }
 * ```
 */
export function readPostmasterPid(dataDir: string): PostmasterInfo | null {
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

/**
 * The `postmaster.pid` of a live postmaster on `dataDir`; `null` when there is none: no file, or
 * its process is dead. A dead process's file is left for PostgreSQL itself, which also checks
 * for orphaned backends still using the folder before it starts. A file whose pid now belongs to
 * an unrelated process (pid reuse after a crash, common in containers) is deleted, because
 * PostgreSQL would refuse to start while that pid lives.
 *
 * @example
 * ```ts
 * const live = readLivePostmaster(dataDir);
 * if (live && acceptsConnections(live)) console.log(`already running as pid ${live.pid}`);
 * ```
 */
export function readLivePostmaster(dataDir: string): PostmasterInfo | null {
  const info = readPostmasterPid(dataDir);
  if (!info || !isProcessAlive(info.pid)) return null;
  if (isPostgresProcess(info.pid)) return info;
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
  return null;
}

/**
 * Whether the postmaster says it accepts connections (`ready`, or `standby` for a replica).
 *
 * @example
 * ```ts
 * acceptsConnections({ ...info, status: 'starting' }); // false
 * ```
 */
export function acceptsConnections(info: PostmasterInfo): boolean {
  return info.status === 'ready' || info.status === 'standby';
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return true; // No /proc (not Linux) or not ours to read: trust postmaster.pid.
  }
}
