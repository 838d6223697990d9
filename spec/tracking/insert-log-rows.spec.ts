import { beforeAll, describe, expect, it } from 'vitest';
import { insertLogRows } from '../../src/tracking/insert-log-rows.js';
import type { TimelineLogCreationAttributes } from '../../src/model/timeline-attributes.js';
import { recordQueries } from '../support/query-recorder.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const EARLY = new Date('2016-07-01T09:08:00.123Z');
const LATE = new Date('2016-07-02T10:00:00Z');
const fixture = useTimelineFixture();
let ann: Awaited<ReturnType<typeof createUser>>;
let bob: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  ann = await createUser(fixture.models, 'ann');
  bob = await createUser(fixture.models, 'bob');
});

function row(fields: Partial<TimelineLogCreationAttributes>): TimelineLogCreationAttributes {
  return { template: 'timeline_logger/default.ejs', timestamp: EARLY, ...fields };
}

describe('insertLogRows', () => {
  // 6 rows go as one JSON object each; 48 (8 x 6) as shared columns + one array per row.
  it.each([1, 8])('writes rows with different shared columns, interleaved, in one INSERT and in their order (x%i)', async (copies) => {
    const pattern = [
      row({
        contentType: 'Post',
        objectId: '1',
        objectRepr: 'One',
        userId: ann.id,
        userRepr: 'ann',
        event: 'created',
        extraData: { changes: { title: [null, 'One'] } },
      }),
      row({
        contentType: 'Item',
        objectId: '2',
        objectRepr: 'Two',
        userId: bob.id,
        userRepr: 'bob',
        event: 'updated',
        template: 'timeline_logger/updated.ejs',
        timestamp: LATE,
      }),
      row({
        contentType: 'Post',
        objectId: '3',
        objectRepr: 'Three',
        userId: ann.id,
        userRepr: 'ann',
        event: 'created',
        extraData: { n: 1.5, nested: { list: [true, null] } },
      }),
      row({
        contentType: 'Post',
        objectId: '4',
        objectRepr: 'Four',
        userId: ann.id,
        userRepr: 'ann',
        event: 'created',
        timestamp: new Date(EARLY.getTime()),
      }),
      row({ contentType: null, objectId: null, objectRepr: null, userId: null, userRepr: null, event: null }),
      row({
        contentType: 'Item',
        objectId: '6',
        objectRepr: 'Six',
        userId: bob.id,
        userRepr: 'bob',
        event: 'updated',
        template: 'timeline_logger/updated.ejs',
        timestamp: LATE,
      }),
    ];
    const rows = Array.from({ length: copies }, (_, copy) =>
      pattern.map((each) => ({ ...each, objectId: each.objectId === null ? null : `${copy}-${each.objectId}` })),
    ).flat();
    const { statements } = await recordQueries(fixture.db.sequelize, () => insertLogRows(fixture.TimelineLog.runtime, rows));
    expect(statements).toHaveLength(1);
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']], raw: true });
    expect(logs.slice(0, 6).map((log) => log.objectId)).toEqual(['0-1', '0-2', '0-3', '0-4', null, '0-6']);
    const pick = ({
      contentType,
      objectId,
      objectRepr,
      timestamp,
      userId,
      userRepr,
      template,
      event,
      extraData,
    }: TimelineLogCreationAttributes) => ({
      contentType: contentType ?? null,
      objectId: objectId ?? null,
      objectRepr: objectRepr ?? null,
      timestamp: timestamp?.toISOString(),
      userId: userId ?? null,
      userRepr: userRepr ?? null,
      template,
      event: event ?? null,
      extraData: extraData ?? null,
    });
    expect(logs.map((log) => pick(log as TimelineLogCreationAttributes))).toEqual(rows.map(pick));
  });

  it.each([1, 40])('stores JSON text that looks like SQL or JSON literally, and no extra data as NULL (x%i)', async (copies) => {
    const tricky = `'); DROP TABLE timeline_logs; -- "null" \u2028 é 😀 \\ ${'x'.repeat(10)}`;
    const pair = [row({ objectId: 'null', objectRepr: tricky, extraData: null }), row({ objectId: '"q"', extraData: { v: 'null' } })];
    await insertLogRows(fixture.TimelineLog.runtime, Array.from({ length: copies }, () => pair).flat());
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']], raw: true });
    expect(logs.slice(0, 2).map((log) => [log.objectId, log.objectRepr, log.extraData])).toEqual([
      ['null', tricky, null],
      ['"q"', null, { v: 'null' }],
    ]);
    const [nulls] = await fixture.db.sequelize.query('SELECT count(*)::int AS n FROM timeline_logs WHERE extra_data IS NULL');
    expect(nulls).toEqual([{ n: copies }]);
  });

  it('keeps values that are special in a PostgreSQL array literal as text (bulk rows travel as text arrays)', async () => {
    const specials = ['NULL', 'null', '{a,b}', '"quoted"', 'back\\slash', ' padded ', '', 'comma, and \t tab\nnewline'];
    const rows = specials.flatMap((text, index) =>
      Array.from({ length: 5 }, () => row({ objectId: text, objectRepr: text, extraData: { text, index } })),
    );
    await insertLogRows(fixture.TimelineLog.runtime, rows);
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']], raw: true });
    expect(logs.map((log) => [log.objectId, log.objectRepr, log.extraData])).toEqual(
      rows.map((each) => [each.objectId, each.objectRepr, each.extraData]),
    );
  });

  it('writes 5,000 rows of one batch with one statement', async () => {
    const rows = Array.from({ length: 5_000 }, (_, index) =>
      row({
        contentType: 'Post',
        objectId: String(index),
        userId: ann.id,
        userRepr: 'ann',
        event: 'created',
        extraData: { changes: { i: [null, index] } },
      }),
    );
    const { statements } = await recordQueries(fixture.db.sequelize, () => insertLogRows(fixture.TimelineLog.runtime, rows));
    expect(statements).toHaveLength(1);
    const [stats] = await fixture.db.sequelize.query(
      "SELECT count(*)::int AS n, min((extra_data->'changes'->'i'->>1)::int) AS lo, max((extra_data->'changes'->'i'->>1)::int) AS hi FROM timeline_logs",
    );
    expect(stats).toEqual([{ n: 5_000, lo: 0, hi: 4_999 }]);
  });
});
