import { fileURLToPath } from 'node:url';
import { DataTypes, Model, Op, Sequelize } from 'sequelize';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, runWithTimelineUser, TemplateNotFoundError, withTimeline, type TimelineLog } from '../../src/index.js';
import { recordQueries } from '../support/query-recorder.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels, type TrackedModels } from '../support/tracked-models.js';
import { extraObject } from '../support/extra-data.js';

const FROZEN = new Date('2016-07-01T09:08:00Z');
const VIEWS = fileURLToPath(new URL('../support/views/tracking-templates/', import.meta.url));
const fixture = useTimelineFixture({ now: () => FROZEN, templateDirs: [VIEWS] });
let tracked: TrackedModels;
let ann: Awaited<ReturnType<typeof createUser>>;
let bob: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  tracked = await defineTrackedModels(fixture.db.sequelize);
  withTimeline(fixture.models.Post);
  withTimeline(fixture.models.Item);
  withTimeline(tracked.Gadget);
  withTimeline(tracked.Country);
  withTimeline(tracked.Account);
  withTimeline(tracked.Memo);
  ann = await createUser(fixture.models, 'ann');
  bob = await createUser(fixture.models, 'bob');
});

/** A statement's first word. */
function verb(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1] ?? '';
}

async function logsOf(contentType: string): Promise<TimelineLog[]> {
  return fixture.TimelineLog.findAll({ where: { contentType }, order: [['id', 'ASC']] });
}

describe('withTimeline: single rows', () => {
  it('logs a create with [null, new] changes, the event, its template and label snapshots', async () => {
    const post = await fixture.models.Post.create({ title: 'Hello', body: 'First!', authorId: ann.id }, { timeline: { user: ann } });
    const [log] = await logsOf('Post');
    expect(log).toMatchObject({
      event: 'created',
      template: 'timeline_logger/created.ejs',
      objectId: String(post.id),
      objectRepr: 'Hello',
      userId: ann.id,
      userRepr: 'ann',
    });
    expect(log?.extraData).toEqual({ changes: { title: [null, 'Hello'], body: [null, 'First!'], authorId: [null, ann.id] } });
    expect(await log?.getMessage()).toBe('July 1, 2016, 9:08 a.m. - ann created Hello\n');
  });

  it('logs an update with only the changed fields, named in the model order, in English and Dutch', async () => {
    const post = await fixture.models.Post.create({ title: 'Draft', body: 'x', authorId: null });
    await post.update({ body: 'y', title: 'Hello' }, { timeline: { user: ann } });
    const logs = await logsOf('Post');
    expect(logs.map((log) => log.event)).toEqual(['created', 'updated']);
    const updated = logs[1] as TimelineLog;
    expect(updated.extraData).toEqual({ changes: { title: ['Draft', 'Hello'], body: ['x', 'y'] } });
    expect(updated.template).toBe('timeline_logger/updated.ejs');
    expect(await updated.getMessage()).toBe('July 1, 2016, 9:08 a.m. - ann updated Hello (title, body)\n');
    expect(await updated.getMessage({ locale: 'nl' })).toBe('1 juli 2016 09:08 - ann heeft Hello gewijzigd (title, body)\n');
  });

  it('logs a delete with the removed values, and keeps the label once the row is gone', async () => {
    const post = await fixture.models.Post.create({ title: 'Bye', body: '', authorId: null });
    await post.destroy({ timeline: { user: bob } });
    const deleted = (await logsOf('Post'))[1] as TimelineLog;
    expect(deleted).toMatchObject({ event: 'deleted', template: 'timeline_logger/deleted.ejs', objectRepr: 'Bye', userRepr: 'bob' });
    expect(deleted.extraData).toEqual({ changes: { title: ['Bye', null], body: ['', null] } });
    expect(await deleted.getMessage()).toBe('July 1, 2016, 9:08 a.m. - bob deleted Bye\n');
  });

  it('writes nothing for an update that changes no tracked field', async () => {
    const post = await fixture.models.Post.create({ title: 'Same', body: 'b', authorId: null });
    await post.update({ title: 'Same' });
    post.changed('body', true); // written again, but the same value
    await post.save();
    expect((await logsOf('Post')).map((log) => log.event)).toEqual(['created']);
  });

  it('logs UUID and string primary keys as the object id, and finds them with getTimelineLogs()', async () => {
    const gadget = await tracked.Gadget.create({ name: 'Widget' });
    await gadget.update({ name: 'Gizmo' });
    const country = await tracked.Country.create({ code: 'NL', name: 'Nederland' });
    await country.destroy();
    expect(gadget.id).toMatch(/^[0-9a-f-]{36}$/);
    const gadgetLogs = await gadget.getTimelineLogs();
    expect(gadgetLogs.map((log) => [log.event, log.objectId])).toEqual([
      ['updated', gadget.id],
      ['created', gadget.id],
    ]);
    expect((await logsOf('Country')).map((log) => [log.event, log.objectId, log.objectRepr])).toEqual([
      ['created', 'NL', 'Nederland'],
      ['deleted', 'NL', 'Nederland'],
    ]);
  });

  it('logs once per change when applied twice, with the last options', async () => {
    withTimeline(tracked.Gadget);
    withTimeline(tracked.Gadget, { events: ['created'] });
    const gadget = await tracked.Gadget.create({ name: 'Once' });
    await gadget.update({ name: 'Twice' });
    withTimeline(tracked.Gadget);
    expect((await logsOf('Gadget')).map((log) => log.event)).toEqual(['created']);
  });
});

