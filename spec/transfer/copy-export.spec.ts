import { PassThrough, Writable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportFilter } from '../../src/transfer/export-filter.js';
import type { ExportOptions } from '../../src/transfer/timeline-log-exporter.js';
import { timelineLogFields } from '../../src/transfer/timeline-log-fields.js';
import { TimelineLogResource, type TimelineLogResourceOptions } from '../../src/transfer/timeline-log-resource.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
let aliceId: number;

/** Text that every writer tends to get wrong: formulas, quotes, separators, `\.`, `\N`, control characters, unicode. */
const TEXTS = [
  '=HYPERLINK("http://evil.example","click")',
  '+1+2',
  '-5',
  '@SUM(A1)',
  '\tTabbed',
  '\rcr',
  "'already quoted",
  '\\.',
  '\\N',
  'back\\slash \\n not a newline',
  'say "hi", then: leave',
  'line\nbreak\r\nwindows',
  'tab\tinside',
  `ctl ${Array.from({ length: 31 }, (_, index) => String.fromCharCode(index + 1)).join('')} del \x7f`,
  'Café ☕ 𝄞 😀 \u2028 \u2029 / </script>',
  '',
  ' ',
];

/** jsonb documents whose JavaScript round trip changes more than spaces, and ones that nearly do. */
const DOCUMENTS = [
  '{"changes": {"title": ["old, \\"quoted\\": 1", "new"], "stock": [3, 7]}}',
  '{"f": [1.0, 2.50, -0, 1e3, 1E-2, 0.0000001, 1e400, 1234567890123456, 12345678901234567890]}',
  '{"10": "ten", "9": "nine", "b": 1, "01": "padded", "": 0}',
  '{"s": "a: b, c", "back": "c:\\\\dir \\\\", "ctl": "\\u0001\\u001f\\b\\f\\n\\r\\t", "u": "é 😀 \u2028", "q": "\\"", "slash": "/"}',
  '{"nested": {"k": {"": [true, false, null, {}, []]}}, "n": [0, -1, 123456789012345, -123456789012345]}',
  '[1, "two", null, {"x": [2.5]}]',
  '"just text: with, separators and \\"quotes\\" \\\\ "',
  '"=1+1"',
  '""',
  '-3.5',
  '-7',
  '42',
  'true',
  'false',
  '[]',
  '{}',
  'null',
];

const TIMESTAMPS = [
  '2016-07-01T09:08:12.345678Z',
  '1999-12-31T23:59:59.999999+05:30',
  '2024-02-29T00:00:00.000001-08:00',
  '2020-01-01T00:00:00Z',
  '2021-06-15T12:30:45.5Z',
  '0999-01-01T00:00:00.1Z',
  '12345-06-07T08:09:10.123456Z',
  '0002-03-04T05:06:07Z BC',
  '0001-01-01T00:00:00Z BC',
];

async function seed(): Promise<void> {
  const count = Math.max(TEXTS.length, DOCUMENTS.length, TIMESTAMPS.length);
  for (let index = 0; index < count; index += 1) {
    const text = TEXTS[index % TEXTS.length] as string;
    await fixture.db.sequelize.query(
      `INSERT INTO timeline_logs (id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8, $9, $10::jsonb)`,
      {
        bind: [
          index + 1,
          index % 3 === 0 ? 'Post' : index % 3 === 1 ? null : text,
          index % 4 === 0 ? '-5' : String(index),
          text,
          TIMESTAMPS[index % TIMESTAMPS.length],
          index % 2 === 0 ? aliceId : null,
          index % 5 === 0 ? '' : TEXTS[(index + 3) % TEXTS.length],
          'timeline_logger/default.ejs',
          index % 2 === 0 ? 'updated' : TEXTS[(index + 7) % TEXTS.length],
          index === count - 1 ? null : DOCUMENTS[index % DOCUMENTS.length],
        ],
      },
    );
  }
}

/** The same resource with each widget wrapped, so its export takes the row-by-row way (not built-in widgets). */
function rowByRow(options: TimelineLogResourceOptions = {}): TimelineLogResource {
  const fields = timelineLogFields().map(({ column, widget }) => ({
    column,
    widget: { ...widget, render: (value: never, target: { flat: boolean }) => widget.render(value, target) },
  }));
  return new TimelineLogResource(options, fields);
}

/** Exports through both paths and returns both files, checking which path each took. */
async function bothPaths(options: TimelineLogResourceOptions, exportOptions: ExportOptions): Promise<[string, string]> {
  const copy = vi.spyOn(copyStreams, 'to');
  const viaCopy = await exportToBuffer(new TimelineLogResource(options), exportOptions);
  expect(copy).toHaveBeenCalledTimes(1);
  const viaRows = await exportToBuffer(rowByRow(options), exportOptions);
  expect(copy).toHaveBeenCalledTimes(1);
  copy.mockRestore();
  return [viaCopy.toString('latin1'), viaRows.toString('latin1')];
}

beforeAll(async () => {
  aliceId = (await createUser(fixture.models, 'alice')).id;
});
beforeEach(seed);
afterEach(() => {
  vi.restoreAllMocks();
});

const SELECTIONS: TimelineLogResourceOptions[] = [
  {},
  { fields: ['extra_data', 'id', 'timestamp'] },
  { exclude: ['extra_data'] },
  { fields: ['object_repr'] },
];
const FILTERS: ExportFilter[] = [
  {},
  { event: 'updated' },
  { since: '2016-01-01', until: '2024-02-29' },
  { user: 1 },
  { contentType: "it's \\ odd" },
];

