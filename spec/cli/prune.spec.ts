import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePruneRequest, runPrune, type PruneCommandOptions } from '../../src/cli/commands/prune.js';
import { UsageError } from '../../src/cli/usage-error.js';
import type { Locale } from '../../src/render/locale.js';
import { translate } from '../../src/render/translate.js';
import { createTimelineFixture, PARTITIONED_RUN, type TimelineFixture } from '../support/timeline-fixture.js';
import { runCliProcess, CLI_CONFIG } from '../support/cli-process.js';
import { capture, stdinOf } from '../support/command-streams.js';
import { recordQueries } from '../support/query-recorder.js';
import { PRUNE_BATCH_SIZE } from '../../src/model/prune.js';
import { createProgressReporter } from '../../src/cli/progress-reporter.js';
import { extraObject } from '../support/extra-data.js';

const NOW = new Date('2026-03-15T09:30:00Z');
const DAY = 86_400_000;
/** Ages of the seeded logs, in days before NOW. */
const AGES = [0, 1, 2, 3, 10];

let fixture: TimelineFixture;

async function seed(ages: readonly number[] = AGES): Promise<void> {
  await fixture.TimelineLog.destroy({ where: {}, truncate: true });
  for (const age of ages) await fixture.TimelineLog.log(null, { timestamp: new Date(NOW.getTime() - age * DAY), extraData: { age } });
}

async function remainingAges(): Promise<number[]> {
  const logs = await fixture.TimelineLog.findAll({ order: [['timestamp', 'DESC']] });
  return logs.map((log) => extraObject(log).age as number);
}

function translator(locale: Locale) {
  return (msgid: string, params?: Readonly<Record<string, string | number>>) => translate(locale, msgid, params);
}

/** Runs the command's body as the CLI does, with real streams; usage errors are thrown. */
/** Runs prune with `stdin` typed at a terminal (or, with `terminal: false`, piped in). */
async function prune(
  options: PruneCommandOptions,
  { stdin = '', locale = 'en', terminal = true }: { stdin?: string; locale?: Locale; terminal?: boolean } = {},
) {
  const t = translator(locale);
  const stdout = capture();
  const code = await runPrune(
    parsePruneRequest(options, t),
    fixture.TimelineLog.runtime,
    { stdin: Object.assign(stdinOf(stdin), { isTTY: terminal }), stdout },
    t,
  );
  return { code, stdout: stdout.text() };
}

beforeAll(async () => {
  fixture = await createTimelineFixture({ now: () => NOW });
});
afterAll(async () => {
  await fixture?.db.drop();
});
beforeEach(() => seed());

describe('prune --keep-days N (frozen clock)', () => {
  it('deletes logs at least N days old and keeps the newer ones', async () => {
    const result = await prune({ keepDays: '2' });
    expect(result).toEqual({ code: 0, stdout: 'Successfully deleted 3 timeline logs.\n' });
    expect(await remainingAges()).toEqual([0, 1]);
  });

  it('with 0 deletes everything up to now, once confirmed', async () => {
    const result = await prune({ keepDays: '0' }, { stdin: 'yes\n' });
    expect(result.stdout).toMatch(/Type 'yes' to continue, or 'no' to cancel: Successfully deleted 5 timeline logs\.\n$/);
    expect(await remainingAges()).toEqual([]);
  });

  it('never prompts for a cut-off in the past (N of 1 or more)', async () => {
    const result = await prune({ keepDays: '2', input: true });
    expect(result.stdout).not.toContain('Are you sure');
  });

  it('says "timeline log" for exactly one, in English and Dutch', async () => {
    expect((await prune({ keepDays: '5', dryRun: true })).stdout).toBe('1 timeline log would be deleted (dry run: nothing was deleted).\n');
    expect((await prune({ keepDays: '5' }, { locale: 'nl' })).stdout).toBe('1 tijdlijnlog succesvol verwijderd.\n');
    expect((await prune({ keepDays: '1' })).stdout).toMatch(/^Successfully deleted \d+ timeline logs\.\n$/);
  });

  it('with --dry-run prints the count and deletes nothing', async () => {
    const result = await prune({ keepDays: '2', dryRun: true });
    expect(result).toEqual({ code: 0, stdout: '3 timeline logs would be deleted (dry run: nothing was deleted).\n' });
    expect(await remainingAges()).toEqual(AGES);
  });
});

