/**
 * `Model.upsert` logs `created` for a row it inserted and `updated`, with the changes against
 * the row it replaced, for one it updated (issue 13). Sequelize reports `created` as null on
 * PostgreSQL, so the statement itself says which happened.
 */
import { DataTypes, Model, type ModelStatic, type Transaction } from 'sequelize';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runWithTimelineUser, withTimeline, type TimelineLog } from '../../src/index.js';
import { recordQueries } from '../support/query-recorder.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels, type TrackedModels } from '../support/tracked-models.js';

const FROZEN = new Date('2016-07-01T09:08:00Z');
const fixture = useTimelineFixture({ now: () => FROZEN });
let tracked: TrackedModels;
let ann: Awaited<ReturnType<typeof createUser>>;
/** A model whose upsert conflicts on a unique key that is not its primary key. */
let Tag: ModelStatic<Model>;

beforeAll(async () => {
  tracked = await defineTrackedModels(fixture.db.sequelize);
  Tag = fixture.db.sequelize.define(
    'Tag',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      slug: { type: DataTypes.STRING(40), allowNull: false, unique: true },
      label: { type: DataTypes.STRING(100), allowNull: false },
    },
    { tableName: 'spec_tags', underscored: true },
  );
  await Tag.sync();
  ann = await createUser(fixture.models, 'ann');
});
beforeEach(async () => {
  withTimeline(tracked.Country);
  withTimeline(fixture.models.Post);
  withTimeline(Tag);
  await tracked.Country.destroy({ where: {}, hooks: false });
  await Tag.destroy({ where: {}, hooks: false });
});

async function logsOf(contentType: string): Promise<TimelineLog[]> {
  return fixture.TimelineLog.findAll({ where: { contentType }, order: [['id', 'ASC']] });
}

