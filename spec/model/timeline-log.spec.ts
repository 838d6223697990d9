import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ForeignKeyConstraintError, QueryTypes } from 'sequelize';
import { ConfigurationError, TemplateNotFoundError } from '../../src/index.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { recordQueries } from '../support/query-recorder.js';
import { extraObject } from '../support/extra-data.js';

const FROZEN = new Date('2016-07-01T09:08:00Z');
const JSON_TEMPLATES = fileURLToPath(new URL('../support/views/json-templates', import.meta.url));
let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture({ now: () => FROZEN, templateDirs: [JSON_TEMPLATES] });
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  await fixture.TimelineLog.destroy({ where: {}, truncate: true });
});

async function newPost(title = 'New blog entry') {
  return fixture.models.Post.create({ title, authorId: null });
}

async function rowCount(): Promise<number> {
  return fixture.TimelineLog.count();
}

describe('TimelineLog.logFromRequest', () => {
  it('logs no user for a request without one', async () => {
    const post = await newPost();
    const log = await fixture.TimelineLog.logFromRequest({}, post);
    expect(log.userId).toBeNull();
    expect(log.userRepr).toBeNull();
  });

  it('logs no user for an anonymous user without an id, and never throws for it', async () => {
    const post = await newPost();
    const log = await fixture.TimelineLog.logFromRequest({ user: { isAnonymous: true } }, post);
    expect(log.userId).toBeNull();
  });

  it('logs the request user with a label snapshot', async () => {
    const user = await createUser(fixture.models, 'ann');
    const post = await newPost();
    const log = await fixture.TimelineLog.logFromRequest({ user }, post);
    const stored = await fixture.TimelineLog.findByPk(log.id);
    expect(stored?.userId).toBe(user.id);
    expect(stored?.userRepr).toBe('ann');
    expect((await stored?.getUser())?.get('id')).toBe(user.id);
  });
});

