/**
 * Keyset pages on a partitioned table read one partition's stretch at a time (src/http/keyset-rows.ts).
 * Whatever the stretches, the pages must hold exactly the rows, in exactly the order, of one
 * query over the whole table: walked newest to oldest with `before` and oldest to newest with
 * `after`, for every filter, across dense, sparse and empty months, a month missing its
 * partition, partition bounds, ties on the timestamp, and the DEFAULT partition's far past and
 * future.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTimelinePage } from '../../src/http/timeline-query.js';
import type { CursorKey } from '../../src/http/cursor.js';
import type { PagePosition } from '../../src/http/page-position.js';
import { criteriaSql, type TimelineCriteria } from '../../src/model/timeline-filter.js';
import { recordQueries } from '../support/query-recorder.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';

const NOW = new Date('2026-06-15T12:00:00Z');
let fixture: TimelineFixture;
let table: string;
let users: string[];

/** Rows as `[timestamp, user index, content type, object id, event]`. */
type Row = readonly [string, number, string, string, string];

function rowsAt(timestamp: string, count: number, seed: number): Row[] {
  return Array.from({ length: count }, (_, index) => {
    const n = seed + index;
    return [
      timestamp,
      n % 3,
      n % 2 === 0 ? 'Post' : 'Item',
      String((n % 4) + 1),
      ['created', 'updated', 'deleted'][n % 3] as string,
    ] as const;
  });
}

/** Rows spread over `months` (UTC `YYYY-MM`), `perMonth` each, microseconds apart from day 2 on. */
function monthlyRows(months: readonly string[], perMonth: number, seed: number): Row[] {
  return months.flatMap((month, monthIndex) =>
    Array.from({ length: perMonth }, (_, index) => {
      const micros = String(index * 37 + 1).padStart(6, '0');
      return rowsAt(`${month}-0${(index % 7) + 2}T0${index % 10}:00:00.${micros}Z`, 1, seed + monthIndex * 100 + index)[0] as Row;
    }),
  );
}

async function insert(rows: readonly Row[]): Promise<void> {
  const values = rows.map(
    ([timestamp, user, contentType, objectId, event]) =>
      `('${contentType}', '${objectId}', '${contentType} ${objectId}', '${timestamp}'::timestamptz, ${users[user]}, 'timeline_logger/default.ejs', '${event}')`,
  );
  await fixture.db.sequelize.query(
    `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, template, event) VALUES ${values.join(', ')}`,
  );
}

beforeAll(async () => {
  fixture = await createTimelineFixture({ partitioning: { interval: 'month', premake: 3 }, now: () => NOW });
  table = fixture.TimelineLog.getTableName() as string;
  users = await Promise.all(['ann', 'bob', 'cas'].map(async (name) => String((await createUser(fixture.models, name)).id)));
  // Dense months, sparse months (one log), a gap (2025-05 to 2025-08: no logs, so no partitions), ties, bounds.
  await insert(monthlyRows(['2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04'], 9, 1));
  await insert(monthlyRows(['2025-09', '2025-10', '2025-12', '2026-02', '2026-04'], 1, 700));
  await insert(monthlyRows(['2026-05', '2026-06'], 30, 900));
  await insert(rowsAt('2026-01-01T00:00:00.000000Z', 5, 40));
  await insert(rowsAt('2025-12-31T23:59:59.999999Z', 3, 50));
  await insert(rowsAt('2026-06-01T00:00:00.000000Z', 4, 60));
  // Future logs inside the partitions made ahead.
  await insert(monthlyRows(['2026-07', '2026-09'], 2, 1200));
  // Maintenance makes partitions for the months above (and moves their logs out of the DEFAULT partition).
  await fixture.TimelineLog.maintainPartitions();
  // Then logs only the DEFAULT partition holds: the far past, the far future, and a month without a partition in the gap.
  await insert([...rowsAt('1900-01-01T00:00:00.000000Z', 4, 80), ...rowsAt('1899-12-31T23:59:59.999999Z', 2, 90)]);
  await insert([...rowsAt('2300-01-01T00:00:00.000000Z', 3, 100), ...rowsAt('2027-10-10T10:10:10.101010Z', 2, 110)]);
  await insert(monthlyRows(['2025-06'], 3, 1300));
  await fixture.db.sequelize.query(`ANALYZE "${table}"`);
});
afterAll(async () => {
  await fixture.db.drop();
});

/** Every log matching `criteria`, newest first, by one hand-written query. */
async function expectedIds(criteria: TimelineCriteria): Promise<string[]> {
  const { conditions, bind } = criteriaSql(criteria);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const [rows] = (await fixture.db.sequelize.query(`SELECT id::text AS id FROM "${table}" ${where} ORDER BY "timestamp" DESC, id DESC`, {
    bind,
  })) as [{ id: string }[], unknown];
  return rows.map((row) => row.id);
}

async function page(criteria: TimelineCriteria, position: PagePosition, perPage: number) {
  return findTimelinePage(fixture.TimelineLog, { criteria, position, perPage });
}

