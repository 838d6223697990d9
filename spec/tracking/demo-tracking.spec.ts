import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoApp, DEMO_VIEWS_DIR } from '../../examples/app.js';
import { hashPassword } from '../../examples/auth.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { trackDemoModels } from '../../examples/tracking.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

/** This spec is about the demo app, so it runs on the demo's own schema. */
const DEMO_SCHEMA = { defineModels: defineDemoModels, migrations: fileURLToPath(new URL('../../examples/migrations/', import.meta.url)) };

let fixture: TimelineFixture<DemoModels>;
let server: RunningServer;

beforeAll(async () => {
  fixture = await createTimelineFixture({ templateDirs: [DEMO_VIEWS_DIR] }, DEMO_SCHEMA);
  trackDemoModels(fixture.models);
  await fixture.models.User.create({ username: 'alice', email: 'alice@example.com', passwordHash: hashPassword('demo') });
  server = await listen(createDemoApp(fixture.models, { sessionSecret: 'tracking spec secret' }));
});
afterAll(async () => {
  await server?.close();
  await fixture?.db.drop();
});

async function signIn(username: string): Promise<string> {
  const response = await fetch(`${server.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ username, password: 'demo', next: '/' }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

describe('the demo app with withTimeline', () => {
  it('logs a new post as created by the signed-in user, without logging code in the route', async () => {
    const cookie = await signIn('alice');
    const response = await fetch(`${server.url}/posts`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ title: 'Tracked post', body: 'Hello' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const logs = await fixture.TimelineLog.findAll({ where: { contentType: 'Post' } });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      event: 'created',
      objectRepr: 'Tracked post',
      userRepr: 'alice',
      template: 'timeline_logger/created.ejs',
    });
    expect(logs[0]?.extraData).toMatchObject({ changes: { title: [null, 'Tracked post'], body: [null, 'Hello'] } });
  });
});

describe('the demo app when something fails on the server', () => {
  it('answers 500 without a stack trace or the database message, in JSON for JSON requests', async () => {
    const cookie = await signIn('alice');
    const table = fixture.TimelineLog.getTableName() as string;
    await fixture.db.sequelize.query(`ALTER TABLE "${table}" RENAME TO "${table}_away"`);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const html = await fetch(`${server.url}/timeline/`, { headers: { cookie } });
      expect(html.status).toBe(500);
      expect(await html.text()).toBe('Something went wrong on our side.');
      const json = await fetch(`${server.url}/timeline/?format=json`, { headers: { cookie } });
      expect(json.status).toBe(500);
      expect(await json.json()).toEqual({ error: { status: 500, message: 'Something went wrong on our side.' } });
    } finally {
      quiet.mockRestore();
      await fixture.db.sequelize.query(`ALTER TABLE "${table}_away" RENAME TO "${table}"`);
    }
  });
});