describe('prune of many rows', () => {
  it('deletes in batches of 10,000 ids, one short statement each', async () => {
    const rows = 2 * PRUNE_BATCH_SIZE + 1;
    await fixture.db.sequelize.query(
      `INSERT INTO timeline_logs ("timestamp", template) SELECT $old, 'timeline_logger/default.ejs' FROM generate_series(1, ${rows})`,
      { bind: { old: new Date(NOW.getTime() - 30 * DAY) } },
    );
    const { result, statements } = await recordQueries(fixture.db.sequelize, () => prune({ keepDays: '7' }));
    expect(result).toEqual({ code: 0, stdout: `Successfully deleted ${rows + 1} timeline logs.\n` });
    if (PARTITIONED_RUN) {
      // The old logs' month is wholly before the cut-off: its partition is dropped, not deleted from.
      expect(statements.filter((sql) => sql.includes('DETACH PARTITION'))).toHaveLength(1);
    } else {
      // 10,000 + 10,000 + 2 logs: one statement per batch, the catalog lookup that tells the table is plain,
      // and a look before and after at the seal chain (empty: nothing to record, no lock taken).
      expect(statements.filter((sql) => sql.startsWith('DELETE'))).toHaveLength(3);
      expect(statements).toHaveLength(6);
    }
    expect(await remainingAges()).toEqual([0, 1, 2, 3]);
  });

  it('shows a progress bar on a terminal, and the same result', async () => {
    const rows = PRUNE_BATCH_SIZE + 5;
    await fixture.db.sequelize.query(
      `INSERT INTO timeline_logs ("timestamp", template) SELECT $old, 'timeline_logger/default.ejs' FROM generate_series(1, ${rows})`,
      { bind: { old: new Date(NOW.getTime() - 30 * DAY) } },
    );
    const t = translator('en');
    const stdout = capture();
    const terminal = Object.assign(capture(), { isTTY: true });
    const progress = (total: number | null) => createProgressReporter(terminal, t('Deleting'), total);
    const code = await runPrune(
      parsePruneRequest({ keepDays: '7' }, t),
      fixture.TimelineLog.runtime,
      { stdin: stdinOf(''), stdout, progress },
      t,
    );
    expect(code).toBe(0);
    expect(stdout.text()).toBe(`Successfully deleted ${rows + 1} timeline logs.\n`);
    expect(terminal.text()).toContain(`Deleting [`);
    expect(terminal.text()).toContain(`/${rows + 1} rows`);
  });
});

describe('prune --all', () => {
  it('with --no-input deletes every log without asking', async () => {
    const result = await prune({ all: true, input: false });
    expect(result).toEqual({ code: 0, stdout: 'Successfully deleted 5 timeline logs.\n' });
    expect(await remainingAges()).toEqual([]);
  });

  it('with --dry-run counts every log', async () => {
    const result = await prune({ all: true, dryRun: true });
    expect(result.stdout).toBe('5 timeline logs would be deleted (dry run: nothing was deleted).\n');
    expect(await remainingAges()).toEqual(AGES);
  });

  it('asks first, and goes ahead on "yes"', async () => {
    const result = await prune({ all: true }, { stdin: 'yes\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'You have specified "--all", meaning all timeline logs will be deleted.\n' +
        'Are you sure you want to do this?\n\n' +
        "Type 'yes' to continue, or 'no' to cancel: " +
        'Successfully deleted 5 timeline logs.\n',
    );
    expect(await remainingAges()).toEqual([]);
  });

  it.each(['yes', '  yes  \n', 'yes\r\n'])('accepts %j (surrounding spaces and line endings ignored)', async (answer) => {
    const result = await prune({ all: true }, { stdin: answer });
    expect(result.code).toBe(0);
    expect(await remainingAges()).toEqual([]);
  });

  it.each(['y\n', 'YES\n', 'Yes\n', 'no\n', '\n', 'yes please\n', '', 'nope\nyes\n'])(
    'cancels on %j and deletes nothing',
    async (answer) => {
      const result = await prune({ all: true }, { stdin: answer });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Prune cancelled: nothing was deleted\.\n$/);
      expect(await remainingAges()).toEqual(AGES);
    },
  );
});

describe('prune without a person at a terminal', () => {
  it('cancels --all when the answer is piped in (echo yes | prune --all), and says how to go ahead', async () => {
    const result = await prune({ all: true }, { stdin: 'yes\n', terminal: false });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'There is no terminal to confirm on: pass --no-input to prune without asking.\nPrune cancelled: nothing was deleted.\n',
    );
    expect(await remainingAges()).toEqual(AGES);
  });

  it('asks for --keep-days 0 as for --all (it deletes everything), and --no-input skips the question', async () => {
    const cancelled = await prune({ keepDays: '0' }, { stdin: 'no\n' });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stdout).toMatch(/^You have specified "--keep-days 0", meaning all timeline logs until now will be deleted\./);
    expect(await remainingAges()).toEqual(AGES);
    const unattended = await prune({ keepDays: '0', input: false }, { terminal: false });
    expect(unattended.code).toBe(0);
    expect(await remainingAges()).toEqual([]);
  });
});

