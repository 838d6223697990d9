import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';
import { asOnPlainTable } from '../support/page-statements.js';
import { recordQueries } from '../support/query-recorder.js';

const BASE = Date.parse('2016-07-01T09:00:00Z');
let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  const { models, TimelineLog } = fixture;
  const ann = await createUser(models, 'ann');
  const bob = await createUser(models, 'bob');
  const post = await models.Post.create({ title: 'Hello', authorId: ann.id });
  const item = await models.Item.create({ name: 'Mug', price: '9.95' });
  for (let index = 0; index < 6; index += 1) {
    await TimelineLog.log(index % 2 === 0 ? post : item, { user: index < 3 ? ann : bob, timestamp: new Date(BASE + index * 60_000) });
  }
});
afterAll(async () => {
  await fixture.db.drop();
});

const page = (url: string, accept = 'text/html') => fetch(`${url}/timeline/`, { headers: { accept } }).then((response) => response.text());

describe("the page's queries", () => {
  it('are sent without findAll for models that have no default scope, find hooks or paranoid rows', async () => {
    const { models, TimelineLog } = fixture;
    const spies = [TimelineLog, models.User, models.Post, models.Item].map((model) => vi.spyOn(model, 'findAll'));
    try {
      await withTimelineServer({ public: true }, async ({ url }) => {
        const { result: html, statements } = await recordQueries(fixture.db.sequelize, () => page(url));
        expect(asOnPlainTable(statements)).toHaveLength(1 + 2 + 1);
        expect(html).toContain('>Hello</a>');
        expect((JSON.parse(await page(url, 'application/json')) as { items: { user: string }[] }).items[0]?.user).toBe('bob');
      });
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("keep findAll, and so the app's hooks, for a model that has them", async () => {
    const { models } = fixture;
    // An app that hides inactive users from every find: the page shows their snapshot labels.
    models.User.addHook('beforeFind', 'activeOnly', (options: { where?: object }) => {
      options.where = { ...options.where, isActive: true };
    });
    await models.User.update({ isActive: false, username: 'bob (renamed)' }, { where: { username: 'bob' } });
    try {
      await withTimelineServer({ public: true }, async ({ url }) => {
        const json = JSON.parse(await page(url, 'application/json')) as { items: { user: string }[] };
        expect(json.items.map((item) => item.user)).toEqual(['bob', 'bob', 'bob', 'ann', 'ann', 'ann']);
        const renamed = await models.User.update({ isActive: true }, { where: { username: 'bob (renamed)' } });
        expect(renamed[0]).toBe(1);
        const live = JSON.parse(await page(url, 'application/json')) as { items: { user: string }[] };
        expect(live.items[0]?.user).toBe('bob (renamed)');
      });
    } finally {
      models.User.removeHook('beforeFind', 'activeOnly');
    }
  });
});
