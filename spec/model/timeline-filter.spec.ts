/**
 * The filter builder's two emitters select the same rows: for each criteria, the Sequelize
 * `where` (page, JSON, digest) and the SQL conditions (export, count) are run against one
 * seeded table and must both return the expected ids, to the microsecond.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimelineFilters } from '../../src/http/filters.js';
import { criteriaSql, criteriaWhere, type TimelineCriteria } from '../../src/model/timeline-filter.js';
import { exportCriteria, type ExportFilter } from '../../src/transfer/export-filter.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';

let fixture: TimelineFixture;
const users = { alice: '', bob: '' };

/** id, content_type, object_id, user, event, timestamp */
const ROWS: readonly [number, string | null, string | null, 'alice' | 'bob' | null, string | null, string][] = [
  [1, 'Post', '1', 'alice', 'created', '2016-07-01T00:00:00.000000Z'],
  [2, 'Post', '1', 'bob', 'updated', '2016-07-01T09:08:12.345678Z'],
  [3, 'Post', '2', 'alice', 'deleted', '2016-07-01T09:08:12.345679Z'],
  [4, 'Item', '1', null, 'created', '2016-07-01T23:59:59.999999Z'],
  [5, 'Item', '2', 'bob', 'created', '2016-07-02T00:00:00.000000Z'],
  [6, null, null, null, null, '9999-12-31T23:59:59.999999Z'],
  [7, 'Post', '10', 'alice', 'updated', '1999-12-31T23:59:59.999999Z'],
];
const ALL = [1, 2, 3, 4, 5, 6, 7];

beforeAll(async () => {
  fixture = await createTimelineFixture();
  users.alice = String((await createUser(fixture.models, 'alice')).id);
  users.bob = String((await createUser(fixture.models, 'bob')).id);
  for (const [id, contentType, objectId, user, event, timestamp] of ROWS) {
    await fixture.db.sequelize.query(
      `INSERT INTO timeline_logs (id, content_type, object_id, user_id, event, timestamp, template)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, 'timeline_logger/default.ejs')`,
      { bind: [id, contentType, objectId, user === null ? null : users[user], event, timestamp] },
    );
  }
});
afterAll(async () => {
  await fixture.db.drop();
});

/** The ids each emitter selects for `criteria`. */
async function selected(criteria: TimelineCriteria): Promise<{ sequelize: number[]; sql: number[] }> {
  const logs = await fixture.TimelineLog.findAll({ where: criteriaWhere(criteria), attributes: ['id'], order: [['id', 'ASC']] });
  // Numbered from $2 behind a condition of its own, as export reads its chunks.
  const { conditions, bind } = criteriaSql(criteria, 2);
  const [rows] = (await fixture.db.sequelize.query(
    `SELECT id FROM timeline_logs WHERE id > $1${conditions.map((condition) => ` AND ${condition}`).join('')} ORDER BY id`,
    { bind: [0, ...bind] },
  )) as [{ id: string }[], unknown];
  return { sequelize: logs.map((log) => Number(log.id)), sql: rows.map((row) => Number(row.id)) };
}

const at = (iso: string, inclusive = true) => ({ at: iso, inclusive });

describe('criteriaWhere and criteriaSql', () => {
  it.each<[string, () => TimelineCriteria, number[]]>([
    ['nothing', () => ({}), ALL],
    ['a user', () => ({ userId: users.alice }), [1, 3, 7]],
    ['an object', () => ({ contentType: 'Post', objectId: '1' }), [1, 2]],
    ['an event', () => ({ event: 'created' }), [1, 4, 5]],
    ['since, inclusive, to the microsecond', () => ({ since: at('2016-07-01T09:08:12.345678Z') }), [2, 3, 4, 5, 6]],
    ['since, exclusive', () => ({ since: at('2016-07-01T09:08:12.345678Z', false) }), [3, 4, 5, 6]],
    ['until, inclusive, to the microsecond', () => ({ until: at('2016-07-01T09:08:12.345678Z') }), [1, 2, 7]],
    ['until, exclusive', () => ({ until: at('2016-07-01T09:08:12.345678Z', false) }), [1, 7]],
    ['one day', () => ({ since: at('2016-07-01T00:00:00.000000Z'), until: at('2016-07-02T00:00:00.000000Z', false) }), [1, 2, 3, 4]],
    ['until past year 9999', () => ({ until: at('10000-01-01T00:00:00.000000Z', false) }), ALL],
    [
      'everything at once',
      () => ({ userId: users.bob, contentType: 'Item', event: 'created', since: at('2016-07-01T00:00:00.000000Z') }),
      [5],
    ],
    ['nothing matching', () => ({ objectId: 'missing' }), []],
  ])('select the same rows for %s', async (_name, criteria, ids) => {
    expect(await selected(criteria())).toEqual({ sequelize: ids, sql: ids });
  });
});

describe('criteria built from the page and from export filters', () => {
  it.each<[string, () => Readonly<Record<string, string>>, number[]]>([
    ['a whole day, in UTC', () => ({ since: '2016-07-01', until: '2016-07-01' }), [1, 2, 3, 4]],
    ['a date-time with an offset', () => ({ since: '2016-07-01T11:08:12.345+02:00' }), [2, 3, 4, 5, 6]],
    ['a user', () => ({ user: users.bob }), [2, 5]],
    ['until the last day there is', () => ({ until: '9999-12-31' }), ALL],
  ])('the page: %s', async (_name, query, ids) => {
    const { criteria } = parseTimelineFilters(query(), { timeZone: 'UTC', userModel: fixture.models.User });
    expect(await selected(criteria)).toEqual({ sequelize: ids, sql: ids });
  });

  it.each<[string, () => ExportFilter, number[]]>([
    ['a bare date as a UTC day', () => ({ since: '2016-07-01', until: '2016-07-01' }), [1, 2, 3, 4]],
    ['date-times to the microsecond', () => ({ since: '2016-07-01 11:08:12.345679+02', until: '2016-07-02T00:00:00Z' }), [3, 4, 5]],
    ['a Date', () => ({ until: new Date('2016-07-01T09:08:12.345Z') }), [1, 7]],
    ['a user given as a number', () => ({ user: Number(users.alice), contentType: 'Post' }), [1, 3, 7]],
    ['until the last day there is', () => ({ until: '9999-12-31' }), ALL],
  ])('export: %s', async (_name, filter, ids) => {
    expect(await selected(exportCriteria(filter()))).toEqual({ sequelize: ids, sql: ids });
  });

  it('export: compares the user as text, so one that is no key (or not in its canonical spelling) selects nothing instead of failing', async () => {
    for (const user of ['alice', `0${users.alice}`]) {
      const { conditions, bind } = criteriaSql(exportCriteria({ user }));
      const [rows] = await fixture.db.sequelize.query(`SELECT id FROM timeline_logs WHERE ${conditions.join(' AND ')}`, { bind });
      expect(rows).toEqual([]);
    }
  });
});
