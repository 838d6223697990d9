/**
 * SPEC §10: with Sequelize's `replication`, the page, its JSON, exports and the digest read from
 * the replicas; writes, tracking and reads inside a transaction use the primary. Proved against
 * a real streaming standby: a row the primary has but the paused standby has not replayed yet
 * shows which server a read went to.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTimelineDigest, timelineRouter, TimelineLogResource, withTimeline, type TimelineTracked } from '../../src/index.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { createReplicatedFixture, type ReplicatedFixture } from '../support/replicated-fixture.js';
import { createUser } from '../support/timeline-fixture.js';

let fixture: ReplicatedFixture;
let server: RunningServer;
/** What reached the app's error handler, by request. */
const appErrors: Error[] = [];

beforeAll(async () => {
  fixture = await createReplicatedFixture();
  withTimeline(fixture.models.Post);
  const app = express();
  app.use('/timeline', timelineRouter({ public: true }));
  app.use((error: Error, _req: Request, res: Response, next: NextFunction) => {
    appErrors.push(error);
    if (res.headersSent) next(error);
    else res.status(500).json({ error: error.name });
  });
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await fixture?.close();
});
beforeEach(async () => {
  appErrors.length = 0;
  await fixture.pair.startStandby();
  await fixture.pair.resumeReplay();
  await fixture.primary.query('TRUNCATE timeline_logs, posts, users RESTART IDENTITY CASCADE');
  await fixture.pair.waitForReplay();
});

interface JsonItem {
  event: string | null;
  object: string;
  user: string;
}

async function pageJson(query = ''): Promise<{ status: number; items: JsonItem[] }> {
  const response = await fetch(`${server.url}/timeline/?format=json${query}`);
  const body = (await response.json()) as { items?: JsonItem[] };
  return { status: response.status, items: body.items ?? [] };
}

async function pageHtml(): Promise<{ status: number; html: string }> {
  const response = await fetch(`${server.url}/timeline/`);
  return { status: response.status, html: await response.text() };
}

/** The logs' events as the primary has them, oldest first. */
async function eventsOnPrimary(): Promise<string[]> {
  const rows = await fixture.primary.query<{ event: string }>('SELECT event FROM timeline_logs ORDER BY id', { type: QueryTypes.SELECT });
  return rows.map((row) => row.event);
}

describe('with replication, reads go to the replica', () => {
  it('the page and its JSON show what the replica has replayed: a log written meanwhile appears once replay resumes', async () => {
    const { TimelineLog, pair } = fixture;
    await TimelineLog.log(null, { event: 'replayed_event' });
    await pair.pauseReplay();
    // Written while the standby is paused: log() writes to the primary (the standby refuses writes).
    await TimelineLog.log(null, { event: 'pending_event' });
    expect(await eventsOnPrimary()).toEqual(['replayed_event', 'pending_event']);

    const lagging = await pageJson();
    expect(lagging.status).toBe(200);
    expect(lagging.items.map((item) => item.event)).toEqual(['replayed_event']);
    const numbered = await pageJson('&page=last');
    expect(numbered.status).toBe(200);
    expect(numbered.items.map((item) => item.event)).toEqual(['replayed_event']);
    const html = await pageHtml();
    expect(html.status).toBe(200);
    expect(html.html).toContain('replayed_event');
    expect(html.html).not.toContain('pending_event');

    await pair.resumeReplay();
    expect((await pageJson()).items.map((item) => item.event)).toEqual(['pending_event', 'replayed_event']);
    expect((await pageHtml()).html).toContain('pending_event');
  });

  it('labels entries with the related rows the replica has (the live object and user)', async () => {
    const { TimelineLog, models, pair, primary } = fixture;
    const post = await models.Post.create({ title: 'Old title', authorId: null });
    await TimelineLog.log(post, { event: 'noted', user: await createUser(models, 'ann') });
    await pair.pauseReplay();
    await primary.query("UPDATE posts SET title = 'New title'");
    await primary.query("UPDATE users SET username = 'annie'");

    expect((await pageJson('&event=noted')).items.map((item) => [item.object, item.user])).toEqual([['Old title', 'ann']]);
    const [log] = await TimelineLog.findAll({ where: { event: 'noted' } });
    expect(await TimelineLog.renderMessages([log!])).toEqual([expect.stringContaining('Old title')]);
    expect(await (await TimelineLog.findOne({ where: { event: 'noted' } }))!.getMessage()).toContain('Old title');

    await pair.resumeReplay();
    expect((await pageJson('&event=noted')).items.map((item) => [item.object, item.user])).toEqual([['New title', 'annie']]);
  });

  it("an object's history reads the replica; with useMaster (or a transaction) it reads its own writes", async () => {
    const { models, pair } = fixture;
    const post = await models.Post.create({ title: 'Draft', authorId: null });
    await pair.pauseReplay();
    await post.update({ title: 'Published' });

    const events = (logs: readonly { event: string | null }[]): (string | null)[] => logs.map((log) => log.event);
    expect(events(await fixture.TimelineLog.forObject(post))).toEqual(['created']);
    expect(events(await fixture.TimelineLog.forObject(post, { useMaster: true }))).toEqual(['updated', 'created']);
    const inTransaction = await fixture.sequelize.transaction((transaction) => fixture.TimelineLog.forObject(post, { transaction }));
    expect(events(inTransaction)).toEqual(['updated', 'created']);
    expect(events(await (post as typeof post & TimelineTracked).getTimelineLogs({ useMaster: true }))).toEqual(['updated', 'created']);
  });

  it('exports (COPY csv, the row-by-row json) and their count read the replica', async () => {
    const { TimelineLog, pair } = fixture;
    await TimelineLog.log(null, { event: 'replayed_event' });
    await pair.pauseReplay();
    await TimelineLog.log(null, { event: 'pending_event' });
    const resource = new TimelineLogResource();

    const csv = (await exportToBuffer(resource, { format: 'csv' })).toString('utf8');
    expect(csv).toContain('replayed_event');
    expect(csv).not.toContain('pending_event');
    const json = JSON.parse((await exportToBuffer(resource, { format: 'json' })).toString('utf8')) as { event: string }[];
    expect(json.map((row) => row.event)).toEqual(['replayed_event']);
    expect(await resource.count()).toBe(1);

    await pair.resumeReplay();
    expect((await exportToBuffer(resource, { format: 'csv' })).toString('utf8')).toContain('pending_event');
    expect(await resource.count()).toBe(2);
  });

  it('the digest reads the replica', async () => {
    const { TimelineLog, pair } = fixture;
    await TimelineLog.log(null, { event: 'replayed_event' });
    await pair.pauseReplay();
    await TimelineLog.log(null, { event: 'pending_event' });

    const digest = await buildTimelineDigest({ days: 1 });
    expect(digest?.total).toBe(1);
    expect(digest?.entries.map((entry) => entry.log.event)).toEqual(['replayed_event']);

    await pair.resumeReplay();
    expect((await buildTimelineDigest({ days: 1 }))?.total).toBe(2);
  });
});

