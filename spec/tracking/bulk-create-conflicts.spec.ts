/**
 * `bulkCreate` with `ignoreDuplicates` or `updateOnDuplicate` logs what the statement did
 * (issue 13): `created` only for the rows it inserted, `updated` with the changes for the rows
 * it updated. PostgreSQL returns only the rows it wrote and Sequelize copies them onto the given
 * instances by position, so the rows are told apart by `xmax` and matched by key.
 */
import { DataTypes, Model, type ModelStatic, type Transaction } from 'sequelize';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTimeline, type TimelineLog } from '../../src/index.js';
import { recordQueries } from '../support/query-recorder.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels, type TrackedModels } from '../support/tracked-models.js';

const FROZEN = new Date('2016-07-01T09:08:00Z');
const fixture = useTimelineFixture({ now: () => FROZEN });
let tracked: TrackedModels;
let ann: Awaited<ReturnType<typeof createUser>>;
/** A model with a generated key and a unique slug (column slug_name), which its bulkCreate conflicts on. */
let Tag: ModelStatic<Model>;
/** The same table, never tracked: what Sequelize itself returns. */
let PlainCountry: ModelStatic<Model>;

const TAG_ATTRIBUTES = {
  id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
  slugName: { type: DataTypes.STRING(40), allowNull: false, unique: true },
  label: { type: DataTypes.STRING(100), allowNull: false },
};

beforeAll(async () => {
  tracked = await defineTrackedModels(fixture.db.sequelize);
  const { sequelize } = fixture.db;
  Tag = sequelize.define('Tag', TAG_ATTRIBUTES, { tableName: 'spec_bulk_tags', underscored: true });
  PlainCountry = sequelize.define(
    'PlainCountry',
    { code: { type: DataTypes.STRING(2), primaryKey: true }, name: { type: DataTypes.STRING(100), allowNull: false } },
    { tableName: 'countries', underscored: true, timestamps: false },
  );
  await Tag.sync();
  ann = await createUser(fixture.models, 'ann');
});
beforeEach(async () => {
  withTimeline(tracked.Country);
  withTimeline(Tag);
  await tracked.Country.destroy({ where: {}, hooks: false });
  await Tag.destroy({ where: {}, hooks: false });
});

async function logsOf(contentType: string): Promise<TimelineLog[]> {
  return fixture.TimelineLog.findAll({ where: { contentType }, order: [['id', 'ASC']] });
}

async function logged(contentType: string): Promise<[string | null, string, unknown][]> {
  const logs = await logsOf(contentType);
  return logs
    .map((log) => [log.event, log.objectId, log.extraData] as [string | null, string, unknown])
    .sort((a, b) => a[1].localeCompare(b[1]));
}

const plain = (instances: Model[]) => instances.map((instance) => instance.get({ plain: true }) as Record<string, unknown>);

