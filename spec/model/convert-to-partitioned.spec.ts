import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { listPartitions, setupTimeline, type ConversionResult, type TimelineOptions } from '../../src/index.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';

/** The setup's clock: the current month is March 2026, so premake 3 makes April to June. */
let now = new Date('2026-03-15T09:30:00Z');
const PARTITIONED: TimelineOptions = { now: () => now, partitioning: { interval: 'month', premake: 3 } };
/** A role of this file's own (roles are shared by the server's databases). */
const READER = `timeline_reader_${randomBytes(4).toString('hex')}`;
/** An id far past the sequence, as an import with explicit ids leaves it. */
const IMPORTED_ID = 1_000_000;

let fixture: TimelineFixture;

function select<T extends object>(sql: string, bind: unknown[] = []): Promise<T[]> {
  return fixture.db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
}

/** Every column of every row, as PostgreSQL's own JSON of the row (exact timestamps and JSONB). */
async function allRows(): Promise<string[]> {
  const rows = await select<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM timeline_logs t ORDER BY id`);
  return rows.map((row) => row.row);
}

async function relkind(): Promise<string | undefined> {
  const [row] = await select<{ kind: string }>(`SELECT relkind AS kind FROM pg_class WHERE oid = 'timeline_logs'::regclass`);
  return row?.kind;
}

/** The parent's secondary indexes and foreign keys, by name and definition. */
async function indexesAndKeys(): Promise<string[]> {
  const rows = await select<{ entry: string }>(
    `SELECT c.relname || ': ' || regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '') AS entry
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'timeline_logs'::regclass AND NOT i.indisprimary
     UNION ALL
     SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'timeline_logs'::regclass AND contype = 'f'
     ORDER BY 1`,
  );
  return rows.map((row) => row.entry);
}

/** The JSON of the timeline's newest page, as an app serves it. */
async function firstPage(): Promise<unknown> {
  return withTimelineServer({ public: true }, async (server) => {
    const response = await fetch(`${server.url}/timeline/?format=json`);
    expect(response.status).toBe(200);
    return response.json();
  });
}

/** A plain table of 3,000 logs over 30 months with users, JSONB and correlation ids, one log in 1900, one in 2300, one in year 12000. */
async function seedPlainTable(): Promise<void> {
  const alice = await createUser(fixture.models, 'alice');
  const bob = await createUser(fixture.models, 'bob');
  await fixture.db.sequelize.query(
    `INSERT INTO timeline_logs (content_type, object_id, object_repr, "timestamp", user_id, user_repr, template, event, extra_data, correlation_id)
     SELECT 'Post', (g % 50)::text, 'Post ' || g, '2024-01-01 00:00:00.123456+00'::timestamptz + g * interval '7 hours 13 minutes 7 seconds',
            CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN $1::int ELSE $2::int END, CASE g % 3 WHEN 0 THEN NULL ELSE 'user ' || g % 3 END,
            CASE WHEN g % 4 = 0 THEN 'timeline_logger/created.ejs' ELSE 'timeline_logger/default.ejs' END,
            (ARRAY['created', 'updated', 'deleted'])[g % 3 + 1],
            CASE WHEN g % 5 = 0 THEN NULL ELSE jsonb_build_object('n', g, 'changes', jsonb_build_object('title', jsonb_build_array('a', g))) END,
            CASE WHEN g % 2 = 0 THEN 'req-' || g % 100 END
       FROM generate_series(1, 3000) g`,
    { bind: [alice.get('id'), bob.get('id')] },
  );
  await fixture.TimelineLog.log(null, { event: 'past', timestamp: new Date('1900-03-15T12:00:00Z'), user: alice });
  await fixture.TimelineLog.log(null, { event: 'future', timestamp: new Date('2300-07-01T00:00:00Z') });
  await fixture.db.sequelize.query(
    `INSERT INTO timeline_logs (id, "timestamp", template, event) VALUES (${IMPORTED_ID}, '12000-01-01 00:00:00+00', 'timeline_logger/default.ejs', 'far')`,
  );
  await fixture.db.sequelize.query(`CREATE ROLE "${READER}"`);
  await fixture.db.sequelize.query(`GRANT SELECT ON timeline_logs TO "${READER}" WITH GRANT OPTION`);
  await fixture.db.sequelize.query(`GRANT UPDATE (event) ON timeline_logs TO "${READER}"`);
  await fixture.db.sequelize.query(`COMMENT ON TABLE timeline_logs IS 'who did what, when'`);
}

beforeAll(async () => {
  fixture = await createTimelineFixture({ ...PARTITIONED, partitioning: undefined });
  await seedPlainTable();
  setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, ...PARTITIONED });
}, 120_000);
afterAll(async () => {
  await fixture.db.sequelize.query(`DROP OWNED BY "${READER}"`).catch(() => undefined);
  await fixture.db.sequelize.query(`DROP ROLE IF EXISTS "${READER}"`).catch(() => undefined);
  await fixture.db.drop();
});

describe('TimelineLog.convertToPartitioned on a plain table holding logs', () => {
  let before: { rows: string[]; indexes: string[]; page: unknown; maxId: bigint };
  let result: ConversionResult;

  beforeAll(async () => {
    const [max] = await select<{ id: string }>(`SELECT max(id)::text AS id FROM timeline_logs`);
    before = { rows: await allRows(), indexes: await indexesAndKeys(), page: await firstPage(), maxId: BigInt(max?.id ?? 0) };
    expect(await fixture.TimelineLog.seal({ waitMs: 0 })).toMatchObject({ sealed: 3002 });
  });

  it('with dryRun returns the plan and changes nothing', async () => {
    const planned = await fixture.TimelineLog.convertToPartitioned({ dryRun: true });
    if (planned.kind !== 'planned') throw new Error(`expected a plan, got ${planned.kind}`);
    const { plan } = planned;
    expect(plan).toMatchObject({
      table: 'timeline_logs',
      interval: 'month',
      rows: 3003,
      minTimestamp: new Date('1900-03-15T12:00:00Z'),
      rowsInDefault: 1,
      locks: [
        { table: 'timeline_logs', mode: 'EXCLUSIVE', during: 'copy' },
        { table: 'users', mode: 'SHARE ROW EXCLUSIVE', during: 'foreign-key' },
        { table: 'timeline_logs', mode: 'ACCESS EXCLUSIVE', during: 'swap' },
      ],
    });
    expect(plan.maxTimestamp?.getUTCFullYear()).toBe(12000);
    const months = await select<{ month: string }>(
      `SELECT DISTINCT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY_MM') AS month FROM timeline_logs WHERE "timestamp" < '10000-01-01Z'
       UNION SELECT unnest(ARRAY['2026_03', '2026_04', '2026_05', '2026_06']) ORDER BY 1`,
    );
    expect(plan.partitions.map((partition) => partition.name)).toEqual([
      ...months.map((row) => `timeline_logs_p${row.month}`),
      'timeline_logs_default',
    ]);
    expect(plan.partitions[0]).toEqual({
      name: 'timeline_logs_p1900_03',
      from: new Date('1900-03-01T00:00:00Z'),
      to: new Date('1900-04-01T00:00:00Z'),
      isDefault: false,
    });
    expect(await relkind()).toBe('r');
    expect(await allRows()).toEqual(before.rows);
  });

  it('converts it, holding the lock for part of the run', async () => {
    const steps: string[] = [];
    result = await fixture.TimelineLog.convertToPartitioned({ onProgress: (step) => steps.push(step) });
    if (result.kind !== 'converted') throw new Error(`expected a conversion, got ${result.kind}`);
    expect(steps).toEqual(['copy', 'index', 'swap', 'analyze']);
    expect(result.lockHeldMs).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(result.lockHeldMs);
    expect(result.plan.rows).toBe(3003);
    expect(await relkind()).toBe('p');
  });

  it('keeps every row and id, every column as it was', async () => {
    expect(await allRows()).toEqual(before.rows);
  });

  it('makes the planned partitions and stores each log in its own range (years past 9999 in DEFAULT)', async () => {
    if (result.kind !== 'converted') throw new Error('not converted');
    expect(await listPartitions(fixture.db.sequelize, 'timeline_logs')).toEqual(result.plan.partitions);
    const stored = await select<{ event: string; partition: string }>(
      `SELECT event, tableoid::regclass::text AS partition FROM timeline_logs WHERE event IN ('past', 'future', 'far') ORDER BY event`,
    );
    expect(stored).toEqual([
      { event: 'far', partition: 'timeline_logs_default' },
      { event: 'future', partition: 'timeline_logs_p2300_07' },
      { event: 'past', partition: 'timeline_logs_p1900_03' },
    ]);
  });

  it('keeps the indexes and the user foreign key under their names, and keys the table on (id, timestamp)', async () => {
    expect(await indexesAndKeys()).toEqual(before.indexes);
    const [key] = await select<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'timeline_logs'::regclass AND contype = 'p'`,
    );
    expect(key?.definition).toBe('PRIMARY KEY (id, "timestamp")');
  });

  it('carries the grants (table and column) and the table comment over', async () => {
    const [row] = await select<{ select: boolean; grant: boolean; update: boolean; comment: string }>(
      `SELECT has_table_privilege($1, 'timeline_logs', 'SELECT') AS select,
              has_table_privilege($1, 'timeline_logs', 'SELECT WITH GRANT OPTION') AS grant,
              has_column_privilege($1, 'timeline_logs', 'event', 'UPDATE') AS update,
              obj_description('timeline_logs'::regclass, 'pg_class') AS comment`,
      [READER],
    );
    expect(row).toEqual({ select: true, grant: true, update: true, comment: 'who did what, when' });
  });

  it('continues the id sequence past every id, imported ones included', async () => {
    expect(before.maxId).toBe(BigInt(IMPORTED_ID));
    const next = await fixture.TimelineLog.log(null, { event: 'after' });
    expect(BigInt(next.id)).toBeGreaterThan(before.maxId);
  });

  it('keeps the seals verifiable: every sealed log is read back with the same canonical text', async () => {
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 3002, problemCount: 0, sealProblems: [] });
  });

  it('serves the same timeline page (JSON) as before', async () => {
    await fixture.TimelineLog.destroy({ where: { event: 'after' } });
    expect(await firstPage()).toEqual(before.page);
  });

  it('on the partitioned table runs maintainPartitions (a dry run does nothing)', async () => {
    expect(await fixture.TimelineLog.convertToPartitioned({ dryRun: true })).toEqual({ kind: 'already-partitioned' });
    now = new Date('2026-04-02T00:00:00Z');
    expect(await fixture.TimelineLog.convertToPartitioned()).toEqual({
      kind: 'maintained',
      maintained: { created: ['timeline_logs_p2026_07'], moved: 0 },
    });
  });
});
