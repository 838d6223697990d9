/**
 * Issue 11 #2: input that decodes to far more than its size (YAML aliases, a zip bomb in xlsx,
 * shared strings, deep nesting) is refused with a message instead of exhausting memory.
 */
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors.js';
import { delimitedFormat } from '../../src/transfer/formats/csv-format.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';
import { aliasBomb } from './alias-bomb.js';

const fixture = useTimelineFixture();

function problems(result: Awaited<ReturnType<TimelineLogResource['import']>>) {
  return result.rows.filter((row) => row.status !== 'new').map(({ row, status, errors }) => ({ row, status, errors }));
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

describe('YAML aliases', () => {
  it('the 528-byte alias bomb is an invalid row naming the alias, refused at once with flat memory', { timeout: 10_000 }, async () => {
    const bomb = aliasBomb(9);
    expect(bomb.length).toBeLessThan(600);
    const before = heapUsed();
    const result = await new TimelineLogResource().import(Buffer.from(bomb), { format: 'yaml' });
    expect(heapUsed() - before).toBeLessThan(64 * 1024 * 1024);
    expect(problems(result)).toEqual([
      {
        row: 1,
        status: 'invalid',
        errors: [
          { field: 'row', message: expect.stringMatching(/^the row uses a YAML alias \(\*a0 on line 6\): aliases are not accepted/) },
        ],
      },
    ]);
    expect(result.committed).toBe(false);
  });

  it('the 428-byte file one level shallower (committed as 28 MB of extra_data before) is refused the same way, the other rows still read', async () => {
    const file = `${aliasBomb(7)}- id:\n  timestamp: "2024-01-01T00:00:00Z"\n  event: fine\n`;
    const result = await new TimelineLogResource().import(Buffer.from(file), { format: 'yaml', useTransactions: false });
    expect(result.totals).toMatchObject({ new: 1, invalid: 1 });
    const [[row]] = (await fixture.db.sequelize.query('SELECT count(*)::int AS count, max(event) AS event FROM timeline_logs')) as [
      { count: number; event: string }[],
      unknown,
    ];
    expect(row).toEqual({ count: 1, event: 'fine' });
  });

  it('in a file loaded whole (flow style) is an ImportError naming the alias', async () => {
    const flow = '[{id: null, extra_data: {a: &a [x, x], b: [*a, *a]}}]\n';
    const importing = new TimelineLogResource().import(Buffer.from(flow), { format: 'yaml' });
    await expect(importing).rejects.toThrow(ImportError);
    await expect(new TimelineLogResource().import(Buffer.from(flow), { format: 'yaml' })).rejects.toThrow(
      /^The YAML file cannot be read: it uses a YAML alias \(\*a on line 1\)/,
    );
  });

  it('anchors without aliases are still read', async () => {
    const result = await new TimelineLogResource().import(Buffer.from('- id:\n  timestamp: "2024-01-01T00:00:00Z"\n  event: &e paid\n'), {
      format: 'yaml',
    });
    expect(result.totals.new).toBe(1);
  });
});

describe('xlsx', () => {
  /** A streamed workbook with inline strings: `rows` rows of `size` characters, which deflate to almost nothing. */
  async function inlineWorkbook(rows: number, size: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const output = new (await import('node:stream')).PassThrough();
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false });
    const sheet = workbook.addWorksheet('logs');
    sheet.addRow(['id', 'timestamp', 'object_repr']).commit();
    for (let row = 0; row < rows; row += 1) sheet.addRow([null, '2024-01-01T00:00:00Z', 'y'.repeat(size)]).commit();
    sheet.commit();
    await workbook.commit();
    return Buffer.concat(chunks);
  }

  it('a file that unpacks to more than maxBytes is refused before it is parsed (a zip bomb)', async () => {
    const file = await inlineWorkbook(200, 50_000);
    expect(file.length).toBeLessThan(200_000);
    const importing = new TimelineLogResource().import(file, { format: 'xlsx', maxBytes: 1_000_000 });
    await expect(importing).rejects.toThrow(/^The xlsx file unpacks to more than 1000000 bytes: split it, or raise maxBytes/);
    expect(await fixture.TimelineLog.count()).toBe(0);
    const stream = Readable.from([file.subarray(0, 1000), file.subarray(1000)]);
    await expect(new TimelineLogResource().import(stream, { format: 'xlsx', maxBytes: 1_000_000 })).rejects.toThrow(/unpacks to more than/);
  });

  it('cells that share one long string count it each time they use it', async () => {
    const workbook = new ExcelJS.Workbook(); // writes shared strings: the text is stored once
    const sheet = workbook.addWorksheet('logs');
    sheet.addRow(['id', 'timestamp', 'object_repr']);
    const long = 'y'.repeat(100_000);
    for (let row = 0; row < 50; row += 1) sheet.addRow([null, '2024-01-01T00:00:00Z', long]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    await expect(new TimelineLogResource().import(file, { format: 'xlsx', maxBytes: 1_000_000 })).rejects.toThrow(
      /^The xlsx file's cells hold more than 1000000 characters of text/,
    );
    expect((await new TimelineLogResource().import(file, { format: 'xlsx', maxBytes: 6_000_000 })).totals.new).toBe(50);
  });

  it('a cut-off file is an ImportError saying so', async () => {
    const file = await inlineWorkbook(10, 100);
    await expect(new TimelineLogResource().import(file.subarray(0, 400), { format: 'xlsx' })).rejects.toThrow(
      /^The xlsx file cannot be unpacked: it ends in the middle of the archive/,
    );
  });
});

