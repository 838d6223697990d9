/**
 * Correlation ids over real HTTP (SPEC §12): a real Express app with `timelineContext()` whose
 * requests write logs every way the library writes them (tracked single, bulk and
 * commit-buffered changes, `log`, `logFromRequest`), and the timeline router reading them back.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCorrelationId, timelineContext, timelineRouter, withTimeline, type TimelineLog } from '../../src/index.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let fixture: TimelineFixture;
let server: RunningServer;

/** What a request reports about itself: its id as the context saw it, and the rows it wrote. */
interface Written {
  readonly correlationId: string | null;
  readonly title: string;
}

function createApp(): express.Express {
  const { User, Post } = fixture.models;
  const { TimelineLog } = fixture;
  const app = express();
  app.use(async (req: Request, _res: Response, next: NextFunction) => {
    const username = req.get('x-user');
    (req as unknown as { user?: unknown }).user = username ? await User.findOne({ where: { username } }) : undefined;
    next();
  });
  app.use(timelineContext());
  app.post('/posts/:title', async (req, res, next) => {
    try {
      const title = String(req.params.title);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5)); // concurrent requests interleave
      const post = await Post.create({ title, body: '', authorId: null });
      await new Promise((resolve) => setImmediate(resolve));
      await post.update({ body: 'edited' });
      await TimelineLog.logFromRequest(req, post, { event: 'shared' });
      await TimelineLog.log(post, { event: 'noted' });
      res.status(201).json({ correlationId: currentCorrelationId(), title } satisfies Written);
    } catch (error) {
      next(error);
    }
  });
  app.post('/batch/:title', async (req, res, next) => {
    try {
      const title = String(req.params.title);
      const sequelize = fixture.db.sequelize;
      await sequelize.transaction(async (transaction) => {
        // Logs of a transaction are written together at its commit, after these awaits.
        await Post.create({ title, body: 'single', authorId: null }, { transaction });
        await Post.bulkCreate(
          Array.from({ length: 40 }, (_, index) => ({ title: `${title}-${index}`, body: 'bulk', authorId: null })),
          { transaction },
        );
        await Post.update({ body: 'bulk-updated' }, { where: { body: 'bulk' }, transaction });
      });
      await Post.bulkCreate(Array.from({ length: 3 }, (_, index) => ({ title: `${title}-plain-${index}`, body: 'plain', authorId: null })));
      res.status(201).json({ correlationId: currentCorrelationId(), title } satisfies Written);
    } catch (error) {
      next(error);
    }
  });
  app.use('/timeline', timelineRouter({ public: true }));
  return app;
}

beforeAll(async () => {
  fixture = await createTimelineFixture();
  withTimeline(fixture.models.Post);
  await createUser(fixture.models, 'ann');
  server = await listen(createApp());
});
afterAll(async () => {
  await server?.close();
  await fixture.db.drop();
});

async function post(path: string, headers: Record<string, string> = {}): Promise<{ body: Written; echoed: string | null }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers });
  expect(response.status).toBe(201);
  return { body: (await response.json()) as Written, echoed: response.headers.get('x-request-id') };
}

async function logsAbout(title: string): Promise<TimelineLog[]> {
  return fixture.TimelineLog.findAll({ where: { objectRepr: title }, order: [['id', 'ASC']] });
}

describe('timelineContext() gives each request a correlation id', () => {
  it('takes a well-formed X-Request-Id: every log of the request stores it, and the response echoes it', async () => {
    const { body, echoed } = await post('/posts/with-header', { 'x-request-id': 'req-42.a_b:C' });
    expect(body.correlationId).toBe('req-42.a_b:C');
    expect(echoed).toBe('req-42.a_b:C');
    const logs = await logsAbout('with-header');
    expect(logs.map((log) => log.event)).toEqual(['created', 'updated', 'shared', 'noted']);
    expect(logs.map((log) => log.correlationId)).toEqual(Array(4).fill('req-42.a_b:C'));
  });

  it('makes a new UUID without the header, shared by all the logs of the request', async () => {
    const { body, echoed } = await post('/posts/without-header', { 'x-user': 'ann' });
    expect(body.correlationId).toMatch(UUID);
    expect(echoed).toBe(body.correlationId);
    const logs = await logsAbout('without-header');
    expect(logs).toHaveLength(4);
    expect(new Set(logs.map((log) => log.correlationId))).toEqual(new Set([body.correlationId]));
    // The tracked changes and logFromRequest name req.user; log() names only the user it is given.
    expect(logs.map((log) => log.userRepr)).toEqual(['ann', 'ann', 'ann', null]);
  });

  it.each([
    ['65 characters', 'x'.repeat(65)],
    ['spaces', 'req 42'],
    ['markup', '<script>alert(1)</script>'],
    ['a quote', 'req"42'],
    ['a slash and a query', '../x?y=1'],
    ['non-ASCII letters', 'réq-42'],
  ])('never stores a malformed header (%s): the request gets a fresh UUID instead', async (_name, header) => {
    const title = `hostile-${Math.random().toString(36).slice(2)}`;
    const { body, echoed } = await post(`/posts/${title}`, { 'x-request-id': header });
    expect(body.correlationId).toMatch(UUID);
    expect(echoed).toBe(body.correlationId);
    const logs = await logsAbout(title);
    expect(logs.map((log) => log.correlationId)).toEqual(Array(4).fill(body.correlationId));
    const stored = await fixture.db.sequelize.query('SELECT count(*)::int AS n FROM timeline_logs WHERE correlation_id = $1', {
      bind: [header],
      plain: true,
    });
    expect(stored).toEqual({ n: 0 });
  });

  it('never shares an id between 100 concurrent requests, while each request keeps its own', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, index) => post(`/posts/concurrent-${index}`)));
    const ids = results.map((result) => result.body.correlationId);
    expect(new Set(ids).size).toBe(100);
    const logs = await fixture.TimelineLog.findAll({ where: { objectRepr: results.map((result) => result.body.title) } });
    expect(logs).toHaveLength(400);
    for (const log of logs) {
      const index = Number(/^concurrent-(\d+)$/.exec(log.objectRepr ?? '')?.[1]);
      expect(log.correlationId, `log ${log.event} of ${log.objectRepr}`).toBe(ids[index]);
    }
  });

  it('stores the id on tracked single, bulk and commit-buffered logs', async () => {
    const { body } = await post('/batch/batch', { 'x-request-id': 'batch-request-1' });
    const logs = await fixture.TimelineLog.findAll({ where: { correlationId: 'batch-request-1' } });
    // 1 create + 40 bulk creates + 40 bulk updates (written at commit) + 3 plain bulk creates.
    expect(logs).toHaveLength(84);
    expect(logs.filter((log) => log.event === 'updated')).toHaveLength(40);
    expect(body.correlationId).toBe('batch-request-1');
  });
});