describe('TimelineLog.log', () => {
  it('stores null when there is no extra data, or when it is empty', async () => {
    const post = await newPost();
    const none = await fixture.TimelineLog.log(post);
    const empty = await fixture.TimelineLog.log(post, { extraData: {} });
    const rows = await fixture.db.sequelize.query<{ extra_data: unknown }>('SELECT extra_data FROM timeline_logs WHERE id IN (:ids)', {
      replacements: { ids: [none.id, empty.id] },
      type: QueryTypes.SELECT,
    });
    expect(rows.map((row) => row.extra_data)).toEqual([null, null]);
  });

  it('stores the extra data as given, as JSONB', async () => {
    const post = await newPost();
    const extraData = { reason: 'typo', nested: { list: [1, 'two', null, true], ünïcode: '✓' } };
    const log = await fixture.TimelineLog.log(post, { extraData });
    const [row] = await fixture.db.sequelize.query<{ extra_data: unknown; kind: string }>(
      'SELECT extra_data, jsonb_typeof(extra_data) AS kind FROM timeline_logs WHERE id = :id',
      { replacements: { id: log.id }, type: QueryTypes.SELECT },
    );
    expect(row?.extra_data).toEqual(extraData);
    expect(row?.kind).toBe('object');
  });

  it('converts dates, BigInts and model instances in the extra data', async () => {
    const post = await newPost('Converted');
    const log = await fixture.TimelineLog.log(post, { extraData: { at: FROZEN, big: 2n ** 70n, post } });
    const stored = await fixture.TimelineLog.findByPk(log.id);
    expect(extraObject(stored).at).toBe('2016-07-01T09:08:00.000Z');
    expect(extraObject(stored).big).toBe('1180591620717411303424');
    expect(extraObject(stored).post).toMatchObject({ id: post.id, title: 'Converted' });
  });

  it.each([
    ['a list', ['a', 1, null, { b: [true] }]],
    ['a string', 'hello'],
    ['an empty string', ''],
    ['a number', -3.5],
    ['zero', 0],
    ['false', false],
    ['an empty list', []],
  ])("stores %s as the extra data, as Django's JSONField does", async (_what, extraData) => {
    const log = await fixture.TimelineLog.log(await newPost(), { extraData });
    expect(log.extraData).toEqual(extraData);
    expect((await fixture.TimelineLog.findByPk(log.id))?.extraData).toEqual(extraData);
    const [stored] = await fixture.db.sequelize.query<{ text: string }>('SELECT extra_data::text AS text FROM timeline_logs', {
      type: QueryTypes.SELECT,
    });
    expect(stored?.text).toBe(JSON.stringify(extraData).replaceAll(',', ', ').replaceAll('":', '": '));
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
  ])('stores %s as no extra data (SQL NULL)', async (_what, extraData) => {
    const log = await fixture.TimelineLog.log(await newPost(), { extraData });
    expect((await fixture.TimelineLog.findByPk(log.id))?.extraData).toBeNull();
  });

  it('gives templates a list as it was stored', async () => {
    const log = await fixture.TimelineLog.log(await newPost('Mug'), { template: 'shop/tagged.ejs', extraData: ['blue', 'tea'] });
    expect(await log.getMessage()).toBe('Anonymous user tagged Mug: blue, tea\n');
  });

  it.each([
    ['a function', { callback: () => 1 }, 'extraData.callback is a function'],
    ['a symbol', { deep: { list: [Symbol('x')] } }, 'extraData.deep.list[0] is a symbol'],
    [
      'a cycle',
      (() => {
        const a: Record<string, unknown> = {};
        a.self = a;
        return { a };
      })(),
      'extraData.a.self is a circular reference',
    ],
  ])('refuses %s in the extra data with a TypeError naming the path, writing nothing', async (_what, extraData, message) => {
    const post = await newPost();
    await expect(fixture.TimelineLog.log(post, { extraData })).rejects.toThrow(new RegExp(`^${message.replace(/[.[\]]/g, '\\$&')}`));
    await expect(fixture.TimelineLog.log(post, { extraData })).rejects.toBeInstanceOf(TypeError);
    expect(await rowCount()).toBe(0);
  });

  it('uses the default template when none is given', async () => {
    const log = await fixture.TimelineLog.log(await newPost());
    expect(log.template).toBe('timeline_logger/default.ejs');
  });

  it('fails before writing when the template does not exist', async () => {
    const post = await newPost();
    const attempt = fixture.TimelineLog.log(post, { template: 'timeline_logger/missing.ejs' });
    await expect(attempt).rejects.toBeInstanceOf(TemplateNotFoundError);
    await expect(fixture.TimelineLog.log(post, { template: 'timeline_logger/missing.ejs' })).rejects.toThrow(/searched: .*views/);
    expect(await rowCount()).toBe(0);
  });

  it('refuses a template path that escapes the template folders', async () => {
    await expect(fixture.TimelineLog.log(null, { template: '../package.json' })).rejects.toBeInstanceOf(TemplateNotFoundError);
  });

  it('records the content type, the object id as text and an object label snapshot', async () => {
    const post = await newPost('Snapshot');
    const log = await fixture.TimelineLog.log(post, { event: 'published' });
    expect(log).toMatchObject({ contentType: 'Post', objectId: String(post.id), objectRepr: 'Snapshot', event: 'published' });
    expect(log.timestamp.toISOString()).toBe(FROZEN.toISOString());
  });

  it('logs about rows with a UUID primary key', async () => {
    const { Item, Invoice } = fixture.models;
    const item = await Item.create({ name: 'Mug', price: '9.95' });
    const invoice = await Invoice.create({ itemId: item.id, userId: null, paymentMethod: 'iDEAL', total: '9.95' });
    const log = await fixture.TimelineLog.log(invoice);
    expect(log.objectId).toBe(invoice.id);
    expect((await log.getContentObject())?.get('id')).toBe(invoice.id);
  });

  it("fails with Sequelize's error class for a database error (a user id the user table lacks), writing nothing", async () => {
    const error: unknown = await fixture.TimelineLog.log(null, { user: { id: 987654 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForeignKeyConstraintError);
    expect((error as ForeignKeyConstraintError).message).toMatch(/timeline_logs/);
    expect(await rowCount()).toBe(0);
  });

  it("logs its statement through Sequelize's logging, and returns a saved instance equal to the stored row", async () => {
    const post = await newPost('Logged');
    const { result: log, statements } = await recordQueries(fixture.db.sequelize, () =>
      fixture.TimelineLog.log(post, { event: 'shown', extraData: { n: 1 } }),
    );
    expect(statements).toEqual([expect.stringMatching(/^INSERT INTO "timeline_logs" .* RETURNING "id"$/)]);
    expect(log.isNewRecord).toBe(false);
    expect(log.changed()).toBe(false);
    const stored = await fixture.TimelineLog.findByPk(log.id);
    expect(log.get({ plain: true })).toEqual(stored?.get({ plain: true }));
  });

  it('logs without an object', async () => {
    const log = await fixture.TimelineLog.log(null, { event: 'maintenance' });
    expect(log.contentType).toBeNull();
    expect(await log.getContentObject()).toBeNull();
    expect(await log.getMessage()).toBe('July 1, 2016, 9:08 a.m. - Anonymous user event on None\n');
  });

  it('rejects an unsaved object and a user without an id', async () => {
    const unsaved = fixture.models.Post.build({ title: 'Draft', authorId: null });
    await expect(fixture.TimelineLog.log(unsaved)).rejects.toThrow(/save it before logging/);
    await expect(fixture.TimelineLog.log(null, { user: { name: 'ghost' } })).rejects.toThrow(/user must be/);
    expect(await rowCount()).toBe(0);
  });

  it('writes inside the given transaction, so a rollback leaves nothing', async () => {
    const post = await newPost();
    await expect(
      fixture.db.sequelize.transaction(async (transaction) => {
        await fixture.TimelineLog.log(post, { transaction });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await rowCount()).toBe(0);
  });
});

describe('TimelineLog.forObject', () => {
  it("returns only that object's logs, newest first", async () => {
    const [first, second] = [await newPost('First'), await newPost('Second')];
    const older = await fixture.TimelineLog.log(first, { timestamp: new Date('2020-01-01T00:00:00Z') });
    const newer = await fixture.TimelineLog.log(first, { timestamp: new Date('2021-01-01T00:00:00Z') });
    await fixture.TimelineLog.log(second);
    const { Item } = fixture.models;
    const sameIdOtherModel = await Item.create({ id: first.id, name: 'Same id', price: '1.00' });
    await fixture.TimelineLog.log(sameIdOtherModel);

    const logs = await fixture.TimelineLog.forObject(first);
    expect(logs.map((log) => log.id)).toEqual([newer.id, older.id]);
    expect(await fixture.TimelineLog.forObject(first, { limit: 1 })).toHaveLength(1);
  });
});

describe('messages', () => {
  it('renders the default message exactly as django-timeline-logger does', async () => {
    const log = await fixture.TimelineLog.log(await newPost('New blog entry'));
    expect(await log.getMessage()).toBe('July 1, 2016, 9:08 a.m. - Anonymous user event on New blog entry\n');
  });

  it('names the user by their label', async () => {
    const user = await createUser(fixture.models, 'bob');
    const log = await fixture.TimelineLog.log(await newPost(), { user });
    expect(await log.getMessage()).toBe('July 1, 2016, 9:08 a.m. - bob event on New blog entry\n');
  });

  it('renders a deleted object with its stored label', async () => {
    const post = await newPost('Soon gone');
    const log = await fixture.TimelineLog.log(post);
    await post.destroy();
    const reloaded = await fixture.TimelineLog.findByPk(log.id);
    expect(await reloaded?.getContentObject()).toBeNull();
    expect(await reloaded?.getMessage()).toBe('July 1, 2016, 9:08 a.m. - Anonymous user event on Soon gone\n');
  });

  it('renders a deleted user with their stored label (the foreign key is set to null)', async () => {
    const user = await createUser(fixture.models, 'leaver');
    const log = await fixture.TimelineLog.log(await newPost(), { user });
    await user.destroy();
    const reloaded = await fixture.TimelineLog.findByPk(log.id);
    expect(reloaded?.userId).toBeNull();
    expect(await reloaded?.getUser()).toBeNull();
    expect(await reloaded?.getMessage()).toBe('July 1, 2016, 9:08 a.m. - leaver event on New blog entry\n');
  });

  it('shows the live label when the object was renamed after logging', async () => {
    const post = await newPost('Old title');
    const log = await fixture.TimelineLog.log(post);
    await post.update({ title: 'New title' });
    const reloaded = await fixture.TimelineLog.findByPk(log.id);
    expect(await reloaded?.getMessage()).toContain('event on New title');
  });

  it('escapes interpolated values in html mode and leaves them in text mode', async () => {
    const post = await newPost('<img src=x onerror=alert(1)> & "quotes"');
    const log = await fixture.TimelineLog.log(post);
    expect(await log.getMessage({ escape: 'html' })).toBe(
      'July 1, 2016, 9:08 a.m. - Anonymous user event on &lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;\n',
    );
    expect(await log.getMessage()).toContain('event on <img src=x onerror=alert(1)> & "quotes"');
  });

  it('renders in Dutch', async () => {
    const log = await fixture.TimelineLog.log(await newPost());
    expect(await log.getMessage({ locale: 'nl' })).toBe('1 juli 2016 09:08 - Anonieme gebruiker gebeurtenis op New blog entry\n');
  });

  it('converts the timestamp to the requested time zone', async () => {
    const log = await fixture.TimelineLog.log(await newPost());
    expect(await log.getMessage({ timeZone: 'Europe/Amsterdam' })).toMatch(/^July 1, 2016, 11:08 a\.m\. - /);
    expect(await log.getMessage({ timeZone: 'America/Los_Angeles' })).toMatch(/^July 1, 2016, 2:08 a\.m\. - /);
    await expect(log.getMessage({ timeZone: 'Mars/Olympus' })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('renders the created, updated and deleted templates', async () => {
    const post = await newPost('Hello');
    const ann = await createUser(fixture.models, 'ann2');
    const created = await fixture.TimelineLog.log(post, { user: ann, template: 'timeline_logger/created.ejs' });
    const updated = await fixture.TimelineLog.log(post, {
      user: ann,
      template: 'timeline_logger/updated.ejs',
      extraData: { changes: { body: ['a', 'b'], title: ['Hi', 'Hello'] } },
    });
    const untouched = await fixture.TimelineLog.log(post, { user: ann, template: 'timeline_logger/updated.ejs' });
    const deleted = await fixture.TimelineLog.log(post, { user: ann, template: 'timeline_logger/deleted.ejs' });
    expect(await fixture.TimelineLog.renderMessages([created, updated, untouched, deleted])).toEqual([
      'July 1, 2016, 9:08 a.m. - ann2 created Hello\n',
      'July 1, 2016, 9:08 a.m. - ann2 updated Hello (title, body)\n',
      'July 1, 2016, 9:08 a.m. - ann2 updated Hello\n',
      'July 1, 2016, 9:08 a.m. - ann2 deleted Hello\n',
    ]);
  });

  it('renders with another template and extra context on request', async () => {
    const log = await fixture.TimelineLog.log(await newPost());
    expect(await log.getMessage({ template: 'timeline_logger/created.ejs' })).toBe(
      'July 1, 2016, 9:08 a.m. - Anonymous user created New blog entry\n',
    );
    await expect(log.getMessage({ template: 'nope.ejs' })).rejects.toBeInstanceOf(TemplateNotFoundError);
  });
});

describe('TimelineLog.renderMessages', () => {
  it('renders many logs in input order with one query per model type and one for users', async () => {
    const users = await Promise.all(['u1', 'u2', 'u3'].map((name) => createUser(fixture.models, name)));
    const posts = await Promise.all(['P1', 'P2', 'P3', 'P4'].map((title) => newPost(title)));
    const item = await fixture.models.Item.create({ name: 'Grinder', price: '80.00' });
    for (let index = 0; index < 40; index += 1) {
      await fixture.TimelineLog.log(index % 5 === 0 ? item : posts[index % posts.length]!, { user: users[index % users.length] });
    }
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
    const { result: messages, statements } = await recordQueries(fixture.db.sequelize, () => fixture.TimelineLog.renderMessages(logs));
    expect(messages).toHaveLength(40);
    expect(messages[0]).toBe('July 1, 2016, 9:08 a.m. - u1 event on Grinder\n');
    expect(messages[1]).toBe('July 1, 2016, 9:08 a.m. - u2 event on P2\n');
    expect(statements).toHaveLength(3); // posts, items, users
  });
});

describe('TimelineLog.prune', () => {
  it('deletes logs at or older than the cut-off and returns how many', async () => {
    const day = 86_400_000;
    for (const daysAgo of [0, 1, 2, 3, 10]) {
      await fixture.TimelineLog.log(null, { timestamp: new Date(FROZEN.getTime() - daysAgo * day) });
    }
    expect(await fixture.TimelineLog.prune({ keepDays: 2 })).toBe(3);
    expect(await rowCount()).toBe(2);
    expect(await fixture.TimelineLog.prune({ all: true })).toBe(2);
    expect(await rowCount()).toBe(0);
  });

  it('refuses ambiguous or invalid options', async () => {
    await expect(fixture.TimelineLog.prune({} as never)).rejects.toThrow(/exactly one/);
    await expect(fixture.TimelineLog.prune({ keepDays: -1 })).rejects.toThrow(/non-negative integer/);
  });
});
