import { beforeAll, describe, expect, it } from 'vitest';
import { DjangoTimelineLogResource, parseContentTypeMap } from '../../src/transfer/django-timeline-log-resource.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { ConfigurationError } from '../../src/errors.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
let aliceId: number;
const contentTypeMap = { 3: 'Group', 4: 'User' };

/** The stored rows (Django's files have no correlation_id: it is null). */
async function rows(): Promise<Record<string, unknown>[]> {
  const result: Record<string, unknown>[] = [];
  for await (const row of new TimelineLogResource({ exclude: ['object_repr', 'user_repr', 'event'] }).rows()) result.push(row);
  return result;
}

beforeAll(async () => {
  aliceId = (await createUser(fixture.models, 'alice')).id;
});

describe('importing django-timeline-logger exports', () => {
  it('reads its CSV: content type ids mapped, users kept, .txt templates, naive UTC timestamps, Python-repr extra_data', async () => {
    const csv = [
      'id,content_type,object_id,timestamp,extra_data,user,template',
      `41,3,12,2016-07-01 09:08:12,"{'a': True, 'n': None, 's': ""it's"", 'l': [1, 2.5, {'x': 'y'}]}",${aliceId},timeline_logger/default.txt`,
      '42,4,5,2016-07-01 10:00:00.654321,,,timeline_logger/created.txt',
    ].join('\r\n');
    const result = await new DjangoTimelineLogResource({ contentTypeMap }).import(Buffer.from(csv), { format: 'csv' });
    expect(result.totals).toEqual({ new: 2, update: 0, skip: 0, invalid: 0, error: 0 });
    expect(await rows()).toEqual([
      {
        id: 41,
        content_type: 'Group',
        object_id: '12',
        timestamp: '2016-07-01T09:08:12.000000Z',
        user: aliceId,
        template: 'timeline_logger/default.ejs',
        extra_data: { a: true, n: null, s: "it's", l: [1, 2.5, { x: 'y' }] },
        correlation_id: null,
      },
      {
        id: 42,
        content_type: 'User',
        object_id: '5',
        timestamp: '2016-07-01T10:00:00.654321Z',
        user: null,
        template: 'timeline_logger/created.ejs',
        extra_data: null,
        correlation_id: null,
      },
    ]);
    // The explicit ids moved the sequence: the next log does not collide.
    expect(Number((await fixture.TimelineLog.log(null)).id)).toBe(43);
  });

  it('reads its JSON and YAML, with native or textual extra_data and zoned timestamps', async () => {
    const json = JSON.stringify([
      {
        id: 1,
        content_type: 3,
        object_id: '7',
        timestamp: '2016-07-01T11:08:12.123456+02:00',
        extra_data: { a: 1 },
        correlation_id: null,
        user: null,
        template: 'timeline_logger/default.txt',
      },
      {
        id: 2,
        content_type: 4,
        object_id: 8,
        timestamp: '2016-07-01T09:08:12',
        extra_data: '{"b": [true, null]}',
        correlation_id: null,
        user: aliceId,
        template: 'app/custom.html',
      },
    ]);
    const fromJson = await new DjangoTimelineLogResource({ contentTypeMap }).import(Buffer.from(json), { format: 'json' });
    expect(fromJson.totals.new).toBe(2);
    const yaml = [
      '- content_type: 3',
      '  extra_data: "{\'c\': False}"',
      '  id: 3',
      "  object_id: '9'",
      '  template: timeline_logger/deleted.txt',
      "  timestamp: '2016-07-02 08:00:00'",
      '  user: null',
    ].join('\n');
    const fromYaml = await new DjangoTimelineLogResource({ contentTypeMap }).import(Buffer.from(yaml), { format: 'yaml' });
    expect(fromYaml.totals.new).toBe(1);
    expect(await rows()).toEqual([
      {
        id: 1,
        content_type: 'Group',
        object_id: '7',
        timestamp: '2016-07-01T09:08:12.123456Z',
        user: null,
        template: 'timeline_logger/default.ejs',
        extra_data: { a: 1 },
        correlation_id: null,
      },
      {
        id: 2,
        content_type: 'User',
        object_id: '8',
        timestamp: '2016-07-01T09:08:12.000000Z',
        user: aliceId,
        template: 'app/custom.html',
        extra_data: { b: [true, null] },
        correlation_id: null,
      },
      {
        id: 3,
        content_type: 'Group',
        object_id: '9',
        timestamp: '2016-07-02T08:00:00.000000Z',
        user: null,
        template: 'timeline_logger/deleted.ejs',
        extra_data: { c: false },
        correlation_id: null,
      },
    ]);
  });

  it("reads a list, a string or a number in extra_data (Django's JSONField holds any JSON value)", async () => {
    const csv = [
      'id,content_type,object_id,timestamp,extra_data,user,template',
      `51,3,1,2016-07-01 09:00:00,"['a', 1, None, {'b': True}]",,timeline_logger/default.txt`,
      `52,3,2,2016-07-01 09:00:00,"""it's""",,timeline_logger/default.txt`,
      '53,3,3,2016-07-01 09:00:00,2.5,,timeline_logger/default.txt',
    ].join('\n');
    const fromCsv = await new DjangoTimelineLogResource({ contentTypeMap }).import(Buffer.from(csv), { format: 'csv' });
    expect(fromCsv.totals).toEqual({ new: 3, update: 0, skip: 0, invalid: 0, error: 0 });
    const json = JSON.stringify([
      { id: 54, content_type: 4, object_id: '1', timestamp: '2016-07-01T09:00:00', extra_data: '[1, 2]', user: null, template: 'x.txt' },
      { id: 55, content_type: 4, object_id: '2', timestamp: '2016-07-01T09:00:00', extra_data: ['native'], user: null, template: 'x.txt' },
    ]);
    const fromJson = await new DjangoTimelineLogResource({ contentTypeMap }).import(Buffer.from(json), { format: 'json' });
    expect(fromJson.totals.new).toBe(2);
    const stored = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
    expect(stored.map((log) => [Number(log.id), log.extraData])).toEqual([
      [51, ['a', 1, null, { b: true }]],
      [52, "it's"],
      [53, 2.5],
      [54, [1, 2]],
      [55, ['native']],
    ]);
  });

  it('reports unmapped content types and unparseable reprs as invalid rows, writing nothing', async () => {
    const csv = [
      'id,content_type,object_id,timestamp,extra_data,user,template',
      '1,3,1,2016-07-01 09:00:00,{},,timeline_logger/default.txt',
      `2,7,1,2016-07-01 09:00:00,"{'when': datetime.date(2016, 7, 1)}",,timeline_logger/default.txt`,
      `3,3,1,2016-07-01 09:00:00,"{'a': 1",12345,timeline_logger/default.txt`,
    ].join('\n');
    const result = await new DjangoTimelineLogResource({ contentTypeMap }).import(Buffer.from(csv), { format: 'csv' });
    expect(result.rows.filter((row) => row.status === 'invalid').map(({ row, errors }) => ({ row, errors }))).toEqual([
      {
        row: 2,
        errors: [
          { field: 'content_type', message: 'Django content type "7" is not in the content type map: add 7=<Model> to --content-type-map' },
          { field: 'extra_data', message: expect.stringMatching(/^is neither a Python literal nor JSON: expected a dict/) },
        ],
      },
      {
        row: 3,
        errors: [
          { field: 'extra_data', message: expect.stringMatching(/^is neither a Python literal nor JSON/) },
          { field: 'user', message: 'no user with id 12345' },
        ],
      },
    ]);
    expect(await fixture.TimelineLog.count()).toBe(0);
  });
});

describe('parseContentTypeMap', () => {
  it('reads id=Model pairs', () => {
    expect(parseContentTypeMap('3=Group, 4=User')).toEqual({ 3: 'Group', 4: 'User' });
  });
  it('refuses anything else', () => {
    expect(() => parseContentTypeMap('Group=3')).toThrow(ConfigurationError);
  });
});
