import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';

/**
 * The page and its JSON, byte for byte, over a data set that exercises every way an entry is
 * shown: the package's templates (with and without changes), app templates that read the log,
 * format dates, change the user's label, link inside the message or fail, live and snapshot
 * labels, no user, no object, HTML in labels, two languages and a zone with daylight saving.
 * The expected files were written by the page before its speed work (issue 12), so any change
 * to what a page shows fails here.
 */

const APP_VIEWS = fileURLToPath(new URL('../support/views/page-output/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./__golden__/', import.meta.url));
const HOUR = 3_600_000;
/** Late October 2016: clocks in Amsterdam went back on the 30th. */
const BASE = Date.parse('2016-10-29T20:00:00Z');

let fixture: TimelineFixture;
let paths: { object: string; user: string };

beforeAll(async () => {
  fixture = await createTimelineFixture({ templateDirs: [APP_VIEWS], onRenderError: () => undefined });
  const { models, TimelineLog } = fixture;
  const ann = await createUser(models, 'ann');
  const bob = await createUser(models, 'bob <b>');
  const gone = await createUser(models, 'gone');
  const hello = await models.Post.create({ title: 'Hello & welcome', authorId: ann.id });
  const html = await models.Post.create({ title: '<img src=x onerror=alert(1)>', authorId: bob.id });
  const removed = await models.Post.create({ title: 'Soon removed', authorId: null });
  const mug = await models.Item.create({ name: 'Ceramic mug', price: '9.95' });
  const users = [ann, bob, null, gone];
  const objects = [hello, html, removed, mug, null];
  const kinds: { template: string; event: string | null; extraData?: Record<string, unknown> }[] = [
    { template: 'timeline_logger/created.ejs', event: 'created', extraData: { changes: { title: [null, 'Hello'], body: [null, 'x'] } } },
    { template: 'timeline_logger/updated.ejs', event: 'updated', extraData: { changes: { body: ['a', 'b'], title: ['c', 'd'] } } },
    { template: 'timeline_logger/updated.ejs', event: 'updated', extraData: { changes: { unknown: [1, 2], title: ['c', 'd'] } } },
    { template: 'timeline_logger/updated.ejs', event: 'updated' },
    { template: 'timeline_logger/deleted.ejs', event: 'deleted' },
    { template: 'timeline_logger/default.ejs', event: null, extraData: { reason: 'typo' } },
    { template: 'shop/sold.ejs', event: 'purchased', extraData: { total: '19.90' } },
    { template: 'shop/greeting.ejs', event: 'signed_in', extraData: { formal: true } },
    { template: 'shop/greeting.ejs', event: 'signed_in' },
    { template: 'shop/linked.ejs', event: 'shared' },
    { template: 'shop/broken.ejs', event: 'created' },
    { template: 'shop/broken.ejs', event: 'archived' },
  ];
  for (let index = 0; index < 48; index += 1) {
    const kind = kinds[index % kinds.length] as (typeof kinds)[number];
    await TimelineLog.log(objects[index % objects.length] ?? null, {
      user: users[index % users.length] ?? null,
      template: kind.template,
      event: kind.event,
      extraData: kind.extraData ?? null,
      timestamp: new Date(BASE + index * 0.75 * HOUR + (index % 3) * 1000),
    });
  }
  // Rows gone after they were logged: their logs keep the snapshot labels.
  await removed.destroy();
  await gone.destroy();
  paths = { object: `/timeline/Post/${hello.id}`, user: `/timeline/?user=${ann.id}` };
});
afterAll(async () => {
  await fixture.db.drop();
});

/** The pages of one listing: the newest, then each Older link, as HTML and JSON. */
async function walk(url: string, path: string, headers: Record<string, string>): Promise<string[]> {
  const bodies: string[] = [];
  let next: string | null = path;
  while (next !== null) {
    const html = await (await fetch(`${url}${next}`, { headers })).text();
    const json = await (await fetch(`${url}${next}`, { headers: { ...headers, accept: 'application/json' } })).text();
    bodies.push(html, json);
    next = (JSON.parse(json) as { next: string | null }).next;
  }
  return bodies;
}

describe('what the timeline page shows', () => {
  it('is unchanged: every page and its JSON, in English (UTC) and Dutch (Amsterdam)', async () => {
    const pages = await withTimelineServer({ public: true, paginateBy: 10 }, async ({ url }) => [
      ...(await walk(url, '/timeline/', {})),
      ...(await walk(url, paths.object, {})),
      ...(await walk(url, paths.user, {})),
      await (await fetch(`${url}/timeline/?page=2`)).text(),
      await (await fetch(`${url}/timeline/?after=start`)).text(),
    ]);
    await expect(pages.join('\n\n----\n\n')).toMatchFileSnapshot(`${GOLDEN}timeline-page-en.txt`);

    const dutch = await withTimelineServer({ public: true, paginateBy: 10, timeZone: 'Europe/Amsterdam' }, async ({ url }) =>
      walk(url, '/timeline/', { 'accept-language': 'nl' }),
    );
    await expect(dutch.join('\n\n----\n\n')).toMatchFileSnapshot(`${GOLDEN}timeline-page-nl.txt`);
  });
});
