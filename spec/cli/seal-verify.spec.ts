import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSealRequest, runSeal } from '../../src/cli/commands/seal.js';
import { parseVerifyRequest } from '../../src/cli/commands/verify.js';
import { createProgressReporter } from '../../src/cli/progress-reporter.js';
import { UsageError } from '../../src/cli/usage-error.js';
import type { Locale } from '../../src/render/locale.js';
import { translate } from '../../src/render/translate.js';
import { CLI_CONFIG, runCliProcess, type CliRun } from '../support/cli-process.js';
import { capture } from '../support/command-streams.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

const KEY = 'cli-seal-key-'.padEnd(40, 'k');
const OTHER_KEY = 'cli-other-key-'.padEnd(40, 'o');
const ANCHOR = /^Anchor: (\d+:[0-9a-f]{64})$/m;

let fixture: TimelineFixture;
let folder: string;

beforeAll(async () => {
  fixture = await createTimelineFixture({ sealKey: KEY });
  folder = await mkdtemp(path.join(tmpdir(), 'timeline-seal-cli-'));
});
afterAll(async () => {
  await fixture?.db.drop();
  await rm(folder, { recursive: true, force: true });
});
beforeEach(async () => {
  await sql('TRUNCATE timeline_logs, timeline_logs_seals');
  await sql("SELECT setval('timeline_logs_id_seq', 1, false)");
});

async function sql(statement: string): Promise<void> {
  await fixture.db.sequelize.query(statement);
}

async function logs(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) await fixture.TimelineLog.log(null, { event: `event ${index}` });
}

/** Runs `timeline-logger ...args` on the fixture's database, with `TIMELINE_SEAL_KEY` (none by default) and the config's key. */
function cli(args: readonly string[], keys: { env?: string; config?: string } = {}): Promise<CliRun> {
  return runCliProcess(args, {
    env: { DATABASE_URL: fixture.db.url, TIMELINE_SEAL_KEY: keys.env ?? '', TIMELINE_CONFIG_SEAL_KEY: keys.config ?? '' },
  });
}

function translator(locale: Locale) {
  return (msgid: string, params?: Readonly<Record<string, string | number>>) => translate(locale, msgid, params);
}

/** The chain's newest link, as the library reports it. */
async function newestAnchor(): Promise<string | null> {
  return (await fixture.TimelineLog.verify({ maxProblems: 0 })).anchor;
}

function anchorOf(run: CliRun): string {
  const match = ANCHOR.exec(run.stdout);
  if (match === null) throw new Error(`no anchor line in ${JSON.stringify(run.stdout)}`);
  return match[1] as string;
}