describe('bulkCreate with ignoreDuplicates', () => {
  it('logs created only for the rows it inserted: none for a skipped row with a key of its own, none twice', async () => {
    await tracked.Country.create({ code: 'AT', name: 'Austria' }, { hooks: false });
    const rows = [
      { code: 'AT', name: 'Österreich' },
      { code: 'BE', name: 'Belgium' },
      { code: 'BE', name: 'Belgique' },
      { code: 'CH', name: 'Switzerland' },
    ];
    await tracked.Country.bulkCreate(rows, { ignoreDuplicates: true, timeline: { user: ann } });
    expect(await logged('Country')).toEqual([
      ['created', 'BE', { changes: { name: [null, 'Belgium'] } }],
      ['created', 'CH', { changes: { name: [null, 'Switzerland'] } }],
    ]);
    const messages = await Promise.all((await logsOf('Country')).map((log) => log.getMessage()));
    expect(messages.sort()).toEqual([
      'July 1, 2016, 9:08 a.m. - ann created Belgium\n',
      'July 1, 2016, 9:08 a.m. - ann created Switzerland\n',
    ]);
  });

  it('logs rows with generated keys under the key PostgreSQL gave them', async () => {
    await Tag.create({ slugName: 'news', label: 'News' }, { hooks: false });
    await Tag.bulkCreate(
      [
        { slugName: 'news', label: 'More news' },
        { slugName: 'sport', label: 'Sport' },
        { slugName: 'tech', label: 'Tech' },
      ],
      { ignoreDuplicates: true },
    );
    const ids: Record<string, string> = Object.fromEntries(
      (await Tag.findAll()).map((tag) => [tag.get('slugName'), String(tag.get('id'))]),
    );
    expect(await logged('Tag')).toEqual(
      [
        ['created', ids.sport, { changes: { slugName: [null, 'sport'], label: [null, 'Sport'] } }],
        ['created', ids.tech, { changes: { slugName: [null, 'tech'], label: [null, 'Tech'] } }],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('returns the instances Sequelize returns untracked, without xmax', async () => {
    const rows = [
      { code: 'AT', name: 'Österreich' },
      { code: 'BE', name: 'Belgium' },
    ];
    await PlainCountry.create({ code: 'AT', name: 'Austria' });
    const untracked = plain(await PlainCountry.bulkCreate(rows, { ignoreDuplicates: true }));
    await PlainCountry.destroy({ where: {} });
    await PlainCountry.create({ code: 'AT', name: 'Austria' });
    const withTracking = plain(await tracked.Country.bulkCreate(rows, { ignoreDuplicates: true }));
    expect(withTracking).toEqual(untracked);
    expect(withTracking.some((values) => 'xmax' in values)).toBe(false);
  });
});

describe('bulkCreate with updateOnDuplicate', () => {
  it('logs updated with the changes for the rows it updated and created for the rows it inserted', async () => {
    await tracked.Country.bulkCreate(
      [
        { code: 'NL', name: 'Netherlands' },
        { code: 'DE', name: 'Germany' },
      ],
      { hooks: false },
    );
    const rows = [
      { code: 'NL', name: 'Nederland' },
      { code: 'BE', name: 'Belgium' },
      { code: 'DE', name: 'Germany' },
    ];
    await tracked.Country.bulkCreate(rows, { updateOnDuplicate: ['name'], timeline: { user: ann } });
    // DE changed nothing: skipEmpty leaves it out, as for any update.
    expect(await logged('Country')).toEqual([
      ['created', 'BE', { changes: { name: [null, 'Belgium'] } }],
      ['updated', 'NL', { changes: { name: ['Netherlands', 'Nederland'] } }],
    ]);
    const updated = (await logsOf('Country')).find((log) => log.event === 'updated');
    expect(await updated?.getMessage({ locale: 'nl' })).toBe('1 juli 2016 09:08 - ann heeft Nederland gewijzigd (name)\n');
  });

  it('finds the old row by the unique key the statement conflicts on', async () => {
    const news = await Tag.create({ slugName: 'news', label: 'News' }, { hooks: false });
    await Tag.bulkCreate(
      [
        { slugName: 'news', label: 'Latest news' },
        { slugName: 'sport', label: 'Sport' },
      ],
      { updateOnDuplicate: ['label'] },
    );
    const sport = await Tag.findOne({ where: { slugName: 'sport' } });
    expect(await logged('Tag')).toEqual(
      [
        ['updated', String(news.get('id')), { changes: { label: ['News', 'Latest news'] } }],
        ['created', String(sport?.get('id')), { changes: { slugName: [null, 'sport'], label: [null, 'Sport'] } }],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('runs in a transaction of its own when called without one: lock and read, insert, logs, commit', async () => {
    await tracked.Country.create({ code: 'CH', name: 'Switzerland' }, { hooks: false });
    const rows = [
      { code: 'CH', name: 'Suisse' },
      { code: 'LI', name: 'Liechtenstein' },
    ];
    const { statements } = await recordQueries(fixture.db.sequelize, () =>
      tracked.Country.bulkCreate(rows, { updateOnDuplicate: ['name'] }),
    );
    expect(statements.map((sql) => /^\s*(\w+)/.exec(sql)?.[1])).toEqual(['START', 'SELECT', 'INSERT', 'INSERT', 'COMMIT']);
    expect(statements[1]).toContain('FOR UPDATE');
    expect(statements[2]).toContain('ON CONFLICT ("code") DO UPDATE');
    expect(statements[2]).toContain('"xmax"');
  });

  it('writes in the call’s transaction: a rollback leaves neither the rows nor their logs', async () => {
    await tracked.Country.create({ code: 'FR', name: 'France' }, { hooks: false });
    await expect(
      fixture.db.sequelize.transaction(async (transaction: Transaction) => {
        await tracked.Country.bulkCreate([{ code: 'FR', name: 'la France' }], { updateOnDuplicate: ['name'], transaction });
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect((await tracked.Country.findByPk('FR'))?.get('name')).toBe('France');
    expect(await logsOf('Country')).toEqual([]);
  });

  it('logs updated without changes for a row another session commits after the read', async () => {
    tracked.Country.addHook('beforeBulkCreate', 'late-writer', async () => {
      await tracked.Country.create({ code: 'IT', name: 'Italy' }, { hooks: false, transaction: null });
    });
    try {
      await tracked.Country.bulkCreate([{ code: 'IT', name: 'Italia' }], { updateOnDuplicate: ['name'] });
    } finally {
      tracked.Country.removeHook('beforeBulkCreate', 'late-writer');
    }
    expect((await tracked.Country.findByPk('IT'))?.get('name')).toBe('Italia');
    expect(await logged('Country')).toEqual([['updated', 'IT', { changes: {} }]]);
  });

  it('logs only the events listed in events', async () => {
    await tracked.Country.bulkCreate(
      [
        { code: 'ES', name: 'Spain' },
        { code: 'PT', name: 'Portugal' },
      ],
      { hooks: false },
    );
    withTimeline(tracked.Country, { events: ['created'] });
    await tracked.Country.bulkCreate(
      [
        { code: 'ES', name: 'España' },
        { code: 'GR', name: 'Greece' },
      ],
      { updateOnDuplicate: ['name'] },
    );
    withTimeline(tracked.Country, { events: ['updated'] });
    await tracked.Country.bulkCreate(
      [
        { code: 'PT', name: 'Portugal (PT)' },
        { code: 'MT', name: 'Malta' },
      ],
      { updateOnDuplicate: ['name'] },
    );
    expect((await logsOf('Country')).map((log) => [log.event, log.objectId])).toEqual([
      ['created', 'GR'],
      ['updated', 'PT'],
    ]);
  });

  it('returns the instances Sequelize returns untracked, without xmax', async () => {
    const rows = [
      { code: 'NL', name: 'Nederland' },
      { code: 'BE', name: 'Belgium' },
    ];
    await PlainCountry.create({ code: 'NL', name: 'Netherlands' });
    const untracked = plain(await PlainCountry.bulkCreate(rows, { updateOnDuplicate: ['name'] }));
    await PlainCountry.destroy({ where: {} });
    await PlainCountry.create({ code: 'NL', name: 'Netherlands' });
    const withTracking = plain(await tracked.Country.bulkCreate(rows, { updateOnDuplicate: ['name'] }));
    expect(withTracking).toEqual(untracked);
    expect(withTracking.some((values) => 'xmax' in values)).toBe(false);
  });
});

describe('a plain bulkCreate', () => {
  it('still sends its INSERT and the logs’ INSERT only, asking for no xmax', async () => {
    const rows = [
      { code: 'SE', name: 'Sweden' },
      { code: 'NO', name: 'Norway' },
    ];
    const { statements } = await recordQueries(fixture.db.sequelize, () => tracked.Country.bulkCreate(rows));
    expect(statements.map((sql) => /^\s*(\w+)/.exec(sql)?.[1])).toEqual(['INSERT', 'INSERT']);
    expect(statements[0]).not.toContain('xmax');
    expect((await logsOf('Country')).map((log) => log.objectId).sort()).toEqual(['NO', 'SE']);
  });
});
