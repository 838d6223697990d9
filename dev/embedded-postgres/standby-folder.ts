/**
 * A streaming replica's data folder made from the server binaries alone. The embedded build
 * ships only `initdb`, `pg_ctl` and `postgres` (no `pg_basebackup`), but the data folder of a
 * cleanly stopped primary is a consistent base backup: a copy of it, with `standby.signal` and
 * `primary_conninfo`, starts as a hot standby that streams the primary's WAL from where the copy
 * was taken.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error.js';
import { requireEmptyOrMissing } from './init-cluster.js';
import { readLivePostmaster } from './postmaster-pid.js';

/** What {@link makeStandbyFolder} copies and points where. */
export interface StandbyFolderOptions {
  /** The primary's data folder. Its server must be stopped. */
  readonly primaryDataDir: string;
  /** The standby's data folder to make: missing or empty. */
  readonly standbyDataDir: string;
  /**
   * The libpq connection string the standby streams from, e.g.
   * `host=/tmp/tlpg-1a2b3c4d5e6f port=5432 user=postgres application_name=replica`. The primary's
   * `pg_hba.conf` must let that user in for replication (`initdb --auth=trust`, as the launcher
   * runs it, allows local replication connections).
   */
  readonly primaryConninfo: string;
}

/** Entries of a data folder that belong to the stopped server, not to the cluster. */
const SKIPPED = new Set(['postmaster.pid', 'postmaster.opts', 'log']);

/**
 * Copies the stopped primary's data folder to `standbyDataDir` (without its lock file and the
 * launcher's server log), marks it as a standby (`standby.signal`) and records
 * `primary_conninfo` in its `postgresql.auto.conf`, so every later start of that folder streams
 * from the primary. As root, the copy belongs to the primary folder's owner (the server refuses
 * a data folder it does not own). The copy is made in a sibling folder renamed into place, so a
 * failure leaves no half-made standby.
 *
 * Start the primary again first, then the standby (`EmbeddedPostgres.start` on the folder, with
 * the same server settings: a hot standby refuses smaller `max_connections` and the like than
 * its primary's). The primary must still hold the WAL written since the copy: keep
 * `wal_keep_size` above what it writes before the standby connects.
 *
 * @throws {EmbeddedPostgresError} when the primary folder holds no cluster or its server still
 *   runs, or `standbyDataDir` is not empty.
 * @example
 * ```ts
 * await primary.stop();
 * makeStandbyFolder({ primaryDataDir, standbyDataDir, primaryConninfo: `host=${primary.socketDir} port=${primary.port} user=postgres` });
 * primary = await EmbeddedPostgres.start({ dataDir: primaryDataDir, settings });
 * const standby = await EmbeddedPostgres.start({ dataDir: standbyDataDir, settings });
 * ```
 */
export function makeStandbyFolder(options: StandbyFolderOptions): void {
  const primaryDataDir = path.resolve(options.primaryDataDir);
  const standbyDataDir = path.resolve(options.standbyDataDir);
  if (!fs.existsSync(path.join(primaryDataDir, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(`${primaryDataDir} holds no PostgreSQL cluster to copy: start the primary once first.`);
  }
  requireEmptyOrMissing(standbyDataDir);
  const live = readLivePostmaster(primaryDataDir);
  if (live) {
    throw new EmbeddedPostgresError(
      `The primary on ${primaryDataDir} is running (pid ${live.pid}): stop it before copying its data folder, or the copy is not consistent.`,
    );
  }
  const owner = fs.statSync(primaryDataDir);
  fs.mkdirSync(path.dirname(standbyDataDir), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(standbyDataDir), `.${path.basename(standbyDataDir)}.standby-`));
  try {
    for (const entry of fs.readdirSync(primaryDataDir)) {
      if (SKIPPED.has(entry)) continue;
      fs.cpSync(path.join(primaryDataDir, entry), path.join(staging, entry), { recursive: true, verbatimSymlinks: true });
    }
    fs.writeFileSync(path.join(staging, 'standby.signal'), '');
    fs.appendFileSync(path.join(staging, 'postgresql.auto.conf'), `primary_conninfo = ${configString(options.primaryConninfo)}\n`);
    fs.chmodSync(staging, 0o700);
    if (process.getuid?.() === 0) chownTree(staging, owner.uid, owner.gid);
    fs.renameSync(staging, standbyDataDir); // Replaces an empty folder, too.
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `value` as a quoted string of a PostgreSQL configuration file, where a backslash starts an
 * escape and a quote is doubled.
 */
function configString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function chownTree(root: string, uid: number, gid: number): void {
  fs.chownSync(root, uid, gid);
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    fs.lchownSync(path.join(entry.parentPath, entry.name), uid, gid);
  }
}