describe('JSON values', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it.each([300, 100_000])('nested %i levels deep are invalid rows naming extra_data (ndjson)', async (depth) => {
    const file = `{"id":null,"timestamp":"2024-01-01T00:00:00Z","extra_data":{"deep":${nested(depth)}}}\n`;
    const result = await new TimelineLogResource().import(Buffer.from(file), { format: 'ndjson' });
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [{ field: 'extra_data', message: 'is nested deeper than 200 levels' }] },
    ]);
  });

  it('nested 150 levels deep are imported', async () => {
    const file = `{"id":null,"timestamp":"2024-01-01T00:00:00Z","extra_data":{"deep":${nested(150)}}}\n`;
    expect((await new TimelineLogResource().import(Buffer.from(file), { format: 'ndjson' })).totals.new).toBe(1);
  });

  it('nested too deep in YAML, or holding .nan or .inf, are invalid rows', async () => {
    const file = [
      '- id:',
      '  timestamp: "2024-01-01T00:00:00Z"',
      `  extra_data: {deep: ${nested(300)}}`,
      '- id:',
      '  timestamp: "2024-01-01T00:00:00Z"',
      '  extra_data: {ratio: .nan}',
      '- id:',
      '  timestamp: "2024-01-01T00:00:00Z"',
      '  extra_data: {limit: .inf}',
    ].join('\n');
    const result = await new TimelineLogResource().import(Buffer.from(file), { format: 'yaml' });
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [{ field: 'row', message: 'the row is nested deeper than 200 levels (line 3)' }] },
      { row: 2, status: 'invalid', errors: [{ field: 'extra_data', message: 'holds NaN, which JSON cannot represent' }] },
      { row: 3, status: 'invalid', errors: [{ field: 'extra_data', message: 'holds Infinity, which JSON cannot represent' }] },
    ]);
  });
});

describe('csv', () => {
  async function readAll(text: string, maxRecordLength: number): Promise<unknown[]> {
    const records: unknown[] = [];
    const reader = delimitedFormat('csv', { maxRecordLength }).readRecords(Readable.from([text]), { formulaGuard: false, maxBytes: 1e9 });
    for await (const record of reader) records.push(record);
    return records;
  }

  it('a row longer than the longest string JavaScript holds is an ImportError naming its line (it crashed the process)', async () => {
    const text = `id,object_repr\n,short\n,"${'y'.repeat(200)}"\n`;
    await expect(readAll(text, 100)).rejects.toThrow(/^Line 3 is longer than 100 characters, more than one row can be read from\.$/);
    expect(await readAll(text, 1000)).toHaveLength(2);
  });
});
