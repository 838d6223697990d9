import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes, type Sequelize } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';
import { ConfigurationError } from '../errors.js';

/** A session whose open transaction may still commit a log with an id that was already handed out. */
export interface SealBlocker {
  /** Its backend's process id (`pg_stat_activity.pid`), null for a prepared transaction. */
  readonly pid: number | null;
  /** When its transaction began (a prepared transaction: when it was prepared), when known. */
  readonly since: Date | null;
  /** Its `pg_stat_activity.state` (e.g. `idle in transaction`), or `prepared`. */
  readonly state: string | null;
}

/** How far the table's logs are settled: no transaction still open can commit a log with an id up to `throughId`. */
export interface Settled {
  /** The newest id handed out by the table's sequence when the wait began; null when it never handed one out. */
  readonly throughId: bigint | null;
  /** Empty when the ids up to `throughId` are settled; else the sessions that were still open when the wait ran out. */
  readonly blockers: readonly SealBlocker[];
}

/**
 * Waits, up to `waitMs`, until every log with an id already handed out by the table's id
 * sequence is either committed or never will be, and says up to which id that holds.
 *
 * It reads the sequence's last value `L`, then the transactions running at that moment (their
 * virtual transaction ids, and prepared transactions), and polls until all of them have ended:
 * any transaction that took an id up to `L` was one of them. A session idle in a transaction
 * without a transaction id (it has written nothing) is left out: it holds no id it could still
 * commit, as timeline-logger never takes an id before it inserts. Nothing is locked: writers go on.
 *
 * @throws ConfigurationError when the table's `id` has no sequence.
 * @example
 * ```ts
 * const { throughId, blockers } = await settledThrough(sequelize, '"timeline_logs"', 10_000);
 * ```
 */
export async function settledThrough(sequelize: Sequelize, table: string, waitMs: number): Promise<Settled> {
  const throughId = await lastHandedOut(sequelize, table);
  const [running] = await sequelize.query<{ vxids: string[]; gids: string[] }>(
    `SELECT
       ARRAY(SELECT l.virtualxid FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'virtualxid' AND l.pid <> pg_backend_pid()
                AND (a.pid IS NULL OR (
                  (a.datid IS NULL OR a.datid = (SELECT oid FROM pg_database WHERE datname = current_database()))
                  AND a.backend_type IN ('client backend', 'background worker')
                  AND NOT (a.state LIKE 'idle in transaction%' AND a.backend_xid IS NULL)
                  AND a.state IS DISTINCT FROM 'idle in transaction (aborted)'))) AS vxids,
       ARRAY(SELECT gid FROM pg_prepared_xacts WHERE database = current_database()) AS gids`,
    { type: QueryTypes.SELECT, ...onPrimary(null) },
  );
  const waiting = { vxids: running?.vxids ?? [], gids: running?.gids ?? [] };
  const deadline = Date.now() + waitMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const open = await stillOpen(sequelize, waiting.vxids, waiting.gids);
    if (open.length === 0) return { throughId, blockers: [] };
    if (Date.now() >= deadline) return { throughId, blockers: open };
    await sleep(Math.min(pause, Math.max(deadline - Date.now(), 1)));
  }
}

/** The last value the `id` column's sequence handed out (null: none yet). */
async function lastHandedOut(sequelize: Sequelize, table: string): Promise<bigint | null> {
  const [row] = await sequelize.query<{ sequence: string | null; last: string | null }>(
    `SELECT s.sequence, CASE WHEN s.sequence IS NULL THEN NULL ELSE pg_sequence_last_value(s.sequence::regclass)::text END AS last
       FROM (SELECT coalesce(
         pg_get_serial_sequence($1, 'id'),
         (SELECT d.refobjid::regclass::text FROM pg_attrdef ad
            JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
            JOIN pg_class c ON c.oid = d.refobjid AND c.relkind = 'S'
           WHERE ad.adrelid = $1::regclass AND ad.adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'id')
           LIMIT 1)) AS sequence) s`,
    { bind: [table], type: QueryTypes.SELECT, ...onPrimary(null) },
  );
  if (row?.sequence === null || row === undefined) {
    throw new ConfigurationError(`the id column of ${table} has no sequence: seals need ids handed out by one (run migrateTimeline)`);
  }
  return row.last === null ? null : BigInt(row.last);
}

/** The sessions among `vxids` and prepared transactions among `gids` that are still open. */
async function stillOpen(sequelize: Sequelize, vxids: readonly string[], gids: readonly string[]): Promise<SealBlocker[]> {
  if (vxids.length === 0 && gids.length === 0) return [];
  return sequelize.query<SealBlocker>(
    `SELECT a.pid, a.xact_start AS since, a.state FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'virtualxid' AND l.virtualxid = ANY($1::text[])
     UNION ALL
     SELECT NULL, prepared, 'prepared' FROM pg_prepared_xacts WHERE gid = ANY($2::text[]) AND database = current_database()`,
    { bind: [vxids, gids], type: QueryTypes.SELECT, ...onPrimary(null) },
  );
}