/** The ids of every page from the newest, following `older` cursors; newest first. */
async function walkOlder(criteria: TimelineCriteria, perPage: number): Promise<string[]> {
  const ids: string[] = [];
  let position: PagePosition = { kind: 'newest' };
  for (let pages = 0; pages < 500; pages += 1) {
    const current = await page(criteria, position, perPage);
    ids.push(...current.logs.map((log) => String(log.id)));
    if (current.older === null) return ids;
    position = { kind: 'before', cursor: current.older };
  }
  throw new Error('too many pages');
}

/** The ids of every page from the oldest, following `newer` cursors; newest first. */
async function walkNewer(criteria: TimelineCriteria, perPage: number): Promise<string[]> {
  const pages: string[][] = [];
  let position: PagePosition = { kind: 'oldest' };
  for (let count = 0; count < 500; count += 1) {
    const current = await page(criteria, position, perPage);
    pages.push(current.logs.map((log) => String(log.id)));
    const newer: CursorKey | null = current.newer;
    if (newer === null) return pages.reverse().flat();
    position = { kind: 'after', cursor: newer };
  }
  throw new Error('too many pages');
}

const FILTERS: Record<string, () => TimelineCriteria> = {
  'no filter': () => ({}),
  'a user': () => ({ userId: users[1] }),
  'an object': () => ({ contentType: 'Post', objectId: '3' }),
  'a content type and an event': () => ({ contentType: 'Item', event: 'updated' }),
  'since and until': () => ({
    since: { at: '2025-01-15T00:00:00.000000Z', inclusive: true },
    until: { at: '2026-06-01T00:00:00.000000Z', inclusive: true },
  }),
  'since only (exclusive, on a partition bound)': () => ({ since: { at: '2026-01-01T00:00:00.000000Z', inclusive: false } }),
  'until only (exclusive, in the far past)': () => ({ until: { at: '1900-01-01T00:00:00.000000Z', inclusive: false } }),
  'until in the future': () => ({ until: { at: '2100-01-01T00:00:00.000000Z', inclusive: true } }),
};

describe('keyset pages on a partitioned table', () => {
  it('has the partitions and the DEFAULT-partition logs the cases need', async () => {
    const [rows] = (await fixture.db.sequelize.query(
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS count FROM "${table}" GROUP BY 1 ORDER BY 1`,
    )) as [{ partition: string; count: number }[], unknown];
    const byPartition = Object.fromEntries(rows.map((row) => [row.partition, row.count]));
    expect(byPartition[`${table}_default`]).toBe(14);
    expect(byPartition[`${table}_p2026_01`]).toBe(5);
    expect(Object.keys(byPartition).length).toBeGreaterThan(15);
  });

  for (const [name, criteria] of Object.entries(FILTERS)) {
    it(`give one query's rows and order, newest to oldest and back: ${name}`, async () => {
      const expected = await expectedIds(criteria());
      expect(expected.length).toBeGreaterThan(0);
      for (const perPage of [4, 25]) {
        expect(await walkOlder(criteria(), perPage)).toEqual(expected);
        expect(await walkNewer(criteria(), perPage)).toEqual(expected);
      }
    });
  }

  it('read a page inside one partition with one query that plans that partition only', async () => {
    await page({}, { kind: 'newest' }, 25); // reads the partition bounds once
    const first = await page({}, { kind: 'newest' }, 10);
    const cursor = first.older as CursorKey;
    const { result, statements } = await recordQueries(fixture.db.sequelize, () => page({}, { kind: 'before', cursor }, 10));
    expect(result.logs).toHaveLength(10);
    expect(statements).toHaveLength(1);
    const [plan] = (await fixture.db.sequelize.query(`EXPLAIN (FORMAT JSON) ${statements[0] as string}`)) as [
      { 'QUERY PLAN': unknown }[],
      unknown,
    ];
    const relations = [...JSON.stringify(plan).matchAll(/"Relation Name":\s*"([^"]+)"/g)].map((match) => match[1]);
    expect(relations).toEqual([`${table}_p2026_06`]);
  });

  it('continue into older partitions with one more query per stretch when the first is short', async () => {
    const newest = await page({}, { kind: 'newest' }, 25);
    expect(newest.older).not.toBeNull();
    // The oldest June log's cursor: the page before it is in May (30 logs), a second query.
    const june = await expectedIds({
      since: { at: '2026-06-01T00:00:00.000000Z', inclusive: true },
      until: { at: '2026-07-01T00:00:00.000000Z', inclusive: false },
    });
    const [[row]] = (await fixture.db.sequelize.query(
      `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp, id::text AS id FROM "${table}" WHERE id = $1`,
      { bind: [june.at(-1)] },
    )) as [{ timestamp: string; id: string }[], unknown];
    const { result, statements } = await recordQueries(fixture.db.sequelize, () =>
      page({}, { kind: 'before', cursor: row as CursorKey }, 25),
    );
    expect(result.logs).toHaveLength(25);
    expect(statements).toHaveLength(2);
  });
});