describe('with replication, writes, tracking and reads inside a transaction use the primary', () => {
  it('a tracked bulk update and upsert read the rows they change on the primary, so the change set holds its old values', async () => {
    const { models, pair, primary, sequelize, TimelineLog } = fixture;
    const post = await models.Post.create({ title: 'A', authorId: null });
    await pair.pauseReplay();
    await primary.query("UPDATE posts SET title = 'B'"); // behind the app's back: the replica still says A

    await models.Post.update({ title: 'C' }, { where: { id: post.id } });
    await models.Post.upsert({ id: post.id, title: 'D', authorId: null });

    const changes = await sequelize.transaction(async (transaction) =>
      (await TimelineLog.findAll({ where: { event: 'updated' }, order: [['id', 'ASC']], transaction })).map(
        (log) => (log.extraData as { changes: Record<string, unknown> }).changes.title,
      ),
    );
    expect(changes).toEqual([
      ['B', 'C'],
      ['C', 'D'],
    ]);
  });

  it('reads inside a transaction see the primary, reads outside it the replica', async () => {
    const { TimelineLog, pair, sequelize } = fixture;
    await pair.pauseReplay();
    await TimelineLog.log(null, { event: 'pending_event' });

    const inside = await sequelize.transaction(async (transaction) => ({
      count: await TimelineLog.count({ transaction }),
      events: (await TimelineLog.findAll({ transaction })).map((log) => log.event),
    }));
    expect(inside).toEqual({ count: 1, events: ['pending_event'] });
    expect(await TimelineLog.count()).toBe(0);
  });
});

describe('while the replica lags', () => {
  it('pages through the older view with cursors and numbers, always 200, while the primary keeps writing and deleting', async () => {
    const { TimelineLog, pair, primary } = fixture;
    for (let index = 0; index < 30; index += 1) await TimelineLog.log(null, { event: `old_${index}` });
    await pair.pauseReplay();
    for (let index = 0; index < 5; index += 1) await TimelineLog.log(null, { event: 'pending_event' });
    await primary.query("DELETE FROM timeline_logs WHERE event IN ('old_0', 'old_29')");

    const first = await fetch(`${server.url}/timeline/?format=json`);
    const body = (await first.json()) as { items: JsonItem[]; next: string | null };
    expect(first.status).toBe(200);
    expect(body.items.map((item) => item.event)).toEqual(Array.from({ length: 25 }, (_, index) => `old_${29 - index}`));
    const older = await fetch(new URL(body.next!, server.url));
    expect(older.status).toBe(200);
    expect(((await older.json()) as { items: JsonItem[] }).items.map((item) => item.event)).toEqual([
      'old_4',
      'old_3',
      'old_2',
      'old_1',
      'old_0',
    ]);
    expect((await pageJson('&page=2')).items).toHaveLength(5);
    expect(appErrors).toEqual([]);
  });
});

describe('when the replica is down', () => {
  it("page reads fail with Sequelize's connection error (to the app's error handler), writes keep working, and reads recover once it is back", async () => {
    const { TimelineLog, pair } = fixture;
    await TimelineLog.log(null, { event: 'before_outage' });
    await pair.waitForReplay();
    await pair.stopStandby();
    try {
      const down = await pageJson();
      expect(down.status).toBe(500);
      expect(appErrors.map((error) => error.name)).toEqual(['SequelizeConnectionError']);
      await TimelineLog.log(null, { event: 'during_outage' });
      expect(await eventsOnPrimary()).toEqual(['before_outage', 'during_outage']);
    } finally {
      await pair.startStandby();
    }
    await pair.waitForReplay();
    const back = await pageJson();
    expect(back.status).toBe(200);
    expect(back.items.map((item) => item.event)).toEqual(['during_outage', 'before_outage']);
  });
});
