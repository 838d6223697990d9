import { renameSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError, TimelineLogResource, type ArchiveFile } from '../../src/index.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { insertRaw, type RawLog } from '../support/raw-log.js';
import { entriesOf, gunzipText, makeTempFolder, removeTempFolder, storedRows } from '../support/archive-folder.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const NOW = new Date('2026-12-31T12:00:00Z');
const fixture = useTimelineFixture({ now: () => NOW });
let folder: string;

/** Ten old logs (ids 1-10, December 1-10 2026, with users, JSON, correlation ids) and two recent ones (ids 11-12). */
async function seed(): Promise<void> {
  const alice = await createUser(fixture.models, `alice${Date.now()}`);
  const rows: RawLog[] = [];
  for (let day = 1; day <= 10; day += 1) {
    rows.push({
      id: day,
      content_type: 'Post',
      object_id: String(day),
      object_repr: `Post "${day}"\ttab ☕`,
      timestamp: `2026-12-${String(day).padStart(2, '0')}T0${day % 10}:00:00.12345${day % 10}Z`,
      user_id: day % 2 === 0 ? alice.get('id') : null,
      user_repr: day % 2 === 0 ? 'alice' : null,
      event: 'updated',
      extra_data: { changes: { title: [null, `v${day}\nline`] }, nested: { list: [1, 2.5, null, { deep: true }] } },
    });
  }
  rows.push({ id: 11, timestamp: '2026-12-30T00:00:00Z' }, { id: 12, timestamp: '2026-12-31T00:00:00Z' });
  await insertRaw(fixture.db.sequelize, rows);
  await fixture.db.sequelize.query(`UPDATE timeline_logs SET correlation_id = 'req-' || id WHERE id % 3 = 0`);
  await fixture.db.sequelize.query(`SELECT setval('timeline_logs_id_seq', 12)`);
}

beforeEach(async () => {
  folder = await makeTempFolder();
  await seed();
});
afterEach(() => removeTempFolder(folder));

