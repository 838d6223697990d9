import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePruneRequest } from '../../src/cli/commands/prune.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { translate } from '../../src/render/translate.js';
import { entriesOf, makeTempFolder, removeTempFolder, storedRows } from '../support/archive-folder.js';
import { CLI_CONFIG, runCliProcess } from '../support/cli-process.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const DAY = 86_400_000;
const fixture = useTimelineFixture();
const t = (msgid: string, params?: Readonly<Record<string, string | number>>) => translate('en', msgid, params);
const env = () => ({ DATABASE_URL: fixture.db.url });
let folder: string;

beforeEach(async () => {
  folder = await makeTempFolder();
  // Five logs 10 to 14 days old (the process has no clock to freeze), one from today.
  for (const age of [14, 13, 12, 11, 10, 0]) {
    await fixture.TimelineLog.log(null, { timestamp: new Date(Date.now() - age * DAY), extraData: { age, text: 'ünï\n"x"' } });
  }
});
afterEach(() => removeTempFolder(folder));

describe('timeline-logger prune --archive-dir', () => {
  it('archives in batches, prints each file, deletes, and import brings the rows back (exit 0 throughout)', async () => {
    const before = await storedRows(fixture.db.sequelize);
    const run = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '7', '--archive-dir', folder, '--batch-size', '2'], {
      env: env(),
    });
    expect(run.code).toBe(0);
    const files = await entriesOf(folder);
    expect(files).toHaveLength(3);
    expect(files.every((file) => /^timeline_logs_\d{8}T\d{6}Z_\d{8}T\d{6}Z_ids-\d+-\d+\.ndjson\.gz$/.test(file))).toBe(true);
    expect(run.stdout).toBe(
      [
        `Archived 2 timeline logs to ${path.join(folder, files[0] as string)}`,
        `Archived 2 timeline logs to ${path.join(folder, files[1] as string)}`,
        `Archived 1 timeline log to ${path.join(folder, files[2] as string)}`,
        'Successfully deleted 5 timeline logs.',
        '',
      ].join('\n'),
    );
    expect(await fixture.TimelineLog.count()).toBe(1);

    for (const file of files) {
      const restored = await runCliProcess(['--config', CLI_CONFIG, 'import', path.join(folder, file)], { env: env() });
      expect(restored.code).toBe(0);
    }
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
  });

  it('--dry-run writes nothing; a missing folder exits 1 with the reason, deleting nothing; a bad --batch-size exits 2', async () => {
    const dryRun = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '7', '--archive-dir', folder, '--dry-run'], {
      env: env(),
    });
    expect(dryRun).toMatchObject({ code: 0, stdout: '5 timeline logs would be deleted (dry run: nothing was deleted).\n' });
    expect(await readdir(folder)).toEqual([]);

    const missing = path.join(folder, 'nope');
    const failed = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '7', '--archive-dir', missing], { env: env() });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`The archive folder ${missing} does not exist: create it, or pass another folder.`);
    expect(await fixture.TimelineLog.count()).toBe(6);

    const usage = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '7', '--batch-size', '0'], { env: env() });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--batch-size must be a whole number of at least 1');
  });

  it('refuses to overwrite a file in its way (exit 1, nothing deleted, the file untouched)', async () => {
    const probe = await makeTempFolder();
    try {
      // The name the real run will use: learnt from a run into another folder, restored afterwards.
      const before = await storedRows(fixture.db.sequelize);
      const learn = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '7', '--archive-dir', probe], { env: env() });
      expect(learn.code).toBe(0);
      const [name] = await entriesOf(probe);
      await runCliProcess(['--config', CLI_CONFIG, 'import', path.join(probe, name as string)], { env: env() });
      expect(await storedRows(fixture.db.sequelize)).toEqual(before);
      await writeFile(path.join(folder, name as string), gzipSync('{"id":1}\n'));

      const run = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '7', '--archive-dir', folder], { env: env() });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('already exists with other contents: it is never overwritten');
      expect(await entriesOf(folder)).toEqual([name]);
      expect(await storedRows(fixture.db.sequelize)).toEqual(before);
    } finally {
      await removeTempFolder(probe);
    }
  });
});

describe('parsePruneRequest: --archive-dir and --batch-size', () => {
  it('passes them on, and refuses an empty folder or a batch size below 1', () => {
    expect(parsePruneRequest({ keepDays: '30', archiveDir: 'archive', batchSize: '500' }, t).prune).toEqual({
      keepDays: 30,
      dryRun: false,
      batchSize: 500,
      archiveDir: 'archive',
    });
    expect(() => parsePruneRequest({ all: true, archiveDir: ' ' }, t)).toThrow(UsageError);
    expect(() => parsePruneRequest({ all: true, batchSize: 'x' }, t)).toThrow(UsageError);
  });
});