describe('withTimeline: options', () => {
  it('masks password, token and secret fields (case-insensitive substrings) in changes and messages', async () => {
    const account = await tracked.Account.create({ name: 'acme', password: 'hunter2', apiToken: 'tok-123', clientSecret: 's3cr3t' });
    await account.update({ password: 'hunter3', name: 'ACME' });
    const [created, updated] = await logsOf('Account');
    expect(extraObject(created).changes).toMatchObject({
      password: [null, '********'],
      apiToken: [null, '********'],
      clientSecret: [null, '********'],
    });
    expect(extraObject(updated).changes).toEqual({ name: ['acme', 'ACME'], password: ['********', '********'] });
    const message = await updated?.getMessage({ template: 'tracking/changes.ejs' });
    expect(message).toBe('Anonymous user changed ACME: name "acme" -> "ACME", password "********" -> "********"\n');
    const stored = JSON.stringify(await fixture.TimelineLog.findAll({ raw: true }));
    for (const secret of ['hunter2', 'hunter3', 'tok-123', 's3cr3t']) expect(stored).not.toContain(secret);
  });

  it('tracks only the `only` fields, never the `exclude` ones, and timestamps only when asked', async () => {
    try {
      withTimeline(tracked.Gadget, { only: ['name', 'updatedAt'] });
      const gadget = await tracked.Gadget.create({ name: 'A' });
      withTimeline(tracked.Gadget, { exclude: ['name'], skipEmpty: false });
      await gadget.update({ name: 'B' });
      const [created, updated] = await logsOf('Gadget');
      expect(Object.keys(extraObject(created).changes ?? {}).sort()).toEqual(['name', 'updatedAt']);
      expect(updated?.extraData).toEqual({ changes: {} });
      expect(await updated?.getMessage()).toBe('July 1, 2016, 9:08 a.m. - Anonymous user updated B\n');
    } finally {
      withTimeline(tracked.Gadget);
    }
  });

  it('rejects unknown attribute names and events when applied', () => {
    expect(() => withTimeline(tracked.Gadget, { only: ['nmae'] })).toThrow(ConfigurationError);
    expect(() => withTimeline(tracked.Gadget, { exclude: ['nope'] })).toThrow(/option exclude must be names of Gadget attributes/);
    expect(() => withTimeline(tracked.Gadget, { events: ['renamed' as 'created'] })).toThrow(ConfigurationError);
  });

  it('rejects a missing template and a model without a single-column primary key when applied', () => {
    expect(() => withTimeline(tracked.Country, { templates: { deleted: 'tracking/missing.ejs' } })).toThrow(TemplateNotFoundError);
    class Pair extends Model {}
    Pair.init(
      { left: { type: DataTypes.INTEGER, primaryKey: true }, right: { type: DataTypes.INTEGER, primaryKey: true } },
      { sequelize: fixture.db.sequelize, tableName: 'pairs' },
    );
    expect(() => withTimeline(Pair)).toThrow(/single-column primary key.*left \+ right/);
    const other = new Sequelize(fixture.db.url, { logging: false });
    class Elsewhere extends Model {}
    Elsewhere.init({ text: DataTypes.TEXT }, { sequelize: other, tableName: 'elsewhere' });
    expect(() => withTimeline(Elsewhere)).toThrow(/another Sequelize instance/);
    void other.close();
  });

  it('uses the per-event templates it is given', async () => {
    try {
      withTimeline(tracked.Country, { templates: { created: 'tracking/changes.ejs' } });
      await tracked.Country.create({ code: 'BE', name: 'België' });
      const [log] = await logsOf('Country');
      expect(log?.template).toBe('tracking/changes.ejs');
      expect(await log?.getMessage()).toBe('Anonymous user changed België: name null -> "België"\n');
    } finally {
      withTimeline(tracked.Country);
    }
  });

  it('serialises JSONB, DATEONLY, DATE, DECIMAL, BIGINT and ARRAY values faithfully', async () => {
    const account = await tracked.Account.create({
      name: 'types',
      settings: { theme: 'dark', nested: { n: 1 } },
      bornOn: '1990-02-03',
      lastSeenAt: new Date('2020-01-02T03:04:05.678Z'),
      balance: '10.50',
      visits: '9007199254740993',
      tags: ['a', 'b'],
    });
    await account.reload();
    await account.update({
      settings: { nested: { n: 1 }, theme: 'light' },
      lastSeenAt: new Date('2021-01-02T03:04:05.000Z'),
      balance: '10.5', // the same DECIMAL: not a change
      visits: '9007199254740995',
      tags: ['a', 'b', 'c'],
    });
    const [created, updated] = await logsOf('Account');
    expect(extraObject(created).changes).toEqual({
      name: [null, 'types'],
      settings: [null, { theme: 'dark', nested: { n: 1 } }],
      bornOn: [null, '1990-02-03'],
      lastSeenAt: [null, '2020-01-02T03:04:05.678Z'],
      balance: [null, '10.50'],
      visits: [null, '9007199254740993'],
      tags: [null, ['a', 'b']],
    });
    expect(extraObject(updated).changes).toEqual({
      settings: [
        { theme: 'dark', nested: { n: 1 } },
        { theme: 'light', nested: { n: 1 } },
      ],
      lastSeenAt: ['2020-01-02T03:04:05.678Z', '2021-01-02T03:04:05.000Z'],
      visits: ['9007199254740993', '9007199254740995'],
      tags: [
        ['a', 'b'],
        ['a', 'b', 'c'],
      ],
    });
  });
});

