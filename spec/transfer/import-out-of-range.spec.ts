/**
 * Issue 11 #6: a value PostgreSQL would refuse (an id past BIGINT, a date past its calendar, a
 * character it cannot store) is an invalid row naming its column, never an aborted import.
 */
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { insertRaw } from '../support/raw-log.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
const BIGINT_MAX = '9223372036854775807';

function problems(result: Awaited<ReturnType<TimelineLogResource['import']>>) {
  return result.rows
    .filter((row) => row.status === 'invalid' || row.status === 'error')
    .map(({ row, status, errors }) => ({ row, status, errors }));
}

function ndjson(rows: readonly Record<string, unknown>[]): Buffer {
  return Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n'));
}

beforeEach(async () => {
  await fixture.db.sequelize.query('TRUNCATE timeline_logs RESTART IDENTITY');
  await insertRaw(fixture.db.sequelize, [{ id: 1, timestamp: '2020-01-01T00:00:00Z', event: 'original' }]);
});

describe('ids PostgreSQL cannot hold', () => {
  it('are invalid rows naming id (csv), the other rows still checked', async () => {
    const file = Buffer.from(
      [
        'id,timestamp,event',
        '9223372036854775808,2024-01-01T00:00:00Z,past bigint',
        '99999999999999999999999,2024-01-01T00:00:00Z,far past',
        '-1,2024-01-01T00:00:00Z,negative',
        '12abc,2024-01-01T00:00:00Z,not a number',
        '1e30,2024-01-01T00:00:00Z,exponent',
        `${BIGINT_MAX},2024-01-01T00:00:00Z,the largest`,
        '1,2024-01-01T00:00:00Z,changed',
      ].join('\n'),
    );
    const result = await new TimelineLogResource().import(file, { format: 'csv' });
    expect(result.totals).toEqual({ new: 1, update: 1, skip: 0, invalid: 5, error: 0 });
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [{ field: 'id', message: '"9223372036854775808" is not a valid id (bigint)' }] },
      { row: 2, status: 'invalid', errors: [{ field: 'id', message: '"99999999999999999999999" is not a valid id (bigint)' }] },
      { row: 3, status: 'invalid', errors: [{ field: 'id', message: 'must be a whole number (got "-1")' }] },
      { row: 4, status: 'invalid', errors: [{ field: 'id', message: 'must be a whole number (got "12abc")' }] },
      { row: 5, status: 'invalid', errors: [{ field: 'id', message: 'must be a whole number (got "1e30")' }] },
    ]);
    expect(result.committed).toBe(false);
  });

  it('are invalid rows naming id when they are JSON numbers (ndjson)', async () => {
    const file = Buffer.from(
      ['{"id":9223372036854775808}', '{"id":1e30}', '{"id":-1}', '{"id":1.5}', '{"id":"12abc"}', '{"id":1,"event":"changed"}'].join('\n'),
    );
    const result = await new TimelineLogResource().import(file, { format: 'ndjson' });
    expect(problems(result)).toEqual([
      {
        row: 1,
        status: 'invalid',
        errors: [{ field: 'id', message: 'is too large for a JSON number to hold exactly (got 9223372036854776000): write it as text' }],
      },
      {
        row: 2,
        status: 'invalid',
        errors: [{ field: 'id', message: 'is too large for a JSON number to hold exactly (got 1e+30): write it as text' }],
      },
      { row: 3, status: 'invalid', errors: [{ field: 'id', message: 'must be a whole number (got "-1")' }] },
      { row: 4, status: 'invalid', errors: [{ field: 'id', message: 'must be a whole number (got number 1.5)' }] },
      { row: 5, status: 'invalid', errors: [{ field: 'id', message: 'must be a whole number (got "12abc")' }] },
    ]);
    expect(result.totals.update).toBe(1);
  });

  it('without transactions keep the good rows of the same batch', async () => {
    const file = Buffer.from('id,timestamp,event\n9223372036854775808,2024-01-01T00:00:00Z,bad\n,2024-01-01T00:00:00Z,good\n');
    const result = await new TimelineLogResource().import(file, { format: 'csv', useTransactions: false });
    expect(result.totals).toMatchObject({ new: 1, invalid: 1 });
    expect(await fixture.TimelineLog.count({ where: { event: 'good' } })).toBe(1);
  });

  it('a leading zero names the same log as without it', async () => {
    const result = await new TimelineLogResource().import(Buffer.from('id,event\n001,changed\n'), { format: 'csv' });
    expect(result.totals).toMatchObject({ new: 0, update: 1 });
    expect((await fixture.TimelineLog.findByPk('1'))?.event).toBe('changed');
  });

  it('once the id sequence is used up, new rows without an id are invalid (the import is not aborted)', async () => {
    const first = await new TimelineLogResource().import(Buffer.from(`id,timestamp\n${BIGINT_MAX},2024-01-01T00:00:00Z\n`), {
      format: 'csv',
    });
    expect(first.totals.new).toBe(1);
    const result = await new TimelineLogResource().import(
      Buffer.from('id,timestamp,event\n,2024-01-01T00:00:00Z,new\n1,2024-01-01T00:00:00Z,changed\n'),
      {
        format: 'csv',
        useTransactions: false,
      },
    );
    expect(problems(result)).toEqual([
      {
        row: 1,
        status: 'invalid',
        errors: [{ field: 'id', message: expect.stringMatching(/^no id left: the id sequence has reached its maximum/) }],
      },
    ]);
    expect(result.totals.update).toBe(1);
  });
});

