import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';
import { insertRaw } from '../support/raw-log.js';

const fixture = useTimelineFixture();
let aliceId: number;

const HEADER = 'id,content_type,object_id,timestamp,user,template,extra_data';

async function count(): Promise<number> {
  return fixture.TimelineLog.count();
}

function problems(result: Awaited<ReturnType<TimelineLogResource['import']>>) {
  return result.rows
    .filter((row) => row.status === 'invalid' || row.status === 'error')
    .map(({ row, status, errors }) => ({ row, status, errors }));
}

beforeAll(async () => {
  aliceId = (await createUser(fixture.models, 'alice')).id;
});
beforeEach(async () => {
  await insertRaw(fixture.db.sequelize, [{ id: 1, timestamp: '2020-01-01T00:00:00Z', event: 'original' }]);
});

describe('malformed rows', () => {
  const file = Buffer.from(
    [
      HEADER,
      `,Post,1,2024-01-01T10:00:00Z,${0},timeline_logger/default.ejs,`.replace(',0,', ',,'),
      ',Post,2,2024-01-01T10:00:00Z,,timeline_logger/default.ejs,"{""broken"":"',
      ',Post,3,2024-13-01T10:00:00Z,,timeline_logger/default.ejs,',
      ',Post,4,2024-01-01T10:00:00Z,999999,timeline_logger/default.ejs,',
      `,Post,5,2024-01-01T10:00:00Z,${'$ALICE'},timeline_logger/default.ejs,"[1,2]"`,
      ',Post,6,not a date,abc,,',
      '1,Post,7,2024-01-01T10:00:00Z,,timeline_logger/default.ejs,{}',
    ].join('\n'),
  );
  const withAlice = (): Buffer => Buffer.from(file.toString().replace('$ALICE', String(aliceId)));

  it('are reported with their data row numbers (header not counted) and field messages', async () => {
    const result = await new TimelineLogResource().import(withAlice(), { format: 'csv' });
    expect(result.totals).toEqual({ new: 2, update: 1, skip: 0, invalid: 4, error: 0 });
    expect(problems(result)).toEqual([
      { row: 2, status: 'invalid', errors: [{ field: 'extra_data', message: expect.stringMatching(/^is not valid JSON/) }] },
      { row: 3, status: 'invalid', errors: [{ field: 'timestamp', message: 'no such date: 2024-13-01' }] },
      { row: 4, status: 'invalid', errors: [{ field: 'user', message: 'no user with id 999999' }] },
      {
        row: 6,
        status: 'invalid',
        errors: [
          { field: 'timestamp', message: expect.stringMatching(/^not an ISO 8601 date-time/) },
          { field: 'template', message: 'is required' },
          { field: 'user', message: '"abc" is not a valid user id (integer)' },
        ],
      },
    ]);
  });

  it('refuse user ids the key type cannot hold, as invalid rows (the database is not asked)', async () => {
    const outOfRange = Buffer.from(`${HEADER}\n,Post,1,2024-01-01T10:00:00Z,2147483648,timeline_logger/default.ejs,\n`);
    const result = await new TimelineLogResource().import(outOfRange, { format: 'csv' });
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [{ field: 'user', message: '"2147483648" is not a valid user id (integer)' }] },
    ]);
  });

  it('roll the whole import back (nothing written, the update undone)', async () => {
    const result = await new TimelineLogResource().import(withAlice(), { format: 'csv' });
    expect(result.committed).toBe(false);
    expect(await count()).toBe(1);
    expect((await fixture.TimelineLog.findByPk('1'))?.event).toBe('original');
  });

  it('with a dry run write nothing either, even when every row is valid', async () => {
    const good = Buffer.from(
      `${HEADER}\n,Post,1,2024-01-01T10:00:00Z,${aliceId},timeline_logger/default.ejs,{}\n1,Post,7,2024-01-01T10:00:00Z,,timeline_logger/default.ejs,\n`,
    );
    const result = await new TimelineLogResource().import(good, { format: 'csv', dryRun: true });
    expect(result).toMatchObject({ totals: { new: 1, update: 1, invalid: 0 }, dryRun: true, committed: false });
    expect(await count()).toBe(1);
    expect((await fixture.TimelineLog.findByPk('1'))?.event).toBe('original');
  });

  it('without transactions keep the good rows and report the bad ones', async () => {
    const result = await new TimelineLogResource().import(withAlice(), { format: 'csv', useTransactions: false, batchSize: 2 });
    expect(result.totals).toMatchObject({ new: 2, update: 1, invalid: 4 });
    expect(result.committed).toBe(true);
    expect(await count()).toBe(3);
    expect((await fixture.TimelineLog.findOne({ where: { objectId: '5' } }))?.extraData).toEqual([1, 2]);
  });

  it('a file without an id column makes every row invalid, naming the column', async () => {
    const result = await new TimelineLogResource().import(
      Buffer.from('event,timestamp\nx,2024-01-01T00:00:00Z\ny,2024-01-01T00:00:00Z\n'),
      { format: 'csv' },
    );
    expect(problems(result)).toEqual(
      [1, 2].map((row) => ({
        row,
        status: 'invalid',
        errors: [{ field: 'id', message: 'the file has no id column: add one (leave it empty for new logs)' }],
      })),
    );
    expect(await count()).toBe(1);
  });

  it('broken lines of NDJSON and YAML are invalid rows, the others still validated', async () => {
    const ndjson = Buffer.from('{"id":null,"timestamp":"2024-01-01T00:00:00Z"}\n{"id": oops}\n\n"just a string"\n');
    const result = await new TimelineLogResource().import(ndjson, { format: 'ndjson' });
    expect(problems(result)).toEqual([
      { row: 2, status: 'invalid', errors: [{ field: 'row', message: expect.stringMatching(/^the row is not valid JSON/) }] },
      { row: 3, status: 'invalid', errors: [{ field: 'row', message: 'the row must be an object of column: value' }] },
    ]);
    const yaml = Buffer.from('- id: null\n  timestamp: "2024-01-01T00:00:00Z"\n- id: [unclosed\n- id: 1\n  event: changed\n');
    const yamlResult = await new TimelineLogResource().import(yaml, { format: 'yaml' });
    expect(yamlResult.totals).toEqual({ new: 1, update: 1, skip: 0, invalid: 1, error: 0 });
    expect(problems(yamlResult)[0]).toMatchObject({
      row: 2,
      errors: [{ field: 'row', message: expect.stringMatching(/^the row is not valid YAML/) }],
    });
  });

  it('a CSV row with the wrong number of cells is invalid', async () => {
    const result = await new TimelineLogResource().import(Buffer.from('id,event\n1,a,extra\n'), { format: 'csv' });
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [{ field: 'row', message: 'the row has 3 cells where the header has 2' }] },
    ]);
  });

  it('a database refusal is an error row and rolls back', async () => {
    const file = Buffer.from(`id,timestamp,event\n2,2024-01-01T00:00:00Z,fine\n3,2024-01-01T00:00:00Z,${'x'.repeat(64)}\n`);
    const okResult = await new TimelineLogResource().import(file, { format: 'csv' });
    expect(okResult.totals.new).toBe(2);
    await fixture.db.sequelize.query('TRUNCATE timeline_logs');
    await fixture.db.sequelize.query("ALTER TABLE timeline_logs ADD CONSTRAINT no_boom CHECK (event IS DISTINCT FROM 'boom')");
    try {
      const result = await new TimelineLogResource().import(
        Buffer.from('id,timestamp,event\n2,2024-01-01T00:00:00Z,fine\n3,2024-01-01T00:00:00Z,boom\n'),
        { format: 'csv' },
      );
      expect(problems(result)).toEqual([
        { row: 2, status: 'error', errors: [{ field: 'row', message: expect.stringContaining('no_boom') }] },
      ]);
      expect(result.committed).toBe(false);
      expect(await count()).toBe(0);
    } finally {
      await fixture.db.sequelize.query('ALTER TABLE timeline_logs DROP CONSTRAINT no_boom');
    }
  });
});