describe('timeline-logger seal, then verify', () => {
  it('seals with TIMELINE_SEAL_KEY (DATABASE_URL only), prints the anchor, and verify finds the timeline intact', async () => {
    await logs(3);
    const sealed = await cli(['seal'], { env: KEY });
    expect(sealed).toMatchObject({ code: 0, stderr: '' });
    expect(sealed.stdout).toMatch(/^Sealed 3 timeline logs through id 3\.\nAnchor: 1:[0-9a-f]{64}\n$/);
    await logs(1);
    const verified = await cli(['verify', '--anchor', anchorOf(sealed)], { env: KEY });
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toBe(`Intact: 3 sealed logs checked, 1 unsealed, 0 removed by prune.\nAnchor: ${anchorOf(sealed)}\n`);
    const again = await cli(['seal', '--batch-size', '1'], { env: KEY });
    expect(again.stdout).toMatch(/^Sealed 1 timeline log through id 4\.\nAnchor: 2:/);
    expect((await cli(['seal'], { env: KEY })).stdout).toMatch(/^Nothing new to seal; sealed through id 4\.\nAnchor: 2:/);
    for (const run of [sealed, verified, again]) expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('says so when there is nothing to seal, and verify hints at seal', async () => {
    expect(await cli(['seal'], { env: KEY })).toEqual({ code: 0, stdout: 'Nothing to seal: the timeline has no logs yet.\n', stderr: '' });
    await logs(2);
    expect(await cli(['verify'], { env: KEY })).toEqual({
      code: 0,
      stdout: 'Intact: 0 sealed logs checked, 2 unsealed, 0 removed by prune.\nNothing is sealed yet: run timeline-logger seal first.\n',
      stderr: '',
    });
  });

  it('takes the config file’s sealKey over TIMELINE_SEAL_KEY', async () => {
    await logs(2);
    expect((await cli(['--config', CLI_CONFIG, 'seal'], { config: KEY, env: OTHER_KEY })).code).toBe(0);
    expect((await cli(['verify'], { env: KEY })).code).toBe(0);
    expect((await cli(['--config', CLI_CONFIG, 'verify'], { config: KEY, env: OTHER_KEY })).code).toBe(0);
    expect((await cli(['--config', CLI_CONFIG, 'verify'], { env: KEY })).code).toBe(0);
  });
});

describe('timeline-logger verify names what is wrong', () => {
  it('prints each modified or deleted log with its id, then the summary, and exits 1', async () => {
    await logs(5);
    expect((await cli(['seal'], { env: KEY })).code).toBe(0);
    await sql("UPDATE timeline_logs SET event = 'rewritten' WHERE id IN (2, 4)");
    await sql('DELETE FROM timeline_logs WHERE id = 5');
    const run = await cli(['verify'], { env: KEY });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'log 2: modified (it differs from its seal)',
        'log 4: modified (it differs from its seal)',
        'log 5: missing (sealed, then deleted other than by prune)',
        'NOT intact: 3 problem logs, 0 seal problems; 4 sealed logs checked, 0 unsealed, 0 removed by prune.',
        `Anchor: ${await newestAnchor()}`,
        '',
      ].join('\n'),
    );
  });

  it('--max-problems prints fewer problem logs and counts the rest', async () => {
    await logs(3);
    expect((await cli(['seal'], { env: KEY })).code).toBe(0);
    await sql("UPDATE timeline_logs SET event = 'rewritten'");
    const run = await cli(['verify', '--max-problems', '1'], { env: KEY });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^log 1: modified \(it differs from its seal\)\n\.\.\. and 2 more problem logs \(not printed: --max-problems\)\.\nNOT intact: 3 problem logs, 0 seal problems;/,
    );
  });

  it('another key (or none) is a seal problem that says where the key comes from, never printing a key', async () => {
    await logs(2);
    expect((await cli(['seal'], { env: KEY })).code).toBe(0);
    for (const keys of [{ env: OTHER_KEY }, {}]) {
      const run = await cli(['verify'], keys);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'seal 1: made with another key: verify with the key the seals were made with (TIMELINE_SEAL_KEY, or sealKey',
      );
      expect(run.stdout).toContain('NOT intact: 0 problem logs, 1 seal problem; ');
      expect(run.stdout + run.stderr).not.toContain(KEY);
      expect(run.stdout + run.stderr).not.toContain(OTHER_KEY);
    }
  });

  it('a TIMELINE_SEAL_KEY shorter than 32 bytes exits 1 naming the variable, not the key', async () => {
    const run = await cli(['seal'], { env: 'too-short-a-key' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^timeline-logger: TIMELINE_SEAL_KEY: option sealKey must have at least 32 bytes \(got 15\)/);
    expect(run.stderr).not.toContain('too-short-a-key');
  });

  it('prints in Dutch with --locale nl', async () => {
    await logs(2);
    expect((await cli(['--locale', 'nl', 'seal'], { env: KEY })).stdout).toMatch(/^2 tijdlijnlogs verzegeld, tot en met id 2\.\nAnker: 1:/);
    await sql("UPDATE timeline_logs SET event = 'rewritten' WHERE id = 1");
    const run = await cli(['--locale', 'nl', 'verify'], { env: KEY });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^log 1: gewijzigd \(wijkt af van het zegel\)\nNIET intact: 1 probleemlog, 0 zegelproblemen; 2 verzegelde logs gecontroleerd, 0 onverzegeld, 0 verwijderd door prune\.\nAnker: 1:/,
    );
  });
});

describe('--anchor-file', () => {
  it('seal appends one JSON line per run (mode 0600, keeping what was there), and verify checks the last one', async () => {
    const file = path.join(folder, 'anchors.ndjson');
    await logs(2);
    const first = await cli(['seal', '--anchor-file', file], { env: KEY });
    await logs(1);
    const second = await cli(['seal', '--anchor-file', file], { env: KEY });
    expect([first.code, second.code]).toEqual([0, 0]);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({ anchor: anchorOf(first), throughId: '2', sealed: 2, at: expect.any(String) });
    expect(JSON.parse(lines[1] as string)).toMatchObject({ anchor: anchorOf(second), throughId: '3', sealed: 1 });
    const { at } = JSON.parse(lines[1] as string) as { at: string };
    expect(new Date(at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await cli(['verify', '--anchor-file', file], { env: KEY })).code).toBe(0);

    await sql('DELETE FROM timeline_logs_seals WHERE id = (SELECT max(id) FROM timeline_logs_seals)');
    expect((await cli(['verify'], { env: KEY })).code).toBe(0);
    const anchored = await cli(['verify', '--anchor-file', file], { env: KEY });
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toMatch(
      /^seal 2: missing \(removed from the seal chain\)\nNOT intact: 0 problem logs, 1 seal problem; 2 sealed logs checked, 1 unsealed/,
    );
  });

  it('appends to a file that exists, and verify reads a bare id:mac last line', async () => {
    const file = path.join(folder, 'operator.log');
    await writeFile(file, 'kept by the operator\n');
    await logs(1);
    const sealed = await cli(['seal', '--anchor-file', file], { env: KEY });
    expect(sealed.code).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(
      /^kept by the operator\n\{"anchor":"1:[0-9a-f]{64}","throughId":"1","sealed":1,"at":"[^"]+"\}\n$/,
    );
    const bare = path.join(folder, 'bare.txt');
    await writeFile(bare, `0:${'0'.repeat(64)}\n${anchorOf(sealed)}\n\n  \n`);
    expect((await cli(['verify', '--anchor-file', bare], { env: KEY })).code).toBe(0);
  });

  it('a folder as the anchor file exits 1 before anything is sealed', async () => {
    await logs(1);
    const run = await cli(['seal', '--anchor-file', folder], { env: KEY });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`timeline-logger: Cannot write the anchor file ${folder}: it is a folder. Nothing was sealed.\n`);
    expect((await cli(['verify'], { env: KEY })).stdout).toMatch(/^Intact: 0 sealed logs checked, 1 unsealed/);
  });
});

