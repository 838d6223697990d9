import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/to-json-value.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { keyWidget, type RenderTarget, type Widget } from '../../src/transfer/widgets.js';
import { FORMAT_NAMES } from '../../src/transfer/formats/format-registry.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { insertRaw, type RawLog } from '../support/raw-log.js';

const fixture = useTimelineFixture();
let aliceId: number;

/** Everything that tends to get lost: microseconds, zones, unicode, nested JSON, nulls, empty strings, formula payloads. */
function trickyLogs(): RawLog[] {
  return [
    {
      id: 7,
      content_type: 'Post',
      object_id: '12',
      object_repr: 'Café ☕ "quoted", comma; 𝄞',
      timestamp: '2016-07-01T09:08:12.345678Z',
      user_id: aliceId,
      user_repr: 'alice',
      template: 'timeline_logger/created.ejs',
      event: 'created',
      extra_data: {
        changes: { title: [null, 'Ünïcødé\nline two\ttab'] },
        nested: { list: [1, 2.5, -3, true, false, null, { deep: ['x'] }] },
        emoji: '😀',
      },
    },
    { id: 8, timestamp: '1999-12-31T23:59:59.999999+05:30', template: 'timeline_logger/default.ejs' },
    {
      id: 9,
      content_type: 'Invoice',
      object_id: '0b7e3c8e-9d1f-4c55-8f0e-1f2a3b4c5d6e',
      object_repr: '',
      timestamp: '2024-02-29T00:00:00.000001-08:00',
      user_repr: 'ghost',
      extra_data: { empty: {}, list: [] },
    },
    {
      id: 10,
      content_type: 'Post',
      object_id: '-5',
      object_repr: '=HYPERLINK("http://evil.example","click")',
      timestamp: '2020-01-01T00:00:00Z',
      user_repr: '+1+2',
      event: '@SUM(A1)',
      extra_data: { formula: '=1+1' },
    },
    {
      id: 11,
      object_repr: "'already quoted",
      user_repr: '\tTabbed',
      event: '\rcr',
      timestamp: '2021-06-15T12:30:45.5Z',
      extra_data: { q: 'it\'s "both"' },
    },
    { id: 12, object_repr: '-10', user_repr: "''double", event: 'ctl\x01_x000D_', timestamp: '2021-06-15T12:30:45.123Z' },
  ];
}

async function snapshot(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of new TimelineLogResource().rows()) rows.push(row);
  return rows;
}

beforeAll(async () => {
  aliceId = (await createUser(fixture.models, 'alice')).id;
});
beforeEach(async () => {
  await insertRaw(fixture.db.sequelize, trickyLogs());
});

