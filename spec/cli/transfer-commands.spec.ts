import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TimelineLogResource } from '../../src/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/cli-context.js';
import { createTestDatabase } from '../support/test-database.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { runCliProcess, type CliRun } from '../support/cli-process.js';
import { capture, stdinOf } from '../support/command-streams.js';

let fixture: TimelineFixture;
let aliceId: number;
let dir: string;

/** Runs the real CLI in a child process, in a scratch folder, on the fixture's database. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliProcess(args, { cwd: dir, env: { DATABASE_URL: fixture.db.url, ...env } });
}

async function logCount(): Promise<number> {
  const [[row]] = (await fixture.db.sequelize.query('SELECT count(*)::int AS count FROM timeline_logs')) as [{ count: number }[], unknown];
  return row?.count ?? 0;
}

/** In-process streams where stdout and stderr may pretend to be terminals. */
function io(options: { stdoutTty?: boolean; stderrTty?: boolean } = {}) {
  const stdout = Object.assign(capture(), { isTTY: options.stdoutTty ?? false });
  const stderr = Object.assign(capture(), {
    isTTY: options.stderrTty ?? false,
    columns: 80,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  const value: CliIo = {
    stdin: stdinOf(''),
    stdout,
    stderr: stderr,
    env: { DATABASE_URL: fixture.db.url },
    cwd: dir,
  };
  return { io: value, stdout, stderr };
}

beforeAll(async () => {
  fixture = await createTimelineFixture();
  aliceId = (await createUser(fixture.models, 'alice')).id;
  dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-cli-'));
});
afterAll(async () => {
  await fixture?.db.drop();
});
beforeEach(async () => {
  await fixture.db.sequelize.query('TRUNCATE timeline_logs');
  await fixture.db.sequelize.query(
    `INSERT INTO timeline_logs (id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data) VALUES
      (1, 'Post', '1', 'Hello, "world"', '2024-01-01T10:00:00.123456Z', $1, 'alice', 'timeline_logger/created.ejs', 'created', '{"changes": {"title": [null, "Hello"]}}'),
      (2, 'Post', '1', '=cmd|calc', '2024-01-02T10:00:00Z', NULL, NULL, 'timeline_logger/default.ejs', NULL, NULL),
      (3, 'Item', '9', 'Mug', '2024-02-01T10:00:00Z', $1, 'alice', 'timeline_logger/default.ejs', 'purchased', '{"quantity": 2}')`,
    { bind: [aliceId] },
  );
});

describe('timeline-logger (real process)', () => {
  it('prints help listing every command and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['migrate', 'seed', 'export', 'import']) expect(result.stdout).toContain(command);
  });

  it.each([[['frobnicate']], [['export', '--format', 'pdf']], [['export', '--since', 'yesterday']], [['import']]])(
    'exits 2 on a usage error: %j',
    async (args) => {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toBe('');
    },
  );

  it('export writes data to stdout and diagnostics to stderr (no progress bar when stderr is not a terminal)', async () => {
    const result = await cli(['export', '--format', 'csv', '--content-type', 'Post']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'id,content_type,object_id,object_repr,timestamp,user,user_repr,template,event,extra_data,correlation_id',
        `1,Post,1,"Hello, ""world""",2024-01-01T10:00:00.123456Z,${aliceId},alice,timeline_logger/created.ejs,created,"{""changes"":{""title"":[null,""Hello""]}}",`,
        "2,Post,1,'=cmd|calc,2024-01-02T10:00:00.000000Z,,,timeline_logger/default.ejs,,,",
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('Exported 2 timeline logs (csv).\n');
  });

  it('export --correlation-id keeps only the logs of that request; a malformed id is a usage error', async () => {
    await fixture.db.sequelize.query("UPDATE timeline_logs SET correlation_id = 'req-7' WHERE id IN (1, 3)");
    const result = await cli(['export', '--format', 'ndjson', '--fields', 'id,correlation_id', '--correlation-id', 'req-7']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"id":1,"correlation_id":"req-7"}\n{"id":3,"correlation_id":"req-7"}\n');
    const bad = await cli(['export', '--correlation-id', 'a b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--correlation-id');
    expect(bad.stdout).toBe('');
  });

  it('import reports malformed rows with row numbers, exits 1 and writes nothing (dry run or not)', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(
      file,
      [
        'id,timestamp,user,extra_data',
        '1,2024-01-01T00:00:00Z,,{}',
        ',2024-13-01T00:00:00Z,,',
        `,2024-01-01T00:00:00Z,424242,"{""a"":"`,
      ].join('\n'),
    );
    for (const extra of [['--dry-run'], []]) {
      const result = await cli(['import', file, ...extra]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('1 updated, 0 unchanged, 2 invalid, 0 failed.');
      expect(result.stdout).toContain('Row 2: timestamp: no such date: 2024-13-01');
      expect(result.stdout).toContain('Row 3: extra_data: is not valid JSON');
      expect(result.stdout).toContain('Row 3: user: no user with id 424242');
      expect(await logCount()).toBe(3);
    }
    const [[first]] = (await fixture.db.sequelize.query('SELECT extra_data FROM timeline_logs WHERE id = 1')) as [
      { extra_data: unknown }[],
      unknown,
    ];
    expect(first?.extra_data).toEqual({ changes: { title: [null, 'Hello'] } });
  });

  it('export --output file.xlsx, then import it back: every row unchanged, JSON report on stdout', async () => {
    const file = path.join(dir, 'logs.xlsx');
    const exported = await cli(['export', '--output', file]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe('');
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    const imported = await cli(['import', file, '--json-report']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      totals: { new: 0, update: 0, skip: 3, invalid: 0, error: 0 },
      rows: [],
      dryRun: false,
      committed: true,
    });
  });

  it('imports a django-timeline-logger CSV with --from django', async () => {
    const file = path.join(dir, 'django.csv');
    writeFileSync(
      file,
      [
        'id,content_type,object_id,timestamp,extra_data,user,template',
        `100,3,12,2016-07-01 09:08:12,"{'ok': True}",${aliceId},timeline_logger/default.txt`,
      ].join('\n'),
    );
    const result = await cli(['import', file, '--from', 'django', '--content-type-map', '3=Post,4=User']);
    expect(result).toMatchObject({ code: 0, stdout: '1 new, 0 updated, 0 unchanged, 0 invalid, 0 failed.\n' });
    const [[row]] = (await fixture.db.sequelize.query('SELECT content_type, template, extra_data FROM timeline_logs WHERE id = 100')) as [
      Record<string, unknown>[],
      unknown,
    ];
    expect(row).toEqual({ content_type: 'Post', template: 'timeline_logger/default.ejs', extra_data: { ok: true } });
  });

  it('migrate creates the table on an empty database (a second run does nothing); seed needs the demo tables', async () => {
    const empty = await createTestDatabase();
    try {
      const first = await cli(['migrate'], { DATABASE_URL: empty.url });
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/Applied 3 migration/);
      const second = await cli(['--locale', 'nl', 'migrate'], { DATABASE_URL: empty.url });
      expect(second).toMatchObject({ code: 0, stderr: 'Niets te migreren: de tijdlijntabel is al bijgewerkt.\n' });
      const withoutDemoTables = await cli(['seed'], { DATABASE_URL: empty.url });
      expect(withoutDemoTables.code).toBe(1);
      expect(withoutDemoTables.stderr).toMatch(/needs the tables users, posts, items, invoices: run timeline-logger seed --demo-schema/);
      const seeded = await cli(['seed', '--demo-schema'], { DATABASE_URL: empty.url });
      expect(seeded.code).toBe(0);
      const [[row]] = (await empty.sequelize.query('SELECT count(*)::int AS count FROM timeline_logs')) as [{ count: number }[], unknown];
      expect(row?.count).toBeGreaterThan(200);
    } finally {
      await empty.drop();
    }
  });
});

describe('timeline-logger (in-process streams)', () => {
  it('shows progress on stderr only, when stderr is a terminal', async () => {
    const { io: streams, stdout, stderr } = io({ stderrTty: true });
    const code = await runCli(['export', '--format', 'ndjson'], streams);
    expect(code).toBe(0);
    const lines = stdout.text().trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: number }).id)).toEqual([1, 2, 3]);
    expect(stderr.text()).toContain('Exporting');
  });

  it('refuses to write xlsx to a terminal (exit 2, nothing written)', async () => {
    const { io: streams, stdout, stderr } = io({ stdoutTty: true });
    expect(await runCli(['export', '--format', 'xlsx'], streams)).toBe(2);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toMatch(/Refusing to write xlsx to a terminal/);
  });

  it('reports in Dutch with --locale nl', async () => {
    const file = path.join(dir, 'ok.ndjson');
    writeFileSync(file, '{"id":2,"event":"edited"}\n');
    const { io: streams, stdout } = io();
    expect(await runCli(['--locale', 'nl', 'import', file, '--dry-run'], streams)).toBe(0);
    expect(stdout.text()).toBe('0 nieuw, 1 gewijzigd, 0 ongewijzigd, 0 ongeldig, 0 mislukt.\nProefrun: er is niets geschreven.\n');
  });
});

