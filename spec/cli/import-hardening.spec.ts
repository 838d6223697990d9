/**
 * Issue 11 #2 and #6 through the real CLI process: a YAML alias bomb, a zip bomb and ids
 * PostgreSQL cannot hold end with exit 1 and a message (never a crash, never a stack trace).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess, type CliRun } from '../support/cli-process.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { aliasBomb } from '../transfer/alias-bomb.js';

let fixture: TimelineFixture;
let dir: string;
const STACK_LINE = /\n\s+at /;

/** Runs the CLI on the fixture's database; `heapMb` caps its V8 heap, so a runaway expansion dies fast. */
function cli(args: readonly string[], heapMb?: number): Promise<CliRun> {
  const heap: Record<string, string> =
    heapMb === undefined ? {} : { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapMb}`.trim() };
  return runCliProcess(args, { cwd: dir, env: { DATABASE_URL: fixture.db.url, ...heap } });
}

function file(name: string, contents: string | Buffer): string {
  const target = path.join(dir, name);
  writeFileSync(target, contents);
  return target;
}

async function logCount(): Promise<number> {
  const [[row]] = (await fixture.db.sequelize.query('SELECT count(*)::int AS count FROM timeline_logs')) as [{ count: number }[], unknown];
  return row?.count ?? 0;
}

beforeAll(async () => {
  fixture = await createTimelineFixture();
  dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-cli-hardening-'));
});
afterAll(async () => {
  await fixture?.db.drop();
});
beforeEach(async () => {
  await fixture.db.sequelize.query('TRUNCATE timeline_logs');
});

describe('timeline-logger import (real process) refuses input that decodes to far more than its size', () => {
  it('the 528-byte YAML alias bomb: exit 1 naming the alias, within a 128 MB heap, nothing written', async () => {
    const result = await cli(['import', file('bomb.yaml', aliasBomb(9))], 128);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('0 new, 0 updated, 0 unchanged, 1 invalid, 0 failed.');
    expect(result.stdout).toMatch(/Row 1: row: the row uses a YAML alias \(\*a0 on line 6\): aliases are not accepted/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(await logCount()).toBe(0);
  });

  it('aliases in a YAML file loaded whole: exit 1 with the reason on stderr', async () => {
    const result = await cli(['import', file('flow.yaml', '[{id: null, extra_data: {a: &a [x, x], b: [*a, *a]}}]\n')], 128);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^timeline-logger: The YAML file cannot be read: it uses a YAML alias \(\*a on line 1\)/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('an xlsx that unpacks to more than --max-bytes: exit 1 with the reason on stderr', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false });
    const sheet = workbook.addWorksheet('logs');
    sheet.addRow(['id', 'timestamp', 'object_repr']).commit();
    for (let row = 0; row < 200; row += 1) sheet.addRow([null, '2024-01-01T00:00:00Z', 'y'.repeat(50_000)]).commit();
    sheet.commit();
    await workbook.commit();
    const xlsx = file('bomb.xlsx', Buffer.concat(chunks));
    const result = await cli(['import', xlsx, '--max-bytes', '1000000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'timeline-logger: The xlsx file unpacks to more than 1000000 bytes: split it, or raise maxBytes (--max-bytes).\n',
    );
    expect(await logCount()).toBe(0);
  });
});

describe('timeline-logger import (real process) reports ids PostgreSQL cannot hold per row', () => {
  it('an id past BIGINT in csv, and ids that are no whole number: exit 1, a row message naming id, the rest checked', async () => {
    const csv = file(
      'ids.csv',
      ['id,timestamp,event', '9223372036854775808,2024-01-01T00:00:00Z,a', '-1,2024-01-01T00:00:00Z,b', ',2024-01-01T00:00:00Z,c'].join(
        '\n',
      ),
    );
    const result = await cli(['import', csv]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        '1 new, 0 updated, 0 unchanged, 2 invalid, 0 failed.',
        'Row 1: id: "9223372036854775808" is not a valid id (bigint)',
        'Row 2: id: must be a whole number (got "-1")',
        'Nothing was written: fix the rows above and import again.',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
  });

  it('ids as JSON numbers too large to be exact (ndjson): exit 1 and a row message', async () => {
    const ndjson = file(
      'ids.ndjson',
      '{"id":1e30,"timestamp":"2024-01-01T00:00:00Z"}\n{"id":"12abc","timestamp":"2024-01-01T00:00:00Z"}\n',
    );
    const result = await cli(['import', ndjson]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Row 1: id: is too large for a JSON number to hold exactly (got 1e+30): write it as text');
    expect(result.stdout).toContain('Row 2: id: must be a whole number (got "12abc")');
    expect(result.stderr).toBe('');
  });
});
