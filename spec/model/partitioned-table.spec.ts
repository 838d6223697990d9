import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { listPartitions, migrateTimeline, type TimelineOptions } from '../../src/index.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

/** A clock the specs move: maintenance makes partitions around it. */
let now = new Date('2026-12-04T10:00:00Z');
const PARTITIONED: TimelineOptions = { now: () => now, partitioning: { interval: 'month' } };
let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture(PARTITIONED);
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  now = new Date('2026-12-04T10:00:00Z');
  await fixture.TimelineLog.destroy({ where: {}, truncate: true });
});

function select<T extends object>(sql: string, bind: unknown[] = []): Promise<T[]> {
  return fixture.db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
}

async function partitionNames(): Promise<string[]> {
  return (await listPartitions(fixture.db.sequelize, 'timeline_logs')).map((partition) => partition.name);
}

/** Which partition each log is stored in, by event. */
async function storedIn(): Promise<Record<string, string>> {
  const rows = await select<{ event: string; partition: string }>(`SELECT event, tableoid::regclass::text AS partition FROM timeline_logs`);
  return Object.fromEntries(rows.map((row) => [row.event, row.partition]));
}

describe('migrateTimeline with partitioning', () => {
  it('makes the table range-partitioned on timestamp', async () => {
    const [row] = await select<{ strategy: string; column: string }>(
      `SELECT p.partstrat AS strategy, a.attname AS column FROM pg_partitioned_table p
         JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE p.partrelid = 'timeline_logs'::regclass`,
    );
    expect(row).toEqual({ strategy: 'r', column: 'timestamp' });
  });

  it('keys it on (id, timestamp), keeps the indexes, the user foreign key and the id sequence under their names', async () => {
    const constraints = await select<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conrelid = 'timeline_logs'::regclass AND contype IN ('p', 'f') ORDER BY conname`,
    );
    expect(constraints).toEqual([
      { name: 'timeline_logs_pkey', definition: 'PRIMARY KEY (id, "timestamp")' },
      {
        name: expect.stringMatching(/user_id/),
        definition: expect.stringMatching(/^FOREIGN KEY \(user_id\) REFERENCES users\(id\) ON UPDATE CASCADE ON DELETE SET NULL$/),
      },
    ]);
    const indexes = await select<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'timeline_logs'::regclass AND NOT i.indisprimary ORDER BY c.relname`,
    );
    expect(indexes.map((index) => index.name)).toEqual([
      'timeline_logs_correlation_idx',
      'timeline_logs_object_idx',
      'timeline_logs_timestamp_idx',
      'timeline_logs_user_idx',
    ]);
    expect(indexes.find((index) => index.name === 'timeline_logs_user_idx')?.definition).toMatch(/\(user_id, "timestamp" DESC, id DESC\)$/);
    const [sequence] = await select<{ name: string | null }>(`SELECT pg_get_serial_sequence('timeline_logs', 'id') AS name`);
    expect(sequence?.name).toBe('public.timeline_logs_id_seq');
  });

  it('gives every partition the indexes and the foreign key', async () => {
    const [row] = await select<{ indexes: string; keys: string }>(
      `SELECT (SELECT count(*) FROM pg_index WHERE indrelid = 'timeline_logs_p2026_12'::regclass)::text AS indexes,
              (SELECT count(*) FROM pg_constraint WHERE conrelid = 'timeline_logs_p2026_12'::regclass AND contype = 'f')::text AS keys`,
    );
    expect(row).toEqual({ indexes: '5', keys: '1' });
  });

  it('running it again changes nothing', async () => {
    const before = await partitionNames();
    expect(await migrateTimeline(fixture.db.sequelize)).toEqual([]);
    expect(await partitionNames()).toEqual(before);
  });
});

