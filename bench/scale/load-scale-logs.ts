import { QueryTypes, type Sequelize } from 'sequelize';
import { monthStarts, type ScaleHistory } from './history.js';

/** How many users the logs name, and how many rows each logged model has. */
export const SCALE_USERS = 1_000;
const OBJECTS_PER_TYPE = 50_000;
/** Rows per `INSERT ... SELECT`: each statement is one transaction, so a failure loses one chunk. */
const CHUNK_ROWS = 500_000;

/** How long loading took, and how long `VACUUM ANALYZE` took after it. */
export interface LoadResult {
  readonly rows: number;
  readonly loadMs: number;
  readonly analyzeMs: number;
}

/**
 * Loads `rows` logs into `table` server-side (`INSERT ... SELECT FROM generate_series`, in chunks
 * of 500,000), evenly spread over `history` in id order, as an app writes them: four content types
 * of 50,000 objects each, {@link SCALE_USERS} users (one log in 41 without a user), events
 * `created`/`updated`/`deleted` with their templates and a small `changes` JSON. Then
 * `VACUUM ANALYZE`, so the planner and the visibility map see a settled table. Also inserts the
 * users (into the demo's `users` table) and a few posts for `TimelineLog.log` to name.
 *
 * @example
 * ```ts
 * const result = await loadScaleLogs(sequelize, 'timeline_logs', 1_000_000, history, (done) => console.error(done));
 * ```
 */
export async function loadScaleLogs(
  sequelize: Sequelize,
  table: string,
  rows: number,
  history: ScaleHistory,
  onChunk: (loaded: number) => void,
): Promise<LoadResult> {
  await sequelize.query(
    `INSERT INTO users (username, email, password_hash, is_staff, is_superuser, is_active, created_at, updated_at)
     SELECT 'user' || n, 'user' || n || '@example.com', '-', false, false, true, now(), now() FROM generate_series(1, ${SCALE_USERS}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO posts (title, body, author_id, created_at, updated_at)
     SELECT 'Post ' || n, 'Body', NULL, now(), now() FROM generate_series(1, 10) AS n`,
  );
  const stepMicros = Math.floor(((history.end.getTime() - history.start.getTime()) * 1000) / rows);
  const started = performance.now();
  for (let first = 1; first <= rows; first += CHUNK_ROWS) {
    const last = Math.min(rows, first + CHUNK_ROWS - 1);
    await sequelize.query(chunkSql(table, first, last, stepMicros), { bind: { start: history.start.toISOString() } });
    onChunk(last);
  }
  const loadMs = performance.now() - started;
  const analyzeStarted = performance.now();
  await sequelize.query(`VACUUM ANALYZE users, posts, "${table}"`);
  return { rows, loadMs, analyzeMs: performance.now() - analyzeStarted };
}

/**
 * Makes the month partitions the history needs (`<table>_pYYYY_MM`, UTC months) on a partitioned
 * table, skipping any month a partition already covers: without them the loaded history would
 * all land in the default partition, as it would not in an app that had been partitioned all
 * along (or converted). Returns how many it made.
 *
 * @example
 * ```ts
 * await makeHistoryPartitions(sequelize, 'timeline_logs', history);
 * ```
 */
export async function makeHistoryPartitions(sequelize: Sequelize, table: string, history: ScaleHistory): Promise<number> {
  let made = 0;
  for (const month of monthStarts(history.start, history.end)) {
    const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    if (await coveredByPartition(sequelize, table, month)) continue;
    const name = `${table}_p${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
    await sequelize.query(
      `CREATE TABLE "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${month.toISOString()}') TO ('${next.toISOString()}')`,
    );
    made += 1;
  }
  return made;
}

/** Whether a partition other than the default one holds `instant`. */
async function coveredByPartition(sequelize: Sequelize, table: string, instant: Date): Promise<boolean> {
  const rows = await sequelize.query<{ partition: string | null }>(
    `SELECT (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = to_regclass($table)
               AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
               AND $instant::timestamptz >= (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz
               AND $instant::timestamptz < (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz
             LIMIT 1) AS partition`,
    { type: QueryTypes.SELECT, bind: { table, instant: instant.toISOString() } },
  );
  return rows[0]?.partition != null;
}

/** One chunk's `INSERT ... SELECT`: rows `first`..`last`, the n-th at `start + (n - 1) * step`. */
function chunkSql(table: string, first: number, last: number, stepMicros: number): string {
  return `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, user_repr, template, extra_data, event)
    SELECT v.content_type, v.object_id::text, v.content_type || ' #' || v.object_id,
           $start::timestamptz + (n - 1) * ${stepMicros} * interval '1 microsecond',
           v.user_id, 'user' || v.user_id, 'timeline_logger/' || v.event || '.ejs',
           CASE v.event
             WHEN 'created' THEN jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array(NULL, 'Title ' || n)))
             WHEN 'updated' THEN jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array('Draft ' || n, 'Title ' || n)))
           END,
           v.event
    FROM generate_series(${first}::bigint, ${last}::bigint) AS n
    CROSS JOIN LATERAL (SELECT (ARRAY['Post', 'Item', 'Invoice', 'Comment'])[n % 4 + 1] AS content_type,
                               (n * 7919) % ${OBJECTS_PER_TYPE} + 1 AS object_id,
                               CASE WHEN n % 41 = 0 THEN NULL ELSE (n * 31) % ${SCALE_USERS} + 1 END AS user_id,
                               (ARRAY['created', 'updated', 'updated', 'updated', 'deleted'])[n % 5 + 1] AS event) AS v`;
}
