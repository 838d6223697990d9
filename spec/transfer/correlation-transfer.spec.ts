/**
 * Export and import carry `correlation_id` (SPEC §12) in every format, through `COPY` (csv, tsv,
 * ndjson) and row by row (json, yaml, xlsx); files from before the column still import.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/transfer/formats/format-registry.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
const AT = new Date('2024-03-01T12:00:00.123Z');
/** Ids as requests and jobs give them, one a spreadsheet would take for a formula, and none. */
const IDS = ['0b7e3c8e-9d1f-4c55-8f0e-1f2a3b4c5d6e', 'req-42', '-leading-hyphen', 'job:7.a_b', null];

async function snapshot(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of new TimelineLogResource().rows()) rows.push(row);
  return rows;
}

beforeEach(async () => {
  for (const [index, correlationId] of IDS.entries()) {
    await fixture.TimelineLog.log(null, { event: `e${index}`, timestamp: AT, correlationId, extraData: { index } });
  }
});

describe('export', () => {
  it('writes correlation_id as the last column, guarded against formulas in flat formats', async () => {
    const csv = (await exportToBuffer(new TimelineLogResource({ fields: ['event', 'correlation_id'] }), { format: 'csv' })).toString();
    expect(csv).toBe(
      [
        'event,correlation_id',
        'e0,0b7e3c8e-9d1f-4c55-8f0e-1f2a3b4c5d6e',
        'e1,req-42',
        "e2,'-leading-hyphen",
        'e3,job:7.a_b',
        'e4,',
        '',
      ].join('\n'),
    );
    const header = (await exportToBuffer(new TimelineLogResource(), { format: 'csv' })).toString().split('\n')[0];
    expect(header).toBe('id,content_type,object_id,object_repr,timestamp,user,user_repr,template,event,extra_data,correlation_id');
    const ndjson = (await exportToBuffer(new TimelineLogResource({ fields: ['correlation_id'] }), { format: 'ndjson' })).toString();
    expect(
      ndjson
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(IDS.map((id) => ({ correlation_id: id })));
  });

  it('filters by correlationId', async () => {
    const rows: unknown[] = [];
    for await (const row of new TimelineLogResource({ fields: ['event'] }).rows({ filter: { correlationId: 'req-42' } })) rows.push(row);
    expect(rows).toEqual([{ event: 'e1' }]);
  });
});

describe.each(FORMAT_NAMES)('round trip through %s', (format) => {
  it('keeps every correlation_id, and re-importing skips every row', async () => {
    const before = await snapshot();
    expect(before.map((row) => row.correlation_id)).toEqual(IDS);
    const file = await exportToBuffer(new TimelineLogResource(), { format });
    await fixture.db.sequelize.query('TRUNCATE timeline_logs');
    const result = await new TimelineLogResource().import(file, { format });
    expect(result.totals).toEqual({ new: IDS.length, update: 0, skip: 0, invalid: 0, error: 0 });
    expect(await snapshot()).toEqual(before);
    const again = await new TimelineLogResource().import(file, { format });
    expect(again.totals).toEqual({ new: 0, update: 0, skip: IDS.length, invalid: 0, error: 0 });
  });
});

describe('import', () => {
  it('reads a file from before the column: new rows have none, updated rows keep theirs', async () => {
    const [first] = await snapshot();
    const file = [
      'id,content_type,object_id,object_repr,timestamp,user,user_repr,template,event,extra_data',
      `${String(first?.id)},,,,2024-03-01T12:00:00.123000Z,,,timeline_logger/default.ejs,renamed,`,
      ',Post,9,Old post,2019-05-01T08:00:00.000000Z,,,timeline_logger/created.ejs,created,"{""changes"":{}}"',
    ].join('\n');
    const result = await new TimelineLogResource().import(Buffer.from(file), { format: 'csv' });
    expect(result.totals).toEqual({ new: 1, update: 1, skip: 0, invalid: 0, error: 0 });
    const rows = await snapshot();
    expect(rows.find((row) => row.id === first?.id)).toMatchObject({ event: 'renamed', correlation_id: IDS[0] });
    expect(rows.find((row) => row.object_repr === 'Old post')).toMatchObject({ event: 'created', correlation_id: null });
  });

  it('refuses a malformed correlation_id with the row number and writes nothing', async () => {
    const file = [
      'id,timestamp,correlation_id',
      ',2024-01-01T00:00:00Z,ok-1',
      ',2024-01-01T00:00:00Z,has spaces',
      `,2024-01-01T00:00:00Z,${'x'.repeat(65)}`,
      ',2024-01-01T00:00:00Z,<script>',
    ].join('\n');
    const count = await fixture.TimelineLog.count();
    const result = await new TimelineLogResource().import(Buffer.from(file), { format: 'csv' });
    expect(result.rows.filter((row) => row.status === 'invalid').map(({ row, errors }) => ({ row, errors }))).toEqual([
      {
        row: 2,
        errors: [
          {
            field: 'correlation_id',
            message: 'must be 1 to 64 letters, digits, dots, underscores, colons or hyphens (got "has spaces")',
          },
        ],
      },
      { row: 3, errors: [{ field: 'correlation_id', message: 'must be at most 64 characters (got 65)' }] },
      {
        row: 4,
        errors: [
          {
            field: 'correlation_id',
            message: 'must be 1 to 64 letters, digits, dots, underscores, colons or hyphens (got "<script>")',
          },
        ],
      },
    ]);
    expect(await fixture.TimelineLog.count()).toBe(count);
  });
});