describe('TimelineLog.maintainPartitions', () => {
  it('has made the current month, 3 months ahead and the DEFAULT partition, named by range', async () => {
    expect(await listPartitions(fixture.db.sequelize, 'timeline_logs')).toEqual([
      { name: 'timeline_logs_p2026_12', from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), isDefault: false },
      { name: 'timeline_logs_p2027_01', from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-02-01T00:00:00Z'), isDefault: false },
      { name: 'timeline_logs_p2027_02', from: new Date('2027-02-01T00:00:00Z'), to: new Date('2027-03-01T00:00:00Z'), isDefault: false },
      { name: 'timeline_logs_p2027_03', from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-04-01T00:00:00Z'), isDefault: false },
      { name: 'timeline_logs_default', from: null, to: null, isDefault: true },
    ]);
  });

  it('is idempotent', async () => {
    expect(await fixture.TimelineLog.maintainPartitions()).toEqual({ created: [], moved: 0 });
    expect(await fixture.TimelineLog.maintainPartitions()).toEqual({ created: [], moved: 0 });
  });

  it('makes the next month once the clock moves on', async () => {
    now = new Date('2027-01-15T00:00:00Z');
    expect(await fixture.TimelineLog.maintainPartitions()).toEqual({ created: ['timeline_logs_p2027_04'], moved: 0 });
  });

  it('has the page read the partition bounds again once it made a partition', async () => {
    const edges = fixture.TimelineLog.runtime.partitionEdges;
    if (edges === null) throw new Error('a partitioned setup has partition edges');
    const june2027 = Date.parse('2027-06-01T00:00:00Z');
    expect(await edges.current()).not.toContain(june2027);
    now = new Date('2027-02-15T00:00:00Z');
    const { created } = await fixture.TimelineLog.maintainPartitions();
    try {
      expect(created).toContain('timeline_logs_p2027_05');
      expect(await edges.current()).toContain(june2027);
    } finally {
      await dropPartitions(created);
    }
  });

  it('stores logs far in the past and far in the future, and moves them into partitions of their own', async () => {
    await fixture.TimelineLog.log(null, { event: 'past', timestamp: new Date('1900-03-15T12:00:00Z') });
    await fixture.TimelineLog.log(null, { event: 'future', timestamp: new Date('2300-07-01T00:00:00Z') });
    await fixture.TimelineLog.log(null, { event: 'now', timestamp: now });
    await fixture.TimelineLog.log(null, { event: 'ancient', timestamp: new Date('-000044-03-15T12:00:00Z') });
    expect(await storedIn()).toEqual({
      past: 'timeline_logs_default',
      future: 'timeline_logs_default',
      now: 'timeline_logs_p2026_12',
      ancient: 'timeline_logs_default',
    });
    const result = await fixture.TimelineLog.maintainPartitions();
    expect(result).toEqual({ created: ['timeline_logs_p1900_03', 'timeline_logs_p2300_07'], moved: 2 });
    expect(await storedIn()).toEqual({
      past: 'timeline_logs_p1900_03',
      future: 'timeline_logs_p2300_07',
      now: 'timeline_logs_p2026_12',
      ancient: 'timeline_logs_default',
    });
    expect(await fixture.TimelineLog.count()).toBe(4);
    const ids = (await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] })).map((log) => log.event);
    expect(ids).toEqual(['past', 'future', 'now', 'ancient']);
    await dropPartitions(['timeline_logs_p1900_03', 'timeline_logs_p2300_07']);
  });
});

describe('maintenance and other sessions', () => {
  it('gives up with a clear error, changing nothing, when a long transaction keeps it from a lock', async () => {
    now = new Date('2027-05-10T00:00:00Z');
    const reader = await fixture.db.sequelize.transaction();
    try {
      await fixture.db.sequelize.query('SELECT count(*) FROM timeline_logs_default', { transaction: reader });
      await expect(fixture.TimelineLog.maintainPartitions()).rejects.toThrow(
        /maintainPartitions gave up after waiting 5s for a lock on timeline_logs .*nothing was changed, run it again later/,
      );
    } finally {
      await reader.rollback();
    }
    expect(await partitionNames()).not.toContain('timeline_logs_p2027_05');
  });

  it('concurrent runs wait for each other and make each partition once', async () => {
    now = new Date('2027-06-10T00:00:00Z');
    const results = await Promise.all([fixture.TimelineLog.maintainPartitions(), fixture.TimelineLog.maintainPartitions()]);
    expect(results.flatMap((result) => result.created).sort()).toEqual([
      'timeline_logs_p2027_06',
      'timeline_logs_p2027_07',
      'timeline_logs_p2027_08',
      'timeline_logs_p2027_09',
    ]);
  });
});

/** Puts the partition list back as the file's other specs expect it. */
async function dropPartitions(names: readonly string[]): Promise<void> {
  for (const name of names) await fixture.db.sequelize.query(`DROP TABLE "${name}"`);
}
