import type { Sequelize } from 'sequelize';
import type { ScaleHistory } from '../scale/history.js';

/** How many users the logs name. */
export const SEAL_USERS = 1_000;
/** Rows per `INSERT ... SELECT`: each statement is one transaction. */
const CHUNK_ROWS = 250_000;

/** Which logs {@link loadSealLogs} inserts: numbers `first`..`last` of a history of `total` logs. */
export interface LogRange {
  readonly first: number;
  readonly last: number;
  /** The size of the whole history: log `n` is at `start + (n - 1) * span / total`, whatever the range. */
  readonly total: number;
}

/**
 * Inserts {@link SEAL_USERS} users into the demo's `users` table, for the logs' `user_id` to name.
 *
 * @example
 * ```ts
 * await insertSealUsers(sequelize);
 * ```
 */
export async function insertSealUsers(sequelize: Sequelize): Promise<void> {
  await sequelize.query(
    `INSERT INTO users (username, email, password_hash, is_staff, is_superuser, is_active, created_at, updated_at)
     SELECT 'user' || n, 'user' || n || '@example.com', '-', false, false, true, now(), now() FROM generate_series(1, ${SEAL_USERS}) AS n`,
  );
}

/**
 * Loads logs `range.first`..`range.last` into `table` server-side (`INSERT ... SELECT FROM
 * generate_series`, in chunks), evenly spread over `history` in id order, with every column filled
 * in as an app writes them (see {@link logSelect}), then runs `VACUUM ANALYZE`. Returns the
 * milliseconds the inserts took. Loading a history in two ranges gives the same logs as in one.
 *
 * @example
 * ```ts
 * await loadSealLogs(sequelize, 'timeline_logs', { first: 1, last: 250_000, total: 1_000_000 }, history, console.error);
 * ```
 */
export async function loadSealLogs(
  sequelize: Sequelize,
  table: string,
  range: LogRange,
  history: ScaleHistory,
  onChunk: (loaded: number) => void,
): Promise<number> {
  const stepMicros = Math.floor(((history.end.getTime() - history.start.getTime()) * 1000) / range.total);
  const started = performance.now();
  for (let first = range.first; first <= range.last; first += CHUNK_ROWS) {
    const last = Math.min(range.last, first + CHUNK_ROWS - 1);
    const at = `$start::timestamptz + (n - 1) * ${stepMicros} * interval '1 microsecond'`;
    await sequelize.query(logSelect(table, first, last, at), { bind: { start: history.start.toISOString() } });
    onChunk(last);
  }
  const ms = performance.now() - started;
  await sequelize.query(`VACUUM ANALYZE "${table}"`);
  return ms;
}

/**
 * Inserts `count` logs written now (numbered from `from`), as an app's writers would in the
 * minute between two seals.
 *
 * @example
 * ```ts
 * await appendNewLogs(sequelize, 'timeline_logs', 1_000_001, 1_000);
 * ```
 */
export async function appendNewLogs(sequelize: Sequelize, table: string, from: number, count: number): Promise<void> {
  await sequelize.query(logSelect(table, from, from + count - 1, 'clock_timestamp()'));
}

/**
 * The `INSERT ... SELECT` of logs `first`..`last`, log `n` at `at`: four content types of
 * 50,000 objects, {@link SEAL_USERS} users (one log in 41 by the system, without a user),
 * events `created`/`updated`/`deleted` with their templates, a correlation id per request of
 * four logs, and an `extra_data` of 90-185 bytes (160 on average: a change set, the client's
 * address and agent).
 */
function logSelect(table: string, first: number, last: number, at: string): string {
  return `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data, correlation_id)
    SELECT v.content_type, v.object_id::text, v.content_type || ' #' || v.object_id || ': ' || v.title, ${at},
           v.user_id, coalesce('user' || v.user_id || '@example.com', 'system'), 'timeline_logger/' || v.event || '.ejs', v.event,
           jsonb_build_object(
             'changes', CASE v.event
               WHEN 'created' THEN jsonb_build_object('title', jsonb_build_array(NULL, v.title), 'status', jsonb_build_array(NULL, 'draft'))
               WHEN 'updated' THEN jsonb_build_object('title', jsonb_build_array('Draft ' || v.title, v.title), 'amount', jsonb_build_array(n % 997, n % 991))
               ELSE jsonb_build_object() END,
             'ip', '10.' || n % 251 || '.' || n % 241 || '.' || n % 239,
             'agent', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/13' || n % 10),
           'req-' || left(md5((n / 4)::text), 20)
    FROM generate_series(${first}::bigint, ${last}::bigint) AS n
    CROSS JOIN LATERAL (SELECT (ARRAY['Post', 'Item', 'Invoice', 'Comment'])[n % 4 + 1] AS content_type,
                               (n * 7919) % 50000 + 1 AS object_id,
                               'Quarterly report ' || (n * 7919) % 50000 AS title,
                               CASE WHEN n % 41 = 0 THEN NULL ELSE (n * 31) % ${SEAL_USERS} + 1 END AS user_id,
                               (ARRAY['created', 'updated', 'updated', 'updated', 'deleted'])[n % 5 + 1] AS event) AS v`;
}