describe('prune usage', () => {
  it.each<[PruneCommandOptions, RegExp]>([
    [{}, /^Give exactly one of --keep-days N and --all\.$/],
    [{ all: true, keepDays: '2' }, /^Give exactly one of --keep-days N and --all\.$/],
    [{ keepDays: '-1' }, /^--keep-days must be a whole number of days, 0 or more \(got "-1"\)\.$/],
    [{ keepDays: 'two' }, /got "two"/],
    [{ keepDays: '1.5' }, /got "1\.5"/],
  ])('%o is a usage error (exit 2)', (options, message) => {
    expect(() => parsePruneRequest(options, translator('en'))).toThrow(UsageError);
    expect(() => parsePruneRequest(options, translator('en'))).toThrow(message);
  });

  it('only asks with --all or --keep-days 0, and without --no-input', () => {
    const t = translator('en');
    expect(parsePruneRequest({ all: true }, t).confirm).toBe(true);
    expect(parsePruneRequest({ all: true, input: false }, t).confirm).toBe(false);
    expect(parsePruneRequest({ keepDays: '3', input: true }, t)).toEqual({ prune: { keepDays: 3, dryRun: false }, confirm: false });
    expect(parsePruneRequest({ keepDays: '0' }, t).confirm).toBe(true);
    expect(parsePruneRequest({ keepDays: '0', input: false }, t).confirm).toBe(false);
  });
});

describe('prune in Dutch', () => {
  it('reports, asks and refuses in Dutch', async () => {
    expect((await prune({ keepDays: '2' }, { locale: 'nl' })).stdout).toBe('3 tijdlijnlogs succesvol verwijderd.\n');
    const cancelled = await prune({ all: true }, { locale: 'nl', stdin: 'ja\n' });
    expect(cancelled.stdout).toContain("Typ 'yes' om door te gaan, of 'no' om te annuleren: ");
    expect(cancelled.stdout).toContain('Opschonen geannuleerd: er is niets verwijderd.');
    expect(() => parsePruneRequest({}, translator('nl'))).toThrow('Geef precies één van --keep-days N en --all op.');
  });
});

describe('the timeline-logger prune process (real clock)', () => {
  const env = () => ({ DATABASE_URL: fixture.db.url });

  /** Logs aged in days relative to the real now: the process has no clock to freeze. */
  async function seedRelativeToNow(ages: readonly number[]): Promise<void> {
    await fixture.TimelineLog.destroy({ where: {}, truncate: true });
    for (const age of ages) await fixture.TimelineLog.log(null, { timestamp: new Date(Date.now() - age * DAY), extraData: { age } });
  }

  it('--keep-days 2 keeps the logs younger than two days (and --dry-run only counts them)', async () => {
    await seedRelativeToNow([0, 1.5, 2.5, 3, 10]);
    const dryRun = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '2', '--dry-run'], { env: env() });
    expect(dryRun).toMatchObject({ code: 0, stdout: '3 timeline logs would be deleted (dry run: nothing was deleted).\n' });
    expect(await remainingAges()).toEqual([0, 1.5, 2.5, 3, 10]);
    const run = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '2'], { env: env() });
    expect(run).toMatchObject({ code: 0, stdout: 'Successfully deleted 3 timeline logs.\n' });
    expect(await remainingAges()).toEqual([0, 1.5]);
  });

  it('--all --no-input deletes everything without asking', async () => {
    await seedRelativeToNow([0, 1, 40]);
    const run = await runCliProcess(['prune', '--all', '--no-input'], { env: env() });
    expect(run).toEqual({ code: 0, stdout: 'Successfully deleted 3 timeline logs.\n', stderr: '' });
    expect(await remainingAges()).toEqual([]);
  });

  it('--all without a terminal (no stdin as under cron, or a pipe) cancels with exit 1; --no-input prunes', async () => {
    await seedRelativeToNow([0, 1]);
    const cancelled = await runCliProcess(['prune', '--all'], { env: env(), stdin: null });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stdout).toContain('Prune cancelled: nothing was deleted.');
    expect(await remainingAges()).toEqual([0, 1]);
    const piped = await runCliProcess(['prune', '--all'], { env: env(), stdin: 'yes\n' });
    expect(piped.code).toBe(1);
    expect(await remainingAges()).toEqual([0, 1]);
    const confirmed = await runCliProcess(['--locale', 'nl', 'prune', '--all', '--no-input'], { env: env(), stdin: null });
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toBe('2 tijdlijnlogs succesvol verwijderd.\n');
    expect(await remainingAges()).toEqual([]);
  });

  it('exits 2 with a usage message for --keep-days with --all', async () => {
    const run = await runCliProcess(['prune', '--keep-days', '3', '--all'], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Give exactly one of --keep-days N and --all.');
  });
});