describe('withTimeline: the acting user', () => {
  it('takes the user of runWithTimelineUser, returns its result, and lets the per-call user win', async () => {
    const result = await runWithTimelineUser(ann, async () => {
      await fixture.models.Post.create({ title: 'By context', body: '', authorId: null });
      await fixture.models.Post.create({ title: 'By call', body: '', authorId: null }, { timeline: { user: bob } });
      await fixture.models.Post.create({ title: 'By nobody', body: '', authorId: null }, { timeline: { user: null } });
      return 42;
    });
    expect(result).toBe(42);
    expect((await logsOf('Post')).map((log) => [log.objectRepr, log.userRepr])).toEqual([
      ['By context', 'ann'],
      ['By call', 'bob'],
      ['By nobody', null],
    ]);
  });

  it('logs nothing for a call with hooks: false (Sequelize runs no hooks)', async () => {
    await fixture.models.Post.create({ title: 'Hookless', body: '', authorId: null }, { hooks: false });
    expect(await logsOf('Post')).toEqual([]);
  });

  it('logs no user outside any context', async () => {
    await fixture.models.Post.create({ title: 'Anonymous', body: '', authorId: null });
    expect((await logsOf('Post'))[0]?.userId).toBeNull();
  });
});

describe('withTimeline: transactions', () => {
  it('writes nothing when the transaction rolls back', async () => {
    const { sequelize } = fixture.db;
    const transaction = await sequelize.transaction();
    const post = await fixture.models.Post.create({ title: 'Rolled back', body: '', authorId: null }, { transaction });
    await post.update({ title: 'Still rolled back' }, { transaction });
    await fixture.models.Post.update({ body: 'z' }, { where: { id: post.id }, transaction });
    await transaction.rollback();
    await expect(
      sequelize.transaction(async (t) => {
        await fixture.models.Post.bulkCreate([{ title: 'Managed', body: '', authorId: null }], { transaction: t });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await fixture.models.Post.count({ where: { title: ['Rolled back', 'Still rolled back', 'Managed'] } })).toBe(0);
    expect(await logsOf('Post')).toEqual([]);
  });

  it('writes the logs of a committed transaction with one INSERT just before COMMIT', async () => {
    const { sequelize } = fixture.db;
    const { statements } = await recordQueries(sequelize, () =>
      sequelize.transaction(async (transaction) => {
        const post = await fixture.models.Post.create({ title: 'T1', body: '', authorId: null }, { transaction });
        await post.update({ title: 'T2' }, { transaction });
        const inside = await fixture.TimelineLog.count({ transaction });
        expect(inside).toBe(0);
      }),
    );
    // Nothing written before the count above, and one statement more than the transaction's own
    // (START, the post's INSERT and UPDATE, the count, COMMIT): the logs' one INSERT, at commit.
    expect(statements).toHaveLength(6);
    expect((await logsOf('Post')).map((log) => log.event)).toEqual(['created', 'updated']);
  });

  it('writes the logs of an unmanaged transaction once, however often commit() is called', async () => {
    const transaction = await fixture.db.sequelize.transaction();
    await fixture.models.Post.create({ title: 'Unmanaged', body: '', authorId: null }, { transaction });
    await transaction.commit();
    await expect(transaction.commit()).rejects.toThrow(/finished/);
    expect((await logsOf('Post')).map((log) => log.objectRepr)).toEqual(['Unmanaged']);
  });

  it('fails the change when its log cannot be written', async () => {
    const { sequelize } = fixture.db;
    const ghost = { id: 987654, username: 'ghost' };
    await expect(
      sequelize.transaction((transaction) =>
        fixture.models.Post.create({ title: 'Orphan', body: '', authorId: null }, { transaction, timeline: { user: ghost } }),
      ),
    ).rejects.toThrow(/foreign key/);
    await expect(
      fixture.models.Post.create({ title: 'No transaction', body: '', authorId: null }, { timeline: { user: ghost } }),
    ).rejects.toThrow(/foreign key/);
    expect(await fixture.models.Post.count({ where: { title: 'Orphan' } })).toBe(0);
    expect(await logsOf('Post')).toEqual([]);
  });

  it('hands the logs of a released savepoint to its parent and drops those of a rolled-back one', async () => {
    const { sequelize } = fixture.db;
    await sequelize.transaction(async (outer) => {
      await fixture.models.Post.create({ title: 'Outer', body: '', authorId: null }, { transaction: outer });
      await sequelize.transaction({ transaction: outer }, (inner) =>
        fixture.models.Post.create({ title: 'Kept', body: '', authorId: null }, { transaction: inner }),
      );
      await sequelize
        .transaction({ transaction: outer }, async (inner) => {
          await fixture.models.Post.create({ title: 'Dropped', body: '', authorId: null }, { transaction: inner });
          throw new Error('undo the savepoint');
        })
        .catch(() => undefined);
    });
    expect((await logsOf('Post')).map((log) => log.objectRepr)).toEqual(['Outer', 'Kept']);
  });
});

describe('withTimeline: bulk operations without individualHooks', () => {
  const rows = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, index) => ({ title: `${prefix} ${index}`, body: '', authorId: null }));

  it('logs every row of bulkCreate with one multi-row INSERT', async () => {
    const { statements } = await recordQueries(fixture.db.sequelize, () =>
      fixture.models.Post.bulkCreate(rows(50, 'Bulk'), { timeline: { user: ann } }),
    );
    expect(statements).toHaveLength(2); // the posts' INSERT and the logs' INSERT
    const logs = await logsOf('Post');
    expect(logs).toHaveLength(50);
    expect(new Set(logs.map((log) => log.objectId)).size).toBe(50);
    expect(logs[7]).toMatchObject({ event: 'created', objectRepr: 'Bulk 7', userRepr: 'ann' });
  });

  it('logs every row of Model.update with one SELECT, the UPDATE and one INSERT', async () => {
    await fixture.models.Post.bulkCreate(rows(30, 'Before'));
    await fixture.TimelineLog.destroy({ where: {}, truncate: true });
    const { statements } = await recordQueries(fixture.db.sequelize, () =>
      fixture.models.Post.update({ body: 'after' }, { where: { title: { [Op.like]: 'Before %' } }, timeline: { user: bob } }),
    );
    // In a transaction of its own: the snapshot SELECT (the old values below, locked), the UPDATE of those rows, the logs' INSERT.
    expect(statements.map(verb)).toEqual(['START', 'SELECT', 'UPDATE', 'INSERT', 'COMMIT']);
    expect(statements[1]).toMatch(/ FOR UPDATE;$/);
    const logs = await logsOf('Post');
    expect(logs).toHaveLength(30);
    expect(logs[0]).toMatchObject({ event: 'updated', userRepr: 'bob', extraData: { changes: { body: ['', 'after'] } } });
  });

  it('computes SQL expression values of a bulk update in the same SELECT', async () => {
    const item = await fixture.models.Item.create({ name: 'Pen', price: '1.50', stock: 3 });
    await fixture.TimelineLog.destroy({ where: {}, truncate: true });
    const { sequelize } = fixture.db;
    await sequelize.transaction((transaction) =>
      fixture.models.Item.update({ stock: sequelize.literal('stock - 1') }, { where: { id: item.id }, transaction }),
    );
    expect((await logsOf('Item'))[0]?.extraData).toEqual({ changes: { stock: [3, 2] } });
  });

  it('logs every row of Model.destroy with one SELECT, the DELETE and one INSERT', async () => {
    await fixture.models.Post.bulkCreate(rows(20, 'Doomed'));
    await fixture.TimelineLog.destroy({ where: {}, truncate: true });
    const { statements } = await recordQueries(fixture.db.sequelize, () =>
      fixture.models.Post.destroy({ where: { title: { [Op.like]: 'Doomed %' } } }),
    );
    // In a transaction of its own: the snapshot SELECT (the labels below, locked), the DELETE of those rows, the logs' INSERT.
    expect(statements.map(verb)).toEqual(['START', 'SELECT', 'DELETE', 'INSERT', 'COMMIT']);
    const logs = await logsOf('Post');
    expect(logs).toHaveLength(20);
    expect(logs.every((log) => log.event === 'deleted' && log.objectRepr?.startsWith('Doomed'))).toBe(true);
  });

  it('writes no duplicate logs with individualHooks: true', async () => {
    const created = await fixture.models.Post.bulkCreate(rows(5, 'Each'), { individualHooks: true });
    await fixture.models.Post.update({ body: 'each' }, { where: { id: created.map((post) => post.id) }, individualHooks: true });
    await fixture.models.Post.destroy({ where: { id: created.map((post) => post.id) }, individualHooks: true });
    const logs = await logsOf('Post');
    const count = (event: string) => logs.filter((log) => log.event === event).length;
    expect([count('created'), count('updated'), count('deleted')]).toEqual([5, 5, 5]);
    expect(logs.find((log) => log.event === 'updated')?.extraData).toEqual({ changes: { body: ['', 'each'] } });
  });

  it('logs soft deletes of a paranoid model, and bulk work on its live rows only', async () => {
    const memos = await tracked.Memo.bulkCreate([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    const [first, second, third] = memos.map((memo) => memo.id);
    await memos[0]?.destroy();
    await tracked.Memo.update({ text: 'edited' }, { where: {} });
    await tracked.Memo.destroy({ where: { id: [first, second] as number[] } });
    await tracked.Memo.destroy({ where: { id: [first, second, third] as number[] }, force: true });
    const logs = await logsOf('Memo');
    const events = (id: number | undefined) => logs.filter((log) => log.objectId === String(id)).map((log) => log.event);
    expect(events(first)).toEqual(['created', 'deleted', 'deleted']);
    expect(events(second)).toEqual(['created', 'updated', 'deleted', 'deleted']);
    expect(events(third)).toEqual(['created', 'updated', 'deleted']);
    expect(logs.find((log) => log.event === 'deleted')?.extraData).toEqual({ changes: { text: ['one', null] } });
  });

  it('logs bulk work on UUID keys', async () => {
    const gadgets = await tracked.Gadget.bulkCreate([{ name: 'g1' }, { name: 'g2' }]);
    await tracked.Gadget.update({ name: 'renamed' }, { where: { id: gadgets.map((gadget) => gadget.id) } });
    const logs = await logsOf('Gadget');
    expect(logs.map((log) => log.objectId).sort()).toEqual([...gadgets.map((g) => g.id), ...gadgets.map((g) => g.id)].sort());
  });
});
