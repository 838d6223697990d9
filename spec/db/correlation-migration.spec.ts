/**
 * The migration adding `correlation_id` (migrations/20261204000000-add-correlation-id.cjs): up and
 * down on a populated table, safe to run again (also after a concurrent index build failed and
 * left an INVALID index), and an index the `?correlationId=` filter is answered from.
 */
import { createRequire } from 'node:module';
import { QueryTypes, type QueryInterface } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTimelinePage } from '../../src/http/timeline-query.js';
import { recordQueries } from '../support/query-recorder.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';

const MIGRATION = '20261204000000-add-correlation-id.cjs';
const migration = createRequire(import.meta.url)(`../../migrations/${MIGRATION}`) as {
  up(queryInterface: QueryInterface): Promise<void>;
  down(queryInterface: QueryInterface): Promise<void>;
};
const ROWS = 60_000;
let fixture: TimelineFixture;
let queryInterface: QueryInterface;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  queryInterface = fixture.db.sequelize.getQueryInterface();
  const user = await createUser(fixture.models, 'ann');
  // Many requests of 3 logs each, and older logs from before correlation ids (null).
  await fixture.db.sequelize.query(
    `INSERT INTO timeline_logs (content_type, object_id, object_repr, timestamp, user_id, template, event, correlation_id)
     SELECT 'Post', (n % 500)::text, 'Post ' || n, timestamptz '2020-01-01 00:00:00+00' + n * interval '1 second', ${user.id},
            'timeline_logger/default.ejs', 'created', CASE WHEN n % 4 = 0 THEN NULL ELSE 'req-' || (n / 3) END
     FROM generate_series(1, ${ROWS}) AS n`,
  );
  await fixture.db.sequelize.query('ANALYZE timeline_logs');
});
afterAll(async () => {
  await fixture.db.drop();
});

async function select<T extends object>(sql: string): Promise<T[]> {
  return fixture.db.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
}

async function columnState(): Promise<{ column: string | null; index: string | null; valid: boolean | null }> {
  const [column] = await select<{ type: string }>(
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'timeline_logs'::regclass AND attname = 'correlation_id' AND NOT attisdropped`,
  );
  const [index] = await select<{ definition: string; valid: boolean }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid FROM pg_index i
      WHERE i.indexrelid = to_regclass('timeline_logs_correlation_idx')`,
  );
  return { column: column?.type ?? null, index: index?.definition ?? null, valid: index?.valid ?? null };
}

const INDEX_DEFINITION =
  'CREATE INDEX timeline_logs_correlation_idx ON public.timeline_logs USING btree (correlation_id, "timestamp" DESC, id DESC)';

describe('the correlation id migration', () => {
  it('made a nullable VARCHAR(64) column and a valid (correlation_id, timestamp DESC, id DESC) index', async () => {
    expect(await columnState()).toEqual({ column: 'character varying(64)', index: INDEX_DEFINITION, valid: true });
  });

  it('is a no-op when run again', async () => {
    await migration.up(queryInterface);
    expect(await columnState()).toEqual({ column: 'character varying(64)', index: INDEX_DEFINITION, valid: true });
  });

  it('replaces an INVALID index that a failed concurrent build left behind', async () => {
    await fixture.db.sequelize.query('DROP INDEX timeline_logs_correlation_idx');
    // A unique build over duplicate ids fails half-way, leaving the index INVALID under the same name.
    await expect(
      fixture.db.sequelize.query('CREATE UNIQUE INDEX CONCURRENTLY timeline_logs_correlation_idx ON timeline_logs (correlation_id)'),
    ).rejects.toMatchObject({ name: 'SequelizeUniqueConstraintError' });
    expect((await columnState()).valid).toBe(false);
    await migration.up(queryInterface);
    expect(await columnState()).toEqual({ column: 'character varying(64)', index: INDEX_DEFINITION, valid: true });
  });

  it('goes down and up again on the populated table, keeping every other column and row', async () => {
    const before = await select<{ n: number; latest: string }>('SELECT count(*)::int AS n, max(object_repr) AS latest FROM timeline_logs');
    await migration.down(queryInterface);
    expect(await columnState()).toEqual({ column: null, index: null, valid: null });
    await migration.down(queryInterface); // also safe twice
    await migration.up(queryInterface);
    expect(await columnState()).toEqual({ column: 'character varying(64)', index: INDEX_DEFINITION, valid: true });
    expect(await select('SELECT count(*)::int AS n, max(object_repr) AS latest FROM timeline_logs')).toEqual(before);
    const [nulls] = await select<{ n: number }>('SELECT count(*)::int AS n FROM timeline_logs WHERE correlation_id IS NOT NULL');
    expect(nulls?.n).toBe(0); // the ids went with the column; older rows simply have none
  });
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('the ?correlationId= page query', () => {
  beforeAll(async () => {
    await fixture.db.sequelize.query(`UPDATE timeline_logs SET correlation_id = 'req-' || (id / 3) WHERE id % 4 <> 0`);
    await fixture.db.sequelize.query('ANALYZE timeline_logs');
  });

  it('reads one request along the new index, without a sort', async () => {
    const sequelize = fixture.db.sequelize;
    const { statements } = await recordQueries(sequelize, () =>
      findTimelinePage(fixture.TimelineLog, { criteria: { correlationId: 'req-1234' }, position: { kind: 'newest' }, perPage: 25 }),
    );
    expect(statements).toHaveLength(1);
    const [row] = await sequelize.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${statements[0] as string}`, {
      type: QueryTypes.SELECT,
    });
    if (row === undefined) throw new Error('EXPLAIN returned no plan');
    const plan = nodes(row['QUERY PLAN'][0].Plan);
    const scan = plan.find((node) => node['Index Name'] !== undefined);
    expect(scan?.['Node Type']).toMatch(/^Index (Only )?Scan/);
    expect(scan?.['Index Name']).toBe('timeline_logs_correlation_idx');
    expect(scan?.['Index Cond']).toMatch(/correlation_id/);
    expect(plan.map((node) => node['Node Type'])).not.toContain('Sort');
    expect(plan.map((node) => node['Node Type'])).not.toContain('Seq Scan');
  });
});
