/**
 * The keyset queries must be answered by the migration's indexes, walking them in order:
 * an index scan whose condition holds the `(timestamp, id)` row comparison, no sort and no
 * count. Checked with EXPLAIN on enough rows that PostgreSQL would rather scan the table
 * if the index did not fit.
 *
 * On a partitioned table (the `partitioned` project) the scans run on the partitions' copies of
 * those indexes, and a page reads one partition's stretch of time at a time (src/http/keyset-rows.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor, decodeCursor } from '../../src/http/cursor.js';
import { findTimelinePage } from '../../src/http/timeline-query.js';
import type { TimelineCriteria } from '../../src/model/timeline-filter.js';
import type { PagePosition } from '../../src/http/page-position.js';
import { asOnPlainTable } from '../support/page-statements.js';
import { recordQueries } from '../support/query-recorder.js';
import type { CursorKey } from '../../src/http/cursor.js';
import { createTimelineFixture, createUser, PARTITIONED_RUN, type TimelineFixture } from '../support/timeline-fixture.js';

const ROWS = 60_000;
let fixture: TimelineFixture;
let userId: number;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  const users = [await createUser(fixture.models, 'ann'), await createUser(fixture.models, 'ben'), await createUser(fixture.models, 'cas')];
  // cas acts in 1% of the logs: rare enough that the user index beats filtering the timestamp index.
  userId = users[2]?.id ?? 0;
  const table = fixture.TimelineLog.getTableName() as string;
  await fixture.db.sequelize.query(
    `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, template, event)
     SELECT CASE WHEN n % 2 = 0 THEN 'Post' ELSE 'Item' END, ((n / 2) % 200 + 1)::text, 'Object ' || n,
            timestamptz '2020-01-01 00:00:00+00' + n * interval '1 second',
            CASE WHEN n % 100 = 0 THEN ${users[2]?.id} ELSE (ARRAY[${users[0]?.id}, ${users[1]?.id}])[n % 2 + 1] END, 'timeline_logger/default.ejs',
            (ARRAY['created', 'updated', 'deleted'])[n % 3 + 1]
     FROM generate_series(1, ${ROWS}) AS n`,
  );
  // On a partitioned table the rows went to the DEFAULT partition; maintenance moves them into January 2020's.
  if (PARTITIONED_RUN) await fixture.TimelineLog.maintainPartitions();
  await fixture.db.sequelize.query(`ANALYZE "${table}"`);
});
afterAll(async () => {
  await fixture.db.drop();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Subplans Removed'?: number;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The plan of the page query `findTimelinePage` runs for `criteria` at `position` (on a
 * partitioned table, of its last stretch's: the one that filled the page).
 */
async function planOf(criteria: TimelineCriteria, position: PagePosition): Promise<PlanNode[]> {
  const sequelize = fixture.db.sequelize;
  const recorded = await recordQueries(sequelize, () => findTimelinePage(fixture.TimelineLog, { criteria, position, perPage: 25 }));
  const statements = asOnPlainTable(recorded.statements);
  expect(statements).toHaveLength(1);
  const sql = statements[0] as string;
  const [rows] = (await sequelize.query(`EXPLAIN (FORMAT JSON) ${sql}`)) as [{ 'QUERY PLAN': [{ Plan: PlanNode }] }[], unknown];
  return nodes((rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan);
}

/** A cursor half-way down the whole listing. */
async function middleCursor(): Promise<{ kind: 'before'; cursor: CursorKey }> {
  const [[row]] = (await fixture.db.sequelize.query(
    `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t, id::text AS id
     FROM "${fixture.TimelineLog.getTableName() as string}" ORDER BY "timestamp" DESC, id DESC OFFSET ${ROWS / 2} LIMIT 1`,
  )) as [{ t: string; id: string }[], unknown];
  const cursor = decodeCursor(encodeCursor({ timestamp: row?.t ?? '', id: row?.id ?? '' }));
  if (cursor === null) throw new Error('no cursor');
  return { kind: 'before', cursor };
}

/** The index a partition's index was made from (its parent's), or the index itself. */
async function parentIndex(name: string): Promise<string> {
  const [[row]] = (await fixture.db.sequelize.query(
    `SELECT COALESCE((SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = to_regclass($1)), $1::text) AS name`,
    { bind: [name] },
  )) as [{ name: string }[], unknown];
  return row?.name ?? name;
}

/** Where the rows are: the table, or on a partitioned table January 2020's partition (the planner may read empty partitions by any index). */
const ROWS_IN = PARTITIONED_RUN ? 'timeline_logs_p2020_01' : 'timeline_logs';

async function expectKeysetScan(plan: PlanNode[], index: string): Promise<void> {
  const scans = plan.filter((node) => node['Index Name'] !== undefined && node['Relation Name'] === ROWS_IN);
  expect(scans).toHaveLength(1);
  for (const scan of scans) {
    expect(scan['Node Type']).toMatch(/^Index (Only )?Scan/);
    expect(await parentIndex(scan['Index Name'] as string)).toBe(index);
  }
  expect(plan.map((node) => node['Node Type'])).not.toContain('Sort');
  expect(plan.map((node) => node['Node Type'])).not.toContain('Seq Scan');
}

describe('the keyset queries', () => {
  it('read the newest page and a deep page along (timestamp DESC, id DESC)', async () => {
    await expectKeysetScan(await planOf({}, { kind: 'newest' }), 'timeline_logs_timestamp_idx');
    const deep = await planOf({}, await middleCursor());
    await expectKeysetScan(deep, 'timeline_logs_timestamp_idx');
    expect(deep.find((node) => node['Relation Name'] === ROWS_IN)?.['Index Cond']).toMatch(/ROW\("timestamp", id\) </);
  });

  it('page newer (after) by walking the same index backwards', async () => {
    const position = await middleCursor();
    const plan = await planOf({}, { kind: 'after', cursor: position.cursor });
    await expectKeysetScan(plan, 'timeline_logs_timestamp_idx');
    expect(plan.find((node) => node['Relation Name'] === ROWS_IN)?.['Index Cond']).toMatch(/ROW\("timestamp", id\) >/);
  });

  it('read one user through (user_id, timestamp DESC, id DESC)', async () => {
    const plan = await planOf({ userId: String(userId) }, await middleCursor());
    await expectKeysetScan(plan, 'timeline_logs_user_idx');
    expect(plan.find((node) => node['Relation Name'] === ROWS_IN)?.['Index Cond']).toMatch(/user_id = .*ROW\("timestamp", id\) </s);
  });

  it('read one object through (content_type, object_id, timestamp DESC, id DESC)', async () => {
    const plan = await planOf({ contentType: 'Post', objectId: '17' }, await middleCursor());
    await expectKeysetScan(plan, 'timeline_logs_object_idx');
    expect(plan.find((node) => node['Relation Name'] === ROWS_IN)?.['Index Cond']).toMatch(
      /content_type.*object_id.*ROW\("timestamp", id\) </s,
    );
  });
});

describe.runIf(PARTITIONED_RUN)('on a partitioned table', () => {
  it('a cursor page inside one partition plans and reads that partition only', async () => {
    const scanned = (plan: PlanNode[]): string[] =>
      plan.map((node) => node['Relation Name']).filter((name): name is string => name !== undefined);
    const deep = scanned(await planOf({}, await middleCursor()));
    expect(deep).toEqual(['timeline_logs_p2020_01']);
  });
});
