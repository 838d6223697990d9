import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError, listPartitions, TimelineLogResource, type ArchiveFile, type TimelineOptions } from '../../src/index.js';
import { entriesOf, gunzipText, makeTempFolder, removeTempFolder, storedRows } from '../support/archive-folder.js';
import { pruneTimelineLogs } from '../../src/model/prune.js';
import { insertRaw } from '../support/raw-log.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

/** With `keepDays: 30` the cut-off is 2026-12-01T00:00:00Z: exactly the start of the December partition. */
const NOW = new Date('2026-12-31T00:00:00Z');
let now = NOW;
const PARTITIONED: TimelineOptions = { now: () => now, partitioning: { interval: 'month' } };
let fixture: TimelineFixture;
let folder: string;

beforeAll(async () => {
  fixture = await createTimelineFixture(PARTITIONED);
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  now = NOW;
  // Back to the partitions a fresh table has: December 2026, three months ahead, the DEFAULT one.
  for (const partition of await listPartitions(fixture.db.sequelize, 'timeline_logs')) {
    await fixture.db.sequelize.query(`DROP TABLE "${partition.name}"`);
  }
  await fixture.TimelineLog.maintainPartitions();
  folder = await makeTempFolder();
});
afterEach(() => removeTempFolder(folder));

/**
 * Eight logs: 1900 and October/November 2026 (stored in the DEFAULT partition until maintenance
 * gives them partitions), one in 44 BC (it stays in the DEFAULT partition: no partition is made
 * before year 1), one exactly at the cut-off, one a microsecond after it, one recent.
 */
async function seed(): Promise<void> {
  await insertRaw(fixture.db.sequelize, [
    { id: 1, timestamp: '1900-01-10T08:00:00Z', event: 'old 1900', extra_data: { n: 1, text: 'tab\there' } },
    { id: 2, timestamp: '2026-10-05T10:00:00.123456Z', event: 'october', object_repr: 'Post "2" ☕', content_type: 'Post', object_id: '2' },
    { id: 3, timestamp: '2026-10-20T10:00:00Z', event: 'october' },
    { id: 4, timestamp: '2026-11-30T23:59:59.999999Z', event: 'last of november' },
    { id: 5, timestamp: '0044-03-15 12:00:00+00 BC', event: 'ancient' },
    { id: 6, timestamp: '2026-12-01T00:00:00Z', event: 'at the cut-off' },
    { id: 7, timestamp: '2026-12-01T00:00:00.000001Z', event: 'just after' },
    { id: 8, timestamp: '2026-12-20T00:00:00Z', event: 'recent' },
  ]);
  await fixture.db.sequelize.query(`UPDATE timeline_logs SET correlation_id = 'req-' || id WHERE id % 2 = 0`);
  await fixture.db.sequelize.query(`SELECT setval('timeline_logs_id_seq', 8)`);
}

async function partitionNames(): Promise<string[]> {
  return (await listPartitions(fixture.db.sequelize, 'timeline_logs')).map((partition) => partition.name);
}

async function remainingIds(): Promise<number[]> {
  return (await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] })).map((log) => Number(log.get('id')));
}

const KEPT_PARTITIONS = [
  'timeline_logs_p2026_12',
  'timeline_logs_p2027_01',
  'timeline_logs_p2027_02',
  'timeline_logs_p2027_03',
  'timeline_logs_default',
];

describe('prune on a partitioned table', () => {
  it('maintains first, drops the partitions wholly before the cut-off, batch-deletes the rest, and returns the exact count', async () => {
    await seed();
    const progress: number[] = [];
    // 1900, October (2), November (its last microsecond), 44 BC (DEFAULT partition), the log at the cut-off.
    expect(await fixture.TimelineLog.prune({ keepDays: 30, onBatch: (done) => progress.push(done) })).toBe(6);
    expect(await remainingIds()).toEqual([7, 8]);
    expect(await partitionNames()).toEqual(KEPT_PARTITIONS);
    // One report per dropped partition (1900, October, November), then the batches.
    expect(progress).toEqual([1, 3, 4, 6]);
  });

  it('keeps a partition whose end is past the cut-off, deleting only its logs at or before the cut-off', async () => {
    await seed();
    await insertRaw(fixture.db.sequelize, [{ id: 9, timestamp: '2026-11-30T23:59:59.999500Z', event: 'after the cut-off' }]);
    now = new Date('2026-12-30T23:59:59.999Z'); // cut-off 2026-11-30T23:59:59.999Z, within November
    expect(await fixture.TimelineLog.prune({ keepDays: 30 })).toBe(4); // 1900 and October (2) dropped, 44 BC deleted
    expect(await remainingIds()).toEqual([4, 6, 7, 8, 9]);
    expect(await partitionNames()).toContain('timeline_logs_p2026_11');
    expect(await partitionNames()).not.toContain('timeline_logs_p2026_10');
  });

  it('a dry run counts exactly what the prune deletes and changes nothing (not even maintenance)', async () => {
    await seed();
    const before = await storedRows(fixture.db.sequelize);
    const partitions = await partitionNames();
    expect(await fixture.TimelineLog.prune({ keepDays: 30, dryRun: true })).toBe(6);
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
    expect(await partitionNames()).toEqual(partitions);
    expect(await fixture.TimelineLog.prune({ keepDays: 30 })).toBe(6);
  });

  it('all: drops every partition, deletes the DEFAULT partition’s logs, and makes the current and next partitions again', async () => {
    await seed();
    expect(await fixture.TimelineLog.prune({ all: true })).toBe(8);
    expect(await fixture.TimelineLog.count()).toBe(0);
    expect(await partitionNames()).toEqual(KEPT_PARTITIONS);
    await fixture.TimelineLog.log(null, { event: 'after' });
    expect(await fixture.TimelineLog.count()).toBe(1);
  });

  it('gives up with a ConfigurationError, keeping the partition, when a long transaction keeps it from detaching', async () => {
    await seed();
    await fixture.TimelineLog.maintainPartitions();
    const reader = await fixture.db.sequelize.transaction();
    try {
      await fixture.db.sequelize.query('SELECT count(*) FROM timeline_logs', { transaction: reader });
      await expect(fixture.TimelineLog.prune({ keepDays: 30 })).rejects.toThrow(
        /prune gave up after waiting 5s for a lock to detach timeline_logs_p1900_01 from timeline_logs .*run it again later/,
      );
    } finally {
      await reader.rollback();
    }
    expect(await partitionNames()).toContain('timeline_logs_p1900_01');
    expect(await fixture.TimelineLog.count()).toBe(8);
  });

  it('without a DEFAULT partition (and without the partitioning option), detaches concurrently and drops', async () => {
    await seed();
    await fixture.TimelineLog.maintainPartitions(); // 1900, October and November get partitions
    await fixture.db.sequelize.query(`DELETE FROM timeline_logs_default`); // the 44 BC log
    await fixture.db.sequelize.query(`DROP TABLE timeline_logs_default`);
    const runtime = fixture.TimelineLog.runtime;
    const unmaintained = { ...runtime, options: { ...runtime.options, partitioning: null } };
    const files: ArchiveFile[] = [];
    expect(await pruneTimelineLogs(unmaintained, { keepDays: 30, archiveDir: folder, onArchive: (file) => files.push(file) })).toBe(5);
    expect(files.map((file) => file.rows)).toEqual([1, 2, 1, 1]);
    expect(await remainingIds()).toEqual([7, 8]);
    expect(await partitionNames()).toEqual(KEPT_PARTITIONS.slice(0, -1));
  });
});

