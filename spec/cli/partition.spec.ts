import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { runPartition, type PartitionRequest } from '../../src/cli/commands/partition.js';
import { setupTimeline } from '../../src/index.js';
import type { Locale } from '../../src/render/locale.js';
import { translate } from '../../src/render/translate.js';
import { CLI_CONFIG, PARTITIONED_CLI_CONFIG, runCliProcess } from '../support/cli-process.js';
import { capture, stdinOf } from '../support/command-streams.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

/** 30 logs, three a month from January to October 2025. */
async function plainTableWithLogs(): Promise<TimelineFixture> {
  const fixture = await createTimelineFixture({ partitioning: undefined });
  for (let index = 0; index < 30; index += 1) {
    await fixture.TimelineLog.log(null, {
      event: `log ${index}`,
      timestamp: new Date(Date.UTC(2025, Math.floor(index / 3), 1 + index, 8)),
    });
  }
  setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, partitioning: { interval: 'month', premake: 1 } });
  return fixture;
}

async function relkind(fixture: TimelineFixture): Promise<string | undefined> {
  const [row] = await fixture.db.sequelize.query<{ kind: string }>(
    `SELECT relkind AS kind FROM pg_class WHERE oid = 'timeline_logs'::regclass`,
    {
      type: QueryTypes.SELECT,
    },
  );
  return row?.kind;
}

async function allRows(fixture: TimelineFixture): Promise<string[]> {
  const rows = await fixture.db.sequelize.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM timeline_logs t ORDER BY id`, {
    type: QueryTypes.SELECT,
  });
  return rows.map((row) => row.row);
}

/** Runs the command's body in-process with `stdin` typed at a terminal. */
async function partition(
  fixture: TimelineFixture,
  request: PartitionRequest,
  { stdin = '', locale = 'en' }: { stdin?: string; locale?: Locale } = {},
) {
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>) => translate(locale, msgid, params);
  const stdout = capture();
  const stderr = capture();
  const code = await runPartition(
    request,
    fixture.TimelineLog.runtime,
    { stdin: Object.assign(stdinOf(stdin), { isTTY: true }), stdout, stderr },
    t,
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('timeline-logger partition (a process of its own)', () => {
  let fixture: TimelineFixture;
  let before: string[];
  const cli = (args: readonly string[], stdin: string | null = null) =>
    runCliProcess(['--config', PARTITIONED_CLI_CONFIG, 'partition', ...args], { env: { DATABASE_URL: fixture.db.url }, stdin });

  beforeAll(async () => {
    fixture = await plainTableWithLogs();
    before = await allRows(fixture);
  });
  afterAll(async () => {
    await fixture.db.drop();
  });

  it('with a config that sets no partitioning, says so and exits 2', async () => {
    const run = await runCliProcess(['--config', CLI_CONFIG, 'partition', '--no-input'], { env: { DATABASE_URL: fixture.db.url } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("The configuration sets no partitioning option: add partitioning: { interval: 'month' }");
    expect(await relkind(fixture)).toBe('r');
  });

  it('--dry-run prints the plan (logs, partitions, locks) and changes nothing', async () => {
    const run = await cli(['--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'The table timeline_logs is not partitioned. It holds 30 logs, from 2025-01-01T08:00:00.000Z to 2025-10-30T08:00:00.000Z.\n' +
        'It will be converted to a table partitioned by month, with these ',
    );
    expect(run.stdout).toContain('\n  timeline_logs_p2025_01  2025-01-01 to 2025-02-01\n');
    expect(run.stdout).toContain('\n  timeline_logs_default  every other timestamp\n');
    expect(run.stdout).toContain(
      'Locks, in order:\n' +
        '  timeline_logs: EXCLUSIVE, from the start to the end (reads go on, writes wait)\n' +
        '  users: SHARE ROW EXCLUSIVE, while the foreign key to it is checked (writes to it wait)\n' +
        '  timeline_logs: ACCESS EXCLUSIVE, for the swap at the end (reads wait too, briefly)\n' +
        'Writes to timeline_logs wait until the conversion is done; reads go on. Every log and id is kept.\n' +
        'Dry run: nothing was changed.\n',
    );
    expect(await relkind(fixture)).toBe('r');
  });

  it('cancels when stdin is a pipe, even one that says yes (exit 1)', async () => {
    const run = await cli([], 'yes\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /There is no terminal to confirm on: pass --no-input to convert without asking\.\nConversion cancelled: nothing was changed\.\n$/,
    );
    expect(await relkind(fixture)).toBe('r');
  });

  it('--no-input converts, keeping every row, and prints the time and how long writes waited', async () => {
    const run = await cli(['--no-input']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /\nConverted timeline_logs: 30 logs in \d+ partitions, in \d+\.\d s\. Writes waited for the lock for at most \d+\.\d s\.\n$/,
    );
    expect(run.stderr).toContain(
      'Making the partitions and copying the logs...\nBuilding the keys and indexes...\nSwapping the tables...\n',
    );
    expect(await relkind(fixture)).toBe('p');
    expect(await allRows(fixture)).toEqual(before);
  });

  it('on the partitioned table makes its partitions ahead', async () => {
    const run = await cli(['--no-input']);
    expect(run).toMatchObject({ code: 0, stdout: 'The table timeline_logs is already partitioned; its partitions are up to date.\n' });
  });
});

describe('timeline-logger partition at a terminal', () => {
  let fixture: TimelineFixture;

  beforeAll(async () => {
    fixture = await plainTableWithLogs();
  });
  afterAll(async () => {
    await fixture.db.drop();
  });

  it('prints the plan in Dutch and cancels on anything but yes', async () => {
    const result = await partition(fixture, { dryRun: false, confirm: true }, { stdin: 'ja\n', locale: 'nl' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'De tabel timeline_logs is niet gepartitioneerd. Er staan 30 logs in, van 2025-01-01T08:00:00.000Z tot 2025-10-30T08:00:00.000Z',
    );
    expect(result.stdout).toMatch(/Typ 'yes' om door te gaan, of 'no' om te annuleren: Omzetting geannuleerd: er is niets veranderd\.\n$/);
    expect(await relkind(fixture)).toBe('r');
  });

  it('converts on yes', async () => {
    const result = await partition(fixture, { dryRun: false, confirm: true }, { stdin: 'yes\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Type 'yes' to continue, or 'no' to cancel: Converted timeline_logs: 30 logs");
    expect(await relkind(fixture)).toBe('p');
  });

  it('--dry-run on the partitioned table changes nothing', async () => {
    const result = await partition(fixture, { dryRun: true, confirm: true });
    expect(result).toMatchObject({
      code: 0,
      stdout:
        'The table timeline_logs is already partitioned: without --dry-run, partition makes its partitions ahead (dry run: nothing was changed).\n',
    });
  });
});
