import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineContext, withTimeline } from '../../src/index.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

const REQUESTS = 200;
let fixture: TimelineFixture;
let server: RunningServer;

/** A test app: `x-user` names the signed-in user (looked up asynchronously, like a session store). */
function createApp(): express.Express {
  const { User, Post } = fixture.models;
  const app = express();
  app.use(async (req: Request, _res: Response, next: NextFunction) => {
    const username = req.get('x-user');
    const user = username ? await User.findOne({ where: { username } }) : null;
    (req as unknown as { user?: unknown }).user = user ?? (username === 'anonymous' ? { isAnonymous: true } : undefined);
    next();
  });
  app.use(timelineContext());
  app.post('/posts/:title', async (req, res, next) => {
    try {
      // Yield between steps so that concurrent requests interleave.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      const post = await Post.create({ title: String(req.params.title), body: '', authorId: null });
      await new Promise((resolve) => setImmediate(resolve));
      await post.update({ body: `by ${req.get('x-user') ?? 'nobody'}` });
      res.status(201).json({ id: post.id });
    } catch (error) {
      next(error);
    }
  });
  return app;
}

beforeAll(async () => {
  fixture = await createTimelineFixture();
  withTimeline(fixture.models.Post);
  await fixture.models.User.bulkCreate(
    Array.from({ length: REQUESTS }, (_, index) => ({ username: `user${index}`, email: `user${index}@example.com`, passwordHash: '-' })),
  );
  server = await listen(createApp());
});
afterAll(async () => {
  await server?.close();
  await fixture.db.drop();
});

describe('timelineContext()', () => {
  it(`attributes the changes of ${REQUESTS} concurrent requests, each by another user, to that user`, async () => {
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, index) =>
        fetch(`${server.url}/posts/post-${index}`, { method: 'POST', headers: { 'x-user': `user${index}` } }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(REQUESTS).fill(201));
    const logs = await fixture.TimelineLog.findAll();
    expect(logs).toHaveLength(REQUESTS * 2);
    for (const log of logs) {
      const index = Number(/^post-(\d+)$/.exec(log.objectRepr ?? '')?.[1]);
      expect(log.userRepr, `log of ${log.objectRepr}`).toBe(`user${index}`);
    }
  });

  it('logs no user for an anonymous or missing req.user', async () => {
    await fetch(`${server.url}/posts/anon`, { method: 'POST', headers: { 'x-user': 'anonymous' } });
    await fetch(`${server.url}/posts/nobody`, { method: 'POST' });
    const logs = await fixture.TimelineLog.findAll({ where: { objectRepr: ['anon', 'nobody'] } });
    expect(logs).toHaveLength(4);
    expect(logs.every((log) => log.userId === null && log.userRepr === null)).toBe(true);
  });
});