describe('upsert', () => {
  it('logs created for a new row, with [null, value] changes, by the call’s user, in English and Dutch', async () => {
    const [country, created] = await tracked.Country.upsert({ code: 'NL', name: 'Netherlands' }, { timeline: { user: ann } });
    expect(created).toBeNull(); // Sequelize's own answer on PostgreSQL, left as it is
    expect(country.get({ plain: true })).toEqual({ code: 'NL', name: 'Netherlands' }); // no xmax left behind
    const [log] = await logsOf('Country');
    expect(log).toMatchObject({ event: 'created', template: 'timeline_logger/created.ejs', objectId: 'NL', userRepr: 'ann' });
    expect(log?.extraData).toEqual({ changes: { name: [null, 'Netherlands'] } });
    expect(await log?.getMessage()).toBe('July 1, 2016, 9:08 a.m. - ann created Netherlands\n');
    expect(await log?.getMessage({ locale: 'nl' })).toBe('1 juli 2016 09:08 - ann heeft Netherlands aangemaakt\n');
  });

  it('logs updated with the changes against the row it replaced', async () => {
    await tracked.Country.create({ code: 'BE', name: 'Belgium' }, { hooks: false });
    await runWithTimelineUser(ann, () => tracked.Country.upsert({ code: 'BE', name: 'België' }));
    const [log] = await logsOf('Country');
    expect(log).toMatchObject({ event: 'updated', template: 'timeline_logger/updated.ejs', objectId: 'BE', userRepr: 'ann' });
    expect(log?.extraData).toEqual({ changes: { name: ['Belgium', 'België'] } });
    expect(await log?.getMessage()).toBe('July 1, 2016, 9:08 a.m. - ann updated België (name)\n');
    expect(await log?.getMessage({ locale: 'nl' })).toBe('1 juli 2016 09:08 - ann heeft België gewijzigd (name)\n');
  });

  it('writes nothing for an upsert that changes no tracked field, unless skipEmpty is false', async () => {
    await tracked.Country.create({ code: 'DE', name: 'Germany' }, { hooks: false });
    await tracked.Country.upsert({ code: 'DE', name: 'Germany' });
    expect(await logsOf('Country')).toEqual([]);
    withTimeline(tracked.Country, { skipEmpty: false });
    await tracked.Country.upsert({ code: 'DE', name: 'Germany' });
    expect((await logsOf('Country')).map((log) => [log.event, log.extraData])).toEqual([['updated', { changes: {} }]]);
  });

  it('finds the replaced row by the unique key the statement conflicts on', async () => {
    const [first] = await Tag.upsert({ slug: 'news', label: 'News' });
    const [second] = await Tag.upsert({ slug: 'news', label: 'Latest news' });
    expect(second.get('id')).toBe(first.get('id'));
    const logs = await logsOf('Tag');
    expect(logs.map((log) => [log.event, log.objectId, log.extraData])).toEqual([
      ['created', String(first.get('id')), { changes: { slug: [null, 'news'], label: [null, 'News'] } }],
      ['updated', String(first.get('id')), { changes: { label: ['News', 'Latest news'] } }],
    ]);
  });

  it('logs a row with a generated key under that key', async () => {
    const [post] = await fixture.models.Post.upsert({ title: 'Fresh', body: '', authorId: null });
    await fixture.models.Post.upsert({ id: post.id, title: 'Fresher', body: '', authorId: null });
    const logs = await logsOf('Post');
    expect(logs.map((log) => [log.event, log.objectId])).toEqual([
      ['created', String(post.id)],
      ['updated', String(post.id)],
    ]);
    expect(logs[1]?.extraData).toEqual({ changes: { title: ['Fresh', 'Fresher'] } });
  });

  it('writes in the call’s transaction: a rollback leaves neither the row nor its log', async () => {
    await expect(
      fixture.db.sequelize.transaction(async (transaction) => {
        await tracked.Country.upsert({ code: 'FR', name: 'France' }, { transaction });
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect(await tracked.Country.count()).toBe(0);
    expect(await logsOf('Country')).toEqual([]);
    await fixture.db.sequelize.transaction(async (transaction: Transaction) => {
      await tracked.Country.upsert({ code: 'FR', name: 'France' }, { transaction });
      await tracked.Country.upsert({ code: 'FR', name: 'la France' }, { transaction, timeline: { user: ann } });
    });
    expect((await logsOf('Country')).map((log) => [log.event, log.userRepr])).toEqual([
      ['created', null],
      ['updated', 'ann'],
    ]);
  });

  it('logs updated, not created, when another session commits the row after the read', async () => {
    tracked.Country.addHook('beforeUpsert', 'late-writer', async () => {
      await tracked.Country.create({ code: 'IT', name: 'Italy' }, { hooks: false, transaction: null });
    });
    try {
      await tracked.Country.upsert({ code: 'IT', name: 'Italia' });
    } finally {
      tracked.Country.removeHook('beforeUpsert', 'late-writer');
    }
    expect((await tracked.Country.findByPk('IT'))?.name).toBe('Italia');
    // Its old values were never seen by this transaction: no changes, logged even with skipEmpty.
    expect((await logsOf('Country')).map((log) => [log.event, log.extraData])).toEqual([['updated', { changes: {} }]]);
  });

  it('logs only the events listed in events', async () => {
    withTimeline(tracked.Country, { events: ['created'] });
    await tracked.Country.upsert({ code: 'ES', name: 'Spain' });
    await tracked.Country.upsert({ code: 'ES', name: 'España' });
    withTimeline(tracked.Country, { events: ['updated'] });
    await tracked.Country.upsert({ code: 'PT', name: 'Portugal' });
    await tracked.Country.upsert({ code: 'PT', name: 'Portugal (PT)' });
    expect((await logsOf('Country')).map((log) => [log.event, log.objectId])).toEqual([
      ['created', 'ES'],
      ['updated', 'PT'],
    ]);
  });

  it('runs in a transaction of its own when called without one: lock and read, upsert, log, commit', async () => {
    await tracked.Country.create({ code: 'CH', name: 'Switzerland' }, { hooks: false });
    const { statements } = await recordQueries(fixture.db.sequelize, () => tracked.Country.upsert({ code: 'CH', name: 'Suisse' }));
    expect(statements.map((sql) => /^\s*(\w+)/.exec(sql)?.[1])).toEqual(['START', 'SELECT', 'INSERT', 'INSERT', 'COMMIT']);
    expect(statements[1]).toContain('FOR UPDATE');
    expect(statements[2]).toContain('ON CONFLICT ("code")');
  });

  it('is not tracked with hooks: false', async () => {
    await tracked.Country.upsert({ code: 'AT', name: 'Austria' }, { hooks: false });
    expect(await logsOf('Country')).toEqual([]);
  });
});
