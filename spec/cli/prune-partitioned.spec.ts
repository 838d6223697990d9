import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listPartitions } from '../../src/index.js';
import { entriesOf, makeTempFolder, removeTempFolder, storedRows } from '../support/archive-folder.js';
import { CLI_CONFIG, runCliProcess } from '../support/cli-process.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

const DAY = 86_400_000;
let fixture: TimelineFixture;
let folder: string;
/** The CLI process sets the same partitioning option as the fixture (see spec/support/config). */
const env = () => ({ DATABASE_URL: fixture.db.url, TIMELINE_PARTITIONED: '1' });

beforeAll(async () => {
  fixture = await createTimelineFixture({ partitioning: { interval: 'month' } });
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  folder = await makeTempFolder();
  // Logs 400, 100 and 61 days old (in the DEFAULT partition: only the current and next months
  // have partitions yet) and one from today. The process has no clock to freeze.
  for (const age of [400, 100, 61, 0]) {
    await fixture.TimelineLog.log(null, { timestamp: new Date(Date.now() - age * DAY), extraData: { age, text: 'ünï\n"x"' } });
  }
});
afterEach(() => removeTempFolder(folder));

describe('timeline-logger prune --archive-dir on a partitioned table', () => {
  it('maintains, drops the old partitions into one file each, deletes the rest, and import restores every row', async () => {
    const before = await storedRows(fixture.db.sequelize);
    const run = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '60', '--archive-dir', folder], { env: env() });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const files = await entriesOf(folder);
    expect(files).toHaveLength(3);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('Archived 1 timeline log to '))).toHaveLength(3);
    expect(run.stdout).toContain(`Archived 1 timeline log to ${path.join(folder, files[0] as string)}\n`);
    expect(run.stdout.endsWith('Successfully deleted 3 timeline logs.\n')).toBe(true);
    expect(await fixture.TimelineLog.count()).toBe(1);
    const cutoff = Date.now() - 60 * DAY;
    const partitions = await listPartitions(fixture.db.sequelize, 'timeline_logs');
    expect(partitions.filter((partition) => partition.to !== null && partition.to.getTime() <= cutoff)).toEqual([]);

    for (const file of files) {
      const restored = await runCliProcess(['--config', CLI_CONFIG, 'import', path.join(folder, file)], { env: env() });
      expect(restored.code).toBe(0);
    }
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
  });
});
