/**
 * The demo shows correlation ids the way an app gets them: a purchase is one request writing two
 * entries (the tracked invoice and the item's `purchased`), which share the request's id and
 * link to each other on the timeline.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, DEMO_VIEWS_DIR } from '../../examples/app.js';
import { hashPassword } from '../../examples/auth.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { trackDemoModels } from '../../examples/tracking.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

const DEMO_SCHEMA = { defineModels: defineDemoModels, migrations: fileURLToPath(new URL('../../examples/migrations/', import.meta.url)) };

let fixture: TimelineFixture<DemoModels>;
let server: RunningServer;
let cookie: string;

beforeAll(async () => {
  fixture = await createTimelineFixture({ templateDirs: [DEMO_VIEWS_DIR] }, DEMO_SCHEMA);
  trackDemoModels(fixture.models);
  await fixture.models.User.create({ username: 'alice', email: 'alice@example.com', passwordHash: hashPassword('demo') });
  server = await listen(createDemoApp(fixture.models, { sessionSecret: 'correlation spec secret' }));
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ username: 'alice', password: 'demo', next: '/' }),
    redirect: 'manual',
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
});
afterAll(async () => {
  await server?.close();
  await fixture?.db.drop();
});

describe('the demo app with correlation ids', () => {
  it('groups the invoice and the purchase of one request, and links them on the timeline', async () => {
    const item = await fixture.models.Item.create({ name: 'Ceramic mug', price: '9.95', stock: 5 });
    await fixture.TimelineLog.destroy({ where: {} });
    const response = await fetch(`${server.url}/items/${item.id}/buy`, {
      method: 'POST',
      headers: { cookie, 'x-request-id': 'demo-purchase-1' },
      body: new URLSearchParams({ paymentMethod: 'PayPal', quantity: '2' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('x-request-id')).toBe('demo-purchase-1');
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
    expect(logs.map((log) => [log.contentType, log.event, log.userRepr, log.correlationId])).toEqual([
      ['Invoice', 'created', 'alice', 'demo-purchase-1'],
      ['Item', 'purchased', 'alice', 'demo-purchase-1'],
    ]);
    const page = await (await fetch(`${server.url}/timeline/Item/${item.id}`, { headers: { cookie } })).text();
    expect(page).toContain('<a class="entry-request" href="/timeline/?correlationId=demo-purchase-1"');
    const request = (await (
      await fetch(`${server.url}/timeline/?correlationId=demo-purchase-1&format=json`, { headers: { cookie } })
    ).json()) as {
      items: { event: string }[];
    };
    expect(request.items.map((entry) => entry.event)).toEqual(['purchased', 'created']);
  });
});