describe('open transactions', () => {
  it('seal exits 1 naming each session still open after --wait; a later run seals its logs', async () => {
    await logs(1);
    const open = await fixture.db.sequelize.transaction();
    try {
      await fixture.TimelineLog.log(null, { event: 'in the open transaction', transaction: open });
      const [[{ pid }]] = (await fixture.db.sequelize.query('SELECT pg_backend_pid() AS pid', { transaction: open })) as [
        [{ pid: number }],
        unknown,
      ];
      const run = await cli(['seal', '--wait', '0.2'], { env: KEY });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('Nothing is sealed yet.\n');
      expect(run.stderr).toMatch(
        new RegExp(
          String.raw`^Nothing new was sealed: 1 transaction open when sealing began was still open after 0\.2 s\. Its logs and the ones after them will be sealed by a later run once it ends:\n  pid ${pid}, open since \d{4}-\d\d-\d\dT[\d:.]+Z, idle in transaction\n$`,
        ),
      );
    } finally {
      await open.commit();
    }
    expect((await cli(['seal', '--wait', '0'], { env: KEY })).stdout).toMatch(/^Sealed 2 timeline logs through id 2\./);
  });
});

describe('usage errors (exit 2)', () => {
  it.each([
    [['verify', '--anchor', `1:${'a'.repeat(64)}`, '--anchor-file', 'anchors.ndjson'], 'Give at most one of --anchor and --anchor-file.'],
    [['verify', '--anchor', '1:abc'], '--anchor must be an anchor as seal prints it, <seal id>:<64 hex digits> (got "1:abc").'],
    [['verify', '--max-problems', '-1'], '--max-problems must be a whole number, 0 or more (got "-1").'],
    [['seal', '--wait', 'soon'], '--wait must be a number of seconds, 0 or more (got "soon").'],
  ])('timeline-logger %j', async (args, message) => {
    const run = await cli(args, { env: KEY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`timeline-logger: ${message}\n`);
  });

  it('an anchor file that is missing, empty, or whose last line is no anchor', async () => {
    const empty = path.join(folder, 'empty.ndjson');
    const garbled = path.join(folder, 'garbled.ndjson');
    await writeFile(empty, '\n\n');
    await writeFile(garbled, '{"anchor": "nope"}\n');
    const missing = await cli(['verify', '--anchor-file', path.join(folder, 'missing.ndjson')], { env: KEY });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`Cannot read the anchor file ${path.join(folder, 'missing.ndjson')}: no such file or folder.`);
    expect(await cli(['verify', '--anchor-file', empty], { env: KEY })).toMatchObject({ code: 2 });
    const bad = await cli(['verify', '--anchor-file', garbled], { env: KEY });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`the last line of ${garbled} must be an anchor as seal prints it`);
  });

  it('the parsers reject the rest, in the run’s language', () => {
    const t = translator('en');
    expect(() => parseSealRequest({ batchSize: '0' }, t)).toThrow(UsageError);
    expect(() => parseSealRequest({ anchorFile: ' ' }, t)).toThrow('--anchor-file needs a file.');
    expect(() => parseVerifyRequest({ maxProblems: '1.5' }, t)).toThrow(UsageError);
    expect(() => parseVerifyRequest({ anchorFile: '' }, t)).toThrow(UsageError);
    expect(parseSealRequest({ wait: '2.5', batchSize: '100' }, t)).toEqual({ seal: { waitMs: 2500, batchSize: 100 }, anchorFile: null });
    expect(parseSealRequest({}, t).seal).toEqual({ waitMs: 10_000 });
    expect(parseVerifyRequest({ maxProblems: '0' }, t)).toEqual({ anchor: null, anchorFile: null, maxProblems: 0 });
    expect(() => parseVerifyRequest({ anchor: 'x', anchorFile: 'y' }, translator('nl'))).toThrow(
      'Geef hoogstens één van --anchor en --anchor-file op.',
    );
  });
});

describe('progress', () => {
  it('draws a bar on a terminal while it seals', async () => {
    await logs(3);
    const t = translator('en');
    const stdout = capture();
    const terminal = Object.assign(capture(), { isTTY: true });
    const io = {
      stdout,
      stderr: capture(),
      cwd: folder,
      locale: 'en' as const,
      progress: () => createProgressReporter(terminal, t('Sealing'), null),
    };
    expect(await runSeal(parseSealRequest({ batchSize: '1', wait: '0' }, t), fixture.TimelineLog.runtime, io, t)).toBe(0);
    expect(stdout.text()).toMatch(/^Sealed 3 timeline logs through id 3\./);
    expect(terminal.text()).toContain('Sealing 3 rows');
  });
});