describe('export --output and import FILE on paths that cannot be used', () => {
  it('refuses a missing folder, a folder and an existing file with exit 1 and a message, and changes nothing', async () => {
    const missing = await cli(['export', '--output', path.join(dir, 'no-such-folder', 'out.csv')]);
    expect({ code: missing.code, stderr: missing.stderr }).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/its folder does not exist/),
    });

    const folder = mkdtempSync(path.join(dir, 'folder-'));
    const onFolder = await cli(['export', '--output', folder]);
    expect({ code: onFolder.code, stderr: onFolder.stderr }).toMatchObject({ code: 1, stderr: expect.stringMatching(/it is a folder/) });

    const existing = path.join(dir, 'keep-me.csv');
    writeFileSync(existing, 'precious\n');
    const link = path.join(dir, 'link-to-keep-me.csv');
    symlinkSync(existing, link);
    for (const target of [existing, link]) {
      const refused = await cli(['export', '--output', target]);
      expect({ code: refused.code, stderr: refused.stderr }).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });
    }
    expect(readFileSync(existing, 'utf8')).toBe('precious\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    for (const result of [missing, onFolder]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a folder given to import as unreadable (exit 1), from the CLI and the API', async () => {
    const result = await cli(['import', dir, '--format', 'csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/it is not a file/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await expect(new TimelineLogResource().import(dir, { format: 'csv' })).rejects.toThrow(/it is not a file/);
  });
});