describe('export', () => {
  it('writes timestamps as ISO 8601 UTC with microseconds', async () => {
    const rows = await snapshot();
    expect(rows.map((row) => row.timestamp)).toEqual([
      '2016-07-01T09:08:12.345678Z',
      '1999-12-31T18:29:59.999999Z',
      '2024-02-29T08:00:00.000001Z',
      '2020-01-01T00:00:00.000000Z',
      '2021-06-15T12:30:45.500000Z',
      '2021-06-15T12:30:45.123000Z',
    ]);
  });

  it('writes extra_data as compact JSON text in CSV and natively in NDJSON', async () => {
    const resource = new TimelineLogResource({ fields: ['id', 'extra_data'] });
    const ndjson = (await exportToBuffer(resource, { format: 'ndjson', filter: { event: 'created' } })).toString();
    const parsed = JSON.parse(ndjson) as { extra_data: unknown };
    expect(parsed).toEqual({ id: 7, extra_data: trickyLogs()[0]?.extra_data });
    const csv = (await exportToBuffer(resource, { format: 'csv', filter: { event: 'created' } })).toString();
    expect(csv).toBe(`id,extra_data\n7,"${JSON.stringify(parsed.extra_data).replaceAll('"', '""')}"\n`);
  });

  it('gives widgets that do not take jsonb text the parsed value, and an overridden renderRow the row object', async () => {
    const seen: unknown[] = [];
    const keys: Widget<JsonObject | null> = {
      kind: 'json',
      clean: (cell) => cell as JsonObject | null,
      render: (value) => {
        seen.push(value);
        return value === null ? null : Object.keys(value).join('+');
      },
    };
    const resource = new TimelineLogResource({ fields: ['id', 'extra_data'] }, [
      { column: 'id', widget: keyWidget() },
      { column: 'extra_data', widget: keys },
    ]);
    const csv = (await exportToBuffer(resource, { format: 'csv', filter: { event: 'created' } })).toString();
    expect(csv).toBe('id,extra_data\n7,emoji+nested+changes\n'); // jsonb's key order
    expect(seen).toEqual([trickyLogs()[0]?.extra_data]);

    class Shouting extends TimelineLogResource {
      override renderRow(row: Readonly<Record<string, unknown>>, target: RenderTarget): unknown[] {
        return super.renderRow({ ...row, event: String(row.event).toUpperCase() }, target);
      }
    }
    const shouted = (
      await exportToBuffer(new Shouting({ fields: ['id', 'event', 'extra_data'] }), { format: 'ndjson', filter: { event: 'created' } })
    ).toString();
    expect(JSON.parse(shouted)).toEqual({ id: 7, event: 'CREATED', extra_data: trickyLogs()[0]?.extra_data });
  });

  it('neutralises formula payloads in flat formats, and can be told not to', async () => {
    const resource = new TimelineLogResource({ fields: ['object_repr', 'user_repr', 'event'] });
    const csv = (await exportToBuffer(resource, { format: 'csv', filter: { since: '2020-01-01', until: '2020-01-01' } })).toString();
    expect(csv).toBe(`object_repr,user_repr,event\n"'=HYPERLINK(""http://evil.example"",""click"")",'+1+2,'@SUM(A1)\n`);
    const tsv = (await exportToBuffer(resource, { format: 'tsv', filter: { since: '2021-06-15', until: '2021-06-15' } })).toString();
    expect(tsv.split('\n').slice(1, 3)).toEqual([`''already quoted\t"'\tTabbed"\t"'\rcr"`, `'-10\t'''double\tctl\x01_x000D_`]);
    const raw = (
      await exportToBuffer(resource, { format: 'csv', formulaGuard: false, filter: { since: '2020-01-01', until: '2020-01-01' } })
    ).toString();
    expect(raw).toContain('"=HYPERLINK(');
  });

  it('starts with a UTF-8 byte order mark when asked', async () => {
    const csv = await exportToBuffer(new TimelineLogResource(), { format: 'csv', bom: true });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('filters by content type, user, event and time', async () => {
    const ids = async (filter: object) => {
      const rows: unknown[] = [];
      for await (const row of new TimelineLogResource({ fields: ['id'] }).rows({ filter, chunkSize: 2 })) rows.push(row.id);
      return rows;
    };
    expect(await ids({ contentType: 'Post' })).toEqual([7, 10]);
    expect(await ids({ user: aliceId })).toEqual([7]);
    expect(await ids({ since: '2021-01-01T00:00:00Z' })).toEqual([9, 11, 12]);
    expect(await ids({ until: '1999-12-31' })).toEqual([8]);
    expect(await ids({})).toEqual([7, 8, 9, 10, 11, 12]);
  });
});

describe.each(FORMAT_NAMES)('round trip through %s', (format) => {
  it('is lossless (unicode, nested JSON, nulls, empty text, microseconds, time zones, formula payloads)', async () => {
    const before = await snapshot();
    const file = await exportToBuffer(new TimelineLogResource(), { format });
    await fixture.db.sequelize.query('TRUNCATE timeline_logs');
    const result = await new TimelineLogResource().import(file, { format });
    expect(result.rows.filter((row) => row.status !== 'new')).toEqual([]);
    expect(result).toMatchObject({ totals: { new: 6, update: 0, skip: 0, invalid: 0, error: 0 }, committed: true });
    const after = await snapshot();
    expect(after).toEqual(before);
  });

  it('re-importing the same file skips every row', async () => {
    const file = await exportToBuffer(new TimelineLogResource(), { format });
    const result = await new TimelineLogResource().import(file, { format });
    expect(result.totals).toEqual({ new: 0, update: 0, skip: 6, invalid: 0, error: 0 });
  });
});

describe.each(FORMAT_NAMES)('extra_data of any JSON value through %s', (format) => {
  const values: unknown[] = [['a', 1, null, { b: [true] }], 'hello', '"quoted"', '=1+1', '', '', -3.5, 0, false, true, [], { n: null }];

  beforeEach(async () => {
    await fixture.db.sequelize.query('TRUNCATE timeline_logs');
    await insertRaw(
      fixture.db.sequelize,
      values.map((value, index) => ({ id: index + 1, timestamp: '2024-01-01T00:00:00Z', extra_data: value })),
    );
  });

  it('exports and imports back every value as stored, and the same file again', async () => {
    const stored = async () => (await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] })).map((log) => log.extraData);
    expect(await stored()).toEqual(values);
    const before = await snapshot();
    const file = await exportToBuffer(new TimelineLogResource(), { format });
    await fixture.db.sequelize.query('TRUNCATE timeline_logs');
    const result = await new TimelineLogResource().import(file, { format });
    expect(result.totals).toEqual({ new: values.length, update: 0, skip: 0, invalid: 0, error: 0 });
    expect(await stored()).toEqual(values);
    expect(await snapshot()).toEqual(before);
    // An xlsx file is a zip whose entries carry the time they were written: its rows are compared above.
    if (format !== 'xlsx') expect((await exportToBuffer(new TimelineLogResource(), { format })).toString()).toBe(file.toString());
  });
});

describe('import bookkeeping', () => {
  it('moves the id sequence past imported ids, so new logs do not collide', async () => {
    const file = await exportToBuffer(new TimelineLogResource(), { format: 'ndjson' });
    await fixture.db.sequelize.query('TRUNCATE timeline_logs');
    await fixture.db.sequelize.query(`SELECT setval('timeline_logs_id_seq', 1, false)`);
    await new TimelineLogResource().import(file, { format: 'ndjson' });
    const log = await fixture.TimelineLog.log(null);
    expect(Number(log.id)).toBe(13);
  });

  it('updates changed rows and gives new ids to rows without one', async () => {
    const file = Buffer.from('id,event,timestamp\n7,renamed,2016-07-01T09:08:12.345678Z\n,fresh,2030-01-01T00:00:00.000001Z\n');
    const result = await new TimelineLogResource().import(file, { format: 'csv' });
    expect(result.rows.map(({ row, status }) => ({ row, status }))).toEqual([
      { row: 1, status: 'update' },
      { row: 2, status: 'new' },
    ]);
    const rows = await snapshot();
    expect(rows.find((row) => row.id === 7)).toMatchObject({ event: 'renamed', object_repr: 'Café ☕ "quoted", comma; 𝄞' });
    expect(rows.find((row) => row.event === 'fresh')).toMatchObject({
      id: Number(result.rows[1]?.id),
      timestamp: '2030-01-01T00:00:00.000001Z',
      template: 'timeline_logger/default.ejs',
    });
  });
});