describe('validation settings', () => {
  it('content types are any text unless the resource lists the registered models', async () => {
    const file = Buffer.from('id,content_type,timestamp\n,Post,2024-01-01T00:00:00Z\n,Nope,2024-01-01T00:00:00Z\n');
    expect((await new TimelineLogResource().import(file, { format: 'csv', dryRun: true })).totals.invalid).toBe(0);
    const strict = new TimelineLogResource({ contentTypes: Object.keys(fixture.db.sequelize.models) });
    const result = await strict.import(file, { format: 'csv', dryRun: true });
    expect(problems(result)).toEqual([
      { row: 2, status: 'invalid', errors: [{ field: 'content_type', message: expect.stringMatching(/^unknown model "Nope"/) }] },
    ]);
  });

  it('caps the input size', async () => {
    const file = Buffer.from(`id,timestamp\n${',2024-01-01T00:00:00Z\n'.repeat(100)}`);
    await expect(new TimelineLogResource().import(file, { format: 'csv', maxBytes: 100 })).rejects.toThrow(ImportError);
    const stream = Readable.from([file.subarray(0, 50), file.subarray(50)]);
    await expect(new TimelineLogResource().import(stream, { format: 'csv', maxBytes: 100 })).rejects.toThrow(/larger than 100 bytes/);
    expect(await count()).toBe(1);
  });

  it('strips a UTF-8 byte order mark', async () => {
    for (const format of ['csv', 'ndjson', 'json', 'yaml'] as const) {
      const body = {
        csv: 'id,event\n1,bom\n',
        ndjson: '{"id":1,"event":"bom"}\n',
        json: '[{"id":1,"event":"bom"}]',
        yaml: '- id: 1\n  event: bom\n',
      }[format];
      const result = await new TimelineLogResource().import(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), {
        format,
      });
      expect(result.totals.invalid, format).toBe(0);
    }
    expect((await fixture.TimelineLog.findByPk('1'))?.event).toBe('bom');
  });

  it('guesses the format from the file name, and refuses to guess for a stream', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-import-'));
    writeFileSync(path.join(dir, 'logs.jsonl'), '{"id":1,"event":"from file"}\n');
    expect((await new TimelineLogResource().import(path.join(dir, 'logs.jsonl'))).totals.update).toBe(1);
    await expect(new TimelineLogResource().import(Readable.from(['x']))).rejects.toThrow(/pass format/);
    await expect(new TimelineLogResource().import(path.join(dir, 'missing.csv'))).rejects.toThrow(/no such file/);
  });
});

describe('xlsx input', () => {
  it('reads cached values of formulas, never the formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('logs');
    sheet.addRow(['id', 'timestamp', 'event', 'object_repr']);
    sheet.addRow([
      null,
      new Date('2024-01-01T00:00:00Z'),
      { formula: 'CONCAT("a","b")', result: 'cached' },
      { richText: [{ text: 'rich ' }, { text: 'text' }] },
    ]);
    sheet.addRow([null, new Date('2024-01-01T00:00:00Z'), { formula: '1+1' }, null]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = await new TimelineLogResource().import(buffer, { format: 'xlsx' });
    expect(problems(result)).toEqual([
      { row: 2, status: 'invalid', errors: [{ field: 'row', message: 'the row column event: a formula without a cached value' }] },
    ]);
    const valid = await new TimelineLogResource().import(
      Buffer.from(
        await (async () => {
          sheet.spliceRows(3, 1);
          return workbook.xlsx.writeBuffer();
        })(),
      ),
      { format: 'xlsx' },
    );
    expect(valid.totals.new).toBe(1);
    const log = await fixture.TimelineLog.findOne({ where: { event: 'cached' } });
    expect(log?.objectRepr).toBe('rich text');
    expect(log?.timestamp.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});