describe.each(['csv', 'tsv', 'ndjson'] as const)('COPY export to %s', (format) => {
  it.each([
    { formulaGuard: true, bom: false },
    { formulaGuard: false, bom: true },
  ])('writes the same bytes as the row-by-row writer (%o)', async (flags) => {
    for (const selection of SELECTIONS) {
      for (const filter of FILTERS) {
        const [viaCopy, viaRows] = await bothPaths(selection, { format, filter, ...flags });
        expect(viaCopy, JSON.stringify({ selection, filter })).toBe(viaRows);
      }
    }
  });

  it('applies filterExport overrides and counts rows as they are written', async () => {
    class Deleted extends TimelineLogResource {
      override filterExport(filter: ExportFilter): ExportFilter {
        return { ...filter, event: 'updated' };
      }
    }
    const progress: number[] = [];
    const output = new PassThrough();
    output.resume();
    const summary = await new Deleted().exportTo(output, { format, onProgress: (rows) => progress.push(rows) });
    const updated = await fixture.TimelineLog.count({ where: { event: 'updated' } });
    expect(summary).toEqual({ rows: updated, format });
    expect(progress.at(-1)).toBe(updated);
  });

  it('stops on a failing output with its error, and leaves the connection usable', async () => {
    const broken = new Writable({
      write: (_chunk, _encoding, callback) => callback(Object.assign(new Error('EPIPE: reader went away'), { code: 'EPIPE' })),
    });
    broken.on('error', () => undefined);
    await expect(new TimelineLogResource().exportTo(broken, { format })).rejects.toThrow('EPIPE');
    const file = await exportToBuffer(new TimelineLogResource({ fields: ['id'] }), { format, filter: { event: 'updated' } });
    expect(file.toString().trim().split('\n').length).toBeGreaterThan(1);
  });
});

describe('a COPY export of many rows', () => {
  it('matches the row-by-row writer across chunks of the copy stream', async () => {
    await fixture.db.sequelize
      .query(`INSERT INTO timeline_logs (id, content_type, object_id, object_repr, timestamp, user_id, template, event, extra_data)
      SELECT 100 + i, 'Post', (i % 7 - 3)::text, 'Object ' || i || E' "q",\\n' || repeat('é', i % 5), timestamptz '2020-01-01Z' + i * interval '1.000001 s',
             NULL, 'timeline_logger/updated.ejs', 'updated',
             jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array('old ' || i, 'new: ' || i), 'price', i / 7.0))
        FROM generate_series(1, 3000) AS i`);
    for (const format of ['csv', 'ndjson'] as const) {
      const [viaCopy, viaRows] = await bothPaths({}, { format });
      expect(viaCopy.length).toBeGreaterThan(500_000);
      expect(viaCopy === viaRows).toBe(true);
    }
  });
});

describe('a cell that is exactly \\.', () => {
  it('is quoted by both paths, so psql and COPY FROM do not read it as the end of the data', async () => {
    for (const format of ['csv', 'tsv'] as const) {
      const [viaCopy, viaRows] = await bothPaths({ fields: ['id', 'object_repr'] }, { format, filter: { objectId: '7' } });
      expect(viaCopy).toBe(viaRows);
      expect(viaRows).toBe(`id${format === 'csv' ? ',' : '\t'}object_repr\n8${format === 'csv' ? ',' : '\t'}"\\."\n`);
    }
  });
});

describe('timestamps outside years 1000-9999', () => {
  it('are written in full by both paths: five-digit years, and years before Christ as toISOString numbers them', async () => {
    const [viaCopy, viaRows] = await bothPaths({ fields: ['id', 'timestamp'] }, { format: 'csv', formulaGuard: false });
    expect(viaCopy).toBe(viaRows);
    const lines = viaCopy.split('\n');
    expect(lines).toContain('6,0999-01-01T00:00:00.100000Z');
    expect(lines).toContain('7,12345-06-07T08:09:10.123456Z');
    expect(lines).toContain('8,-000001-03-04T05:06:07.000000Z');
    expect(lines).toContain('9,0000-01-01T00:00:00.000000Z');
    const rows: unknown[] = [];
    for await (const row of new TimelineLogResource({ fields: ['id', 'timestamp'] }).rows()) rows.push(row);
    expect(rows).toContainEqual({ id: 7, timestamp: '12345-06-07T08:09:10.123456Z' });
  });
});

describe('COPY export of other user key types', () => {
  it('writes text user keys as the row-by-row writer does (digits as numbers in ndjson, up to 15)', async () => {
    const { sequelize } = fixture.db;
    await sequelize.query('ALTER TABLE timeline_logs DROP CONSTRAINT IF EXISTS timeline_logs_user_id_fkey');
    await sequelize.query('ALTER TABLE timeline_logs ALTER COLUMN user_id TYPE text');
    const users = ['007', '0', '12', '1234567890123456', '-4', 'abc "x"', '=cmd', ''];
    for (const [index, user] of users.entries()) {
      await sequelize.query('UPDATE timeline_logs SET user_id = $1 WHERE id = $2', { bind: [user, index + 1] });
    }
    for (const format of ['csv', 'tsv', 'ndjson'] as const) {
      const [viaCopy, viaRows] = await bothPaths({ fields: ['id', 'user'] }, { format });
      expect(viaCopy).toBe(viaRows);
    }
  });
});