describe('other values PostgreSQL would refuse', () => {
  it('a spreadsheet date cell outside years 1 to 9999 is an invalid row naming timestamp, as in text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('logs');
    sheet.addRow(['id', 'timestamp', 'event']);
    sheet.addRow([null, new Date('+200000-01-01T00:00:00Z'), 'far future']);
    sheet.addRow([null, new Date('-000100-01-01T00:00:00Z'), 'before year 1']);
    sheet.addRow([null, new Date('2024-01-01T00:00:00Z'), 'fine']);
    const result = await new TimelineLogResource().import(Buffer.from(await workbook.xlsx.writeBuffer()), { format: 'xlsx' });
    const outOfRange = { field: 'timestamp', message: expect.stringMatching(/^out of range \(years 1 to 9999\)/) };
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [outOfRange] },
      { row: 2, status: 'invalid', errors: [outOfRange] },
    ]);
  });

  it('dates past year 9999 in text are invalid rows naming timestamp', async () => {
    const result = await new TimelineLogResource().import(
      ndjson([
        { id: null, timestamp: '300000-01-01T00:00:00Z' },
        { id: null, timestamp: '9999-12-31T23:59:59-01:00' },
      ]),
      { format: 'ndjson' },
    );
    expect(problems(result).map((row) => row.errors.map((error) => error.field))).toEqual([['timestamp'], ['timestamp']]);
  });

  it('the NUL character (which PostgreSQL cannot store) is an invalid row naming its column', async () => {
    const result = await new TimelineLogResource().import(
      ndjson([
        { id: null, timestamp: '2024-01-01T00:00:00Z', object_id: 'a\u0000b' },
        { id: null, timestamp: '2024-01-01T00:00:00Z', extra_data: { note: 'a\u0000b' } },
        { id: null, timestamp: '2024-01-01T00:00:00Z', extra_data: { 'a\u0000b': 1 } },
      ]),
      { format: 'ndjson' },
    );
    expect(problems(result)).toEqual([
      { row: 1, status: 'invalid', errors: [{ field: 'object_id', message: expect.stringMatching(/NUL/) }] },
      { row: 2, status: 'invalid', errors: [{ field: 'extra_data', message: expect.stringMatching(/NUL/) }] },
      { row: 3, status: 'invalid', errors: [{ field: 'extra_data', message: expect.stringMatching(/NUL/) }] },
    ]);
  });
});