describe('prune with archiveDir', () => {
  it('writes the pruned logs as gzip ndjson files named by range, in the export format, and deletes them', async () => {
    const exported = (await exportToBuffer(new TimelineLogResource(), { format: 'ndjson' })).toString('utf8');
    const files: ArchiveFile[] = [];
    const deleted = await fixture.TimelineLog.prune({
      keepDays: 7,
      archiveDir: folder,
      batchSize: 4,
      onArchive: (file) => files.push(file),
    });

    expect(deleted).toBe(10);
    expect(files.map((file) => path.basename(file.path))).toEqual([
      'timeline_logs_20261201T010000Z_20261204T040000Z_ids-1-4.ndjson.gz',
      'timeline_logs_20261205T050000Z_20261208T080000Z_ids-5-8.ndjson.gz',
      'timeline_logs_20261209T090000Z_20261210T000000Z_ids-9-10.ndjson.gz',
    ]);
    expect(await entriesOf(folder)).toEqual(files.map((file) => path.basename(file.path)));
    expect(files.map((file) => [file.rows, file.firstId, file.lastId, file.reused])).toEqual([
      [4, '1', '4', false],
      [4, '5', '8', false],
      [2, '9', '10', false],
    ]);
    expect(files[0]?.earliest.toISOString()).toBe('2026-12-01T01:00:00.123Z');
    expect(files[2]?.latest.toISOString()).toBe('2026-12-10T00:00:00.123Z');
    expect(files[0]?.bytes).toBe((await stat(files[0]?.path as string)).size);
    // Byte for byte the lines `export --format ndjson` wrote for the same rows.
    const archived = (await Promise.all(files.map((file) => gunzipText(file.path)))).join('');
    expect(archived).toBe(exported.split('\n').slice(0, 10).join('\n') + '\n');
    expect((await fixture.TimelineLog.findAll()).map((log) => Number(log.get('id'))).sort()).toEqual([11, 12]);
  });

  it('is restored by importing the archive files: the same rows, every column and id', async () => {
    const before = await storedRows(fixture.db.sequelize);
    const files: ArchiveFile[] = [];
    await fixture.TimelineLog.prune({ all: true, archiveDir: folder, batchSize: 5, onArchive: (file) => files.push(file) });
    expect(await fixture.TimelineLog.count()).toBe(0);

    const resource = new TimelineLogResource();
    for (const file of files) {
      const result = await resource.import(file.path);
      expect(result.totals).toMatchObject({ new: file.rows, invalid: 0, error: 0 });
    }
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
  });

  it('reuses a file already there with the same contents (an earlier run whose delete did not commit)', async () => {
    const first: ArchiveFile[] = [];
    await fixture.TimelineLog.prune({ keepDays: 7, archiveDir: folder, onArchive: (file) => first.push(file) });
    const kept = await readFile(first[0]?.path as string);
    await new TimelineLogResource().import(first[0]?.path as string);

    const second: ArchiveFile[] = [];
    expect(await fixture.TimelineLog.prune({ keepDays: 7, archiveDir: folder, onArchive: (file) => second.push(file) })).toBe(10);
    expect(second.map((file) => [file.path, file.reused])).toEqual([[first[0]?.path, true]]);
    expect(await readFile(second[0]?.path as string)).toEqual(kept);
    expect(await entriesOf(folder)).toEqual([path.basename(first[0]?.path as string)]);
  });

  it('never overwrites a file of the same name with other contents: ArchiveError, nothing deleted, no temporary file', async () => {
    const name = 'timeline_logs_20261201T010000Z_20261210T000000Z_ids-1-10.ndjson.gz';
    await writeFile(path.join(folder, name), 'not mine');
    const before = await storedRows(fixture.db.sequelize);

    const error = await fixture.TimelineLog.prune({ keepDays: 7, archiveDir: folder }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).message).toMatch(/already exists with other contents: it is never overwritten/);
    expect(await readFile(path.join(folder, name), 'utf8')).toBe('not mine');
    expect(await entriesOf(folder)).toEqual([name]);
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
  });

  it('stops at a batch whose folder went away: that batch and the rest stay, earlier batches stay archived, no temporary file', async () => {
    const moved = `${folder}-moved`;
    const files: ArchiveFile[] = [];
    const pruning = fixture.TimelineLog.prune({
      keepDays: 7,
      archiveDir: folder,
      batchSize: 4,
      // After the first batch has committed, the archive folder is moved away (files and all).
      onArchive: (file) => {
        files.push(file);
        renameSync(folder, moved);
      },
    });
    try {
      await expect(pruning).rejects.toThrow(ArchiveError);
      await expect(pruning).rejects.toThrow(/Cannot write the archive file .*ENOENT.*; nothing was deleted\./);
      expect(files.map((file) => path.basename(file.path))).toEqual(['timeline_logs_20261201T010000Z_20261204T040000Z_ids-1-4.ndjson.gz']);
      expect(await entriesOf(moved)).toEqual([path.basename(files[0]?.path as string)]);
      const left = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
      expect(left.map((log) => Number(log.get('id')))).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    } finally {
      await removeTempFolder(moved);
    }
  });

  it('a dry run counts and writes nothing; an unusable folder is an ArchiveError before anything is deleted', async () => {
    expect(await fixture.TimelineLog.prune({ keepDays: 7, archiveDir: folder, dryRun: true })).toBe(10);
    expect(await entriesOf(folder)).toEqual([]);

    const missing = path.join(folder, 'missing');
    await expect(fixture.TimelineLog.prune({ keepDays: 7, archiveDir: missing })).rejects.toThrow(
      `The archive folder ${missing} does not exist: create it, or pass another folder.`,
    );
    const notFolder = path.join(folder, 'file');
    await writeFile(notFolder, '');
    await expect(fixture.TimelineLog.prune({ keepDays: 7, archiveDir: notFolder, dryRun: true })).rejects.toThrow(/is not a folder/);
    expect(await fixture.TimelineLog.count()).toBe(12);
  });
});