describe('the timeline filters by correlationId', () => {
  let id: string;

  beforeAll(async () => {
    id = (await post('/posts/filtered', { 'x-request-id': 'filter-me-7' })).body.correlationId as string;
    await post('/posts/unrelated', { 'x-request-id': 'filter-me-8' });
  });

  it('answers JSON with the request’s logs only, each carrying its correlationId', async () => {
    const response = await fetch(`${server.url}/timeline/?correlationId=${id}&format=json`);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { items: { event: string; object: string; correlationId: string | null }[] };
    expect(json.items.map((item) => [item.event, item.object, item.correlationId])).toEqual([
      ['noted', 'filtered', id],
      ['shared', 'filtered', id],
      ['updated', 'filtered', id],
      ['created', 'filtered', id],
    ]);
  });

  it('gives correlationId: null to logs written outside any request', async () => {
    const post = await fixture.models.Post.create({ title: 'from a script', body: '', authorId: null });
    const response = await fetch(`${server.url}/timeline/Post/${post.id}?format=json`);
    const json = (await response.json()) as { items: { correlationId: string | null }[] };
    expect(json.items.map((item) => item.correlationId)).toEqual([null]);
  });

  it.each([['x'.repeat(65)], ['a b'], ['<script>'], ['%00']])(
    'refuses a malformed correlationId (%j) with 400 naming it',
    async (value) => {
      const json = await fetch(`${server.url}/timeline/?correlationId=${encodeURIComponent(value)}&format=json`);
      expect(json.status).toBe(400);
      const body = (await json.json()) as { error: { parameter: string; message: string } };
      expect(body.error.parameter).toBe('correlationId');
      expect(body.error.message).toMatch(
        /^The correlationId parameter must be 1 to 64 letters, digits, dots, underscores, colons or hyphens/,
      );
      const html = await fetch(`${server.url}/timeline/?correlationId=${encodeURIComponent(value)}`, {
        headers: { 'accept-language': 'nl' },
      });
      expect(html.status).toBe(400);
      expect(await html.text()).toContain('De parameter correlationId moet 1 tot 64 letters');
    },
  );

  it('links each HTML entry with an id to everything in its request, on the whole timeline and the per-object page', async () => {
    const html = await (await fetch(`${server.url}/timeline/?event=noted`)).text();
    const links = [...html.matchAll(/<a class="entry-request" href="([^"]+)" title="([^"]+)">Everything in this request<\/a>/g)];
    expect(links.length).toBeGreaterThan(1);
    expect(links.map((link) => link[1])).toContain(`/timeline/?correlationId=${id}`);
    for (const link of links) expect(link[1]).toBe(`/timeline/?correlationId=${encodeURIComponent(link[2] as string)}`);

    const [filtered] = await logsAbout('filtered');
    const perObject = await (await fetch(`${server.url}/timeline/Post/${filtered?.objectId}`)).text();
    expect(perObject.match(new RegExp(`href="/timeline/\\?correlationId=${id}"`, 'g'))).toHaveLength(4);

    // The request's own page needs no link to itself; its filter form keeps the id.
    const own = await (await fetch(`${server.url}/timeline/?correlationId=${id}`)).text();
    expect(own).not.toContain('class="entry-request"');
    expect(own).toContain(`<input id="filter-correlationId" name="correlationId" type="text" value="${id}"`);
    expect(own.match(/<li class="entry/g)).toHaveLength(4);
  });

  it('keeps the filter on pagination links', async () => {
    await post('/batch/paged', { 'x-request-id': 'paged-request' });
    const json = (await (await fetch(`${server.url}/timeline/?correlationId=paged-request&format=json`)).json()) as {
      items: unknown[];
      next: string;
    };
    expect(json.items).toHaveLength(25);
    expect(json.next).toMatch(/^\/timeline\/\?correlationId=paged-request&format=json&before=/);
  });
});