describe('prune with archiveDir on a partitioned table', () => {
  it('writes one file per dropped partition and per batch; importing them restores every column of every row', async () => {
    await seed();
    // import takes years 1 to 9999 only: a log of 44 BC is archived but cannot be read back.
    await fixture.db.sequelize.query(`DELETE FROM timeline_logs WHERE id = 5`);
    const before = await storedRows(fixture.db.sequelize);
    const files: ArchiveFile[] = [];
    expect(await fixture.TimelineLog.prune({ keepDays: 30, archiveDir: folder, onArchive: (file) => files.push(file) })).toBe(5);
    expect(files.map((file) => path.basename(file.path))).toEqual([
      'timeline_logs_19000110T080000Z_19000110T080000Z_ids-1-1.ndjson.gz',
      'timeline_logs_20261005T100000Z_20261020T100000Z_ids-2-3.ndjson.gz',
      'timeline_logs_20261130T235959Z_20261130T235959Z_ids-4-4.ndjson.gz',
      // The batch: the log at the cut-off (the December partition is kept).
      'timeline_logs_20261201T000000Z_20261201T000000Z_ids-6-6.ndjson.gz',
    ]);
    expect(await entriesOf(folder)).toEqual(files.map((file) => path.basename(file.path)).sort());
    expect(files.map((file) => file.rows)).toEqual([1, 2, 1, 1]);
    expect((await gunzipText(files[1]?.path as string)).split('\n')).toHaveLength(3);

    const resource = new TimelineLogResource();
    for (const file of files) expect((await resource.import(file.path)).totals).toMatchObject({ new: file.rows, invalid: 0, error: 0 });
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
  });

  it('a partition whose file cannot be written is not dropped: ArchiveError, no rows lost, the file in the way untouched', async () => {
    await seed();
    const name = 'timeline_logs_19000110T080000Z_19000110T080000Z_ids-1-1.ndjson.gz';
    await writeFile(path.join(folder, name), 'not mine');
    const before = await storedRows(fixture.db.sequelize);

    const error = await fixture.TimelineLog.prune({ keepDays: 30, archiveDir: folder }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).message).toMatch(/already exists with other contents: it is never overwritten/);
    expect(await entriesOf(folder)).toEqual([name]);
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
    expect(await partitionNames()).toEqual(
      expect.arrayContaining(['timeline_logs_p1900_01', 'timeline_logs_p2026_10', 'timeline_logs_p2026_11', 'timeline_logs_default']),
    );
  });

  it('the batch path deletes and archives rows sharing an id (the primary key is (id, timestamp)) exactly once each', async () => {
    await insertRaw(fixture.db.sequelize, [
      { id: 1, timestamp: '2026-12-01T00:00:00Z', event: 'a' },
      { id: 1, timestamp: '0044-03-15 12:00:00+00 BC', event: 'b' },
      { id: 2, timestamp: '2026-12-10T00:00:00Z', event: 'kept, same id as nothing' },
      { id: 1, timestamp: '2026-12-20T00:00:00Z', event: 'kept, id 1 after the cut-off' },
    ]);
    const files: ArchiveFile[] = [];
    expect(await fixture.TimelineLog.prune({ keepDays: 30, archiveDir: folder, batchSize: 1, onArchive: (file) => files.push(file) })).toBe(
      2,
    );
    expect(files.map((file) => file.rows)).toEqual([1, 1]);
    expect((await fixture.TimelineLog.findAll({ order: [['event', 'ASC']] })).map((log) => log.event)).toEqual([
      'kept, id 1 after the cut-off',
      'kept, same id as nothing',
    ]);
  });
});
