import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimelineRouterOptions } from '../../src/index.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';
import { asOnPlainTable } from '../support/page-statements.js';
import { recordQueries } from '../support/query-recorder.js';

const DAY = 86_400_000;
const BASE = Date.parse('2016-07-01T09:00:00Z');
const XSS = '<img src=x onerror=alert(1)>';

let fixture: TimelineFixture;
let ids: { alice: number; bob: number; hello: number; xss: number; mug: number };
/** All log ids, newest first. */
let allIds: string[];

beforeAll(async () => {
  fixture = await createTimelineFixture();
  const { models, TimelineLog } = fixture;
  const alice = await createUser(models, 'alice');
  const bob = await createUser(models, 'bob');
  const hello = await models.Post.create({ title: 'Hello world', authorId: alice.id });
  const xss = await models.Post.create({ title: XSS, authorId: bob.id });
  const mug = await models.Item.create({ name: 'Ceramic mug', price: '9.95' });
  const events = ['created', 'updated', 'deleted', 'purchased'] as const;
  // 60 logs over three days (20 a day), cycling users, objects and events.
  for (let index = 0; index < 60; index += 1) {
    const object = [hello, xss, mug][index % 3] ?? null;
    await TimelineLog.log(object, {
      user: index % 5 === 4 ? null : index % 2 === 0 ? alice : bob,
      event: events[index % 4],
      template: index % 4 === 0 ? 'timeline_logger/created.ejs' : 'timeline_logger/default.ejs',
      timestamp: new Date(BASE + Math.floor(index / 20) * DAY + (index % 20) * 60_000),
      extraData: { n: index },
    });
  }
  ids = { alice: alice.id, bob: bob.id, hello: hello.id, xss: xss.id, mug: mug.id };
  allIds = (
    await TimelineLog.findAll({
      order: [
        ['timestamp', 'DESC'],
        ['id', 'DESC'],
      ],
      attributes: ['id'],
    })
  ).map((log) => String(log.id));
});
afterAll(async () => {
  await fixture.db.drop();
});

interface JsonPage {
  items: {
    id: string;
    timestamp: string;
    event: string | null;
    user: string;
    object: string;
    message: string;
    extraData: Record<string, unknown> | null;
  }[];
  next: string | null;
  prev: string | null;
}

async function getJson(url: string): Promise<JsonPage> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as JsonPage;
}

function decodeHtml(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The href of the link with `rel`, or null. */
function relHref(html: string, rel: 'prev' | 'next'): string | null {
  const match = new RegExp(`<a [^>]*href="([^"]*)"[^>]*rel="${rel}"`).exec(html);
  return match ? decodeHtml(match[1] as string) : null;
}

function entryIsos(html: string): string[] {
  return [...html.matchAll(/<time datetime="([^"]+)"/g)].map((match) => match[1] as string);
}

describe('the timeline page, keyset pagination', () => {
  it('walks all logs with Older, then back with Newer, without gaps or repeats (JSON)', async () => {
    await withTimelineServer({ public: true, paginateBy: 7 }, async ({ url }) => {
      const seen: string[] = [];
      const pages: string[][] = [];
      let next: string | null = `${url}/timeline/`;
      let last: JsonPage | null = null;
      while (next !== null) {
        last = await getJson(next.startsWith('/') ? url + next : next);
        pages.push(last.items.map((item) => item.id));
        seen.push(...last.items.map((item) => item.id));
        next = last.next;
      }
      expect(seen).toEqual(allIds);
      expect(pages).toHaveLength(Math.ceil(60 / 7));
      const back: string[][] = [];
      let prev: string | null = last?.prev ?? null;
      while (prev !== null) {
        const page = await getJson(url + prev);
        back.unshift(page.items.map((item) => item.id));
        prev = page.prev;
      }
      expect(back).toEqual(pages.slice(0, -1));
    });
  });

  it('follows Older and Newer links on the HTML page, with Newest and Oldest', async () => {
    await withTimelineServer({ public: true, paginateBy: 25 }, async ({ url }) => {
      const first = await (await fetch(`${url}/timeline/`)).text();
      expect(relHref(first, 'prev')).toBeNull();
      const older = relHref(first, 'next');
      expect(older).toMatch(/^\?before=[\w-]+\.[\w-]+$/);
      expect(first).toContain('<a class="pager-link pager-last" href="?after=start">Oldest</a>');
      expect(first).toContain('href="?page=2"');

      const second = await (await fetch(`${url}/timeline/${older}`)).text();
      expect(entryIsos(second)).toHaveLength(25);
      const newer = relHref(second, 'prev');
      expect(newer).toMatch(/^\?after=/);
      expect(second).toMatch(/<a class="pager-link pager-first" href="\/timeline\/">/);
      const back = await (await fetch(`${url}/timeline/${newer}`)).text();
      expect(entryIsos(back)).toEqual(entryIsos(first));

      const third = await (await fetch(`${url}/timeline/${relHref(second, 'next')}`)).text();
      expect(entryIsos(third)).toHaveLength(10);
      expect(relHref(third, 'next')).toBeNull();
    });
  });

  it('shows the oldest entries with ?after=start, by keyset, and pages newer from there', async () => {
    await withTimelineServer({ public: true, paginateBy: 25 }, async ({ url }) => {
      const oldest = await getJson(`${url}/timeline/?after=start`);
      expect(oldest.items.map((item) => item.id)).toEqual(allIds.slice(-25));
      expect(oldest.next).toBeNull();
      const newer = await getJson(url + oldest.prev);
      expect(newer.items.map((item) => item.id)).toEqual(allIds.slice(10, 35));
      const html = await (await fetch(`${url}/timeline/?after=start`)).text();
      expect(html).toContain('<span class="pager-link pager-last" aria-disabled="true">Oldest</span>');
      expect(html).not.toContain('pager-numbers');
      expect((await fetch(`${url}/timeline/?before=start`)).status).toBe(400);
    });
  });

  it('orders logs with the same timestamp by id and keeps microseconds in cursors', async () => {
    const { TimelineLog, db } = fixture;
    const table = TimelineLog.getTableName() as string;
    // Twelve logs at one instant and three a microsecond apart, older than everything else.
    await db.sequelize.query(
      `INSERT INTO "${table}" (timestamp, template, event, extra_data)
       SELECT timestamp '2016-06-01 00:00:00' AT TIME ZONE 'UTC' + (CASE WHEN n > 12 THEN n - 12 ELSE 0 END) * interval '1 microsecond',
              'timeline_logger/default.ejs', 'tie', jsonb_build_object('n', n) FROM generate_series(1, 15) AS n`,
    );
    try {
      await withTimelineServer({ public: true, paginateBy: 4 }, async ({ url }) => {
        const seen: unknown[] = [];
        let next: string | null = `/timeline/?event=tie`;
        while (next !== null) {
          const page = await getJson(url + next);
          seen.push(...page.items.map((item) => item.extraData?.n as number));
          next = page.next;
        }
        expect(seen).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      });
    } finally {
      await TimelineLog.destroy({ where: { event: 'tie' } });
    }
  });
});

describe('the timeline page, filters', () => {
  it("suggests the app's models as content types, not the migration bookkeeping", async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const html = await (await fetch(`${url}/timeline/`)).text();
      const options = /<datalist id="filter-contentType-options">(.*?)<\/datalist>/.exec(html)?.[1] ?? '';
      expect(options).toContain('<option value="Post">');
      expect(options).not.toMatch(/SequelizeMeta|SequelizeData|TimelineLog/);
    });
  });

  it('filters by user and event and keeps the filters on every pagination link', async () => {
    await withTimelineServer({ public: true, paginateBy: 3 }, async ({ url }) => {
      const response = await fetch(`${url}/timeline/?user=${ids.alice}&event=created&since=&until=`);
      const html = await response.text();
      expect(response.status).toBe(200);
      const older = relHref(html, 'next');
      expect(older).toMatch(new RegExp(`^\\?user=${ids.alice}&event=created&before=`));
      expect(html).toContain(`href="?user=${ids.alice}&amp;event=created&amp;after=start"`);
      expect(html).toMatch(new RegExp(`<input id="filter-user" name="user" type="text" value="${ids.alice}"`));

      const json = await getJson(`${url}/timeline/?user=${ids.alice}&event=created&format=json`);
      expect(json.items.length).toBe(3);
      expect(json.items.every((item) => item.user === 'alice' && item.event === 'created')).toBe(true);
      expect(json.next).toMatch(new RegExp(`^/timeline/\\?user=${ids.alice}&event=created&format=json&before=`));
      const rest = await getJson(url + json.next);
      expect(rest.items.every((item) => item.user === 'alice' && item.event === 'created')).toBe(true);
      expect(rest.prev).toMatch(/&format=json&after=/);
    });
  });

  it('treats until as a date as the whole day, and since as from its start', async () => {
    await withTimelineServer({ public: true, paginateBy: 100 }, async ({ url }) => {
      const day = await getJson(`${url}/timeline/?since=2016-07-02&until=2016-07-02`);
      expect(day.items).toHaveLength(20);
      expect(day.items.every((item) => item.timestamp.startsWith('2016-07-02'))).toBe(true);
      const untilNoon = await getJson(`${url}/timeline/?until=2016-07-01T09:04:00Z`);
      expect(untilNoon.items.map((item) => item.timestamp)).toEqual(
        [4, 3, 2, 1, 0].map((minute) => new Date(BASE + minute * 60_000).toISOString()),
      );
    });
  });

  it('answers 400 naming the parameter, in HTML, JSON and Dutch', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const html = await fetch(`${url}/timeline/?since=yesterday`);
      expect(html.status).toBe(400);
      expect(await html.text()).toContain('The since parameter must be an ISO date');
      const json = await fetch(`${url}/timeline/?user=alice&format=json`);
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ error: { status: 400, parameter: 'user' } });
      const dutch = await fetch(`${url}/timeline/?event=a&event=b`, { headers: { 'accept-language': 'nl' } });
      expect(dutch.status).toBe(400);
      expect(await dutch.text()).toBe('De parameter event mag maar één keer voorkomen.');
      expect((await fetch(`${url}/timeline/?format=xml`)).status).toBe(400);
    });
  });

  it('answers 400 for a tampered cursor and 404 for pages as before', async () => {
    await withTimelineServer({ public: true, paginateBy: 10 }, async ({ url }) => {
      const page = await getJson(`${url}/timeline/`);
      const cursor = new URL(page.next ?? '', url).searchParams.get('before') ?? '';
      const tampered = cursor.slice(0, 5) + (cursor[5] === 'A' ? 'B' : 'A') + cursor.slice(6);
      const response = await fetch(`${url}/timeline/?before=${tampered}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/^The before cursor is not valid/);
      expect((await fetch(`${url}/timeline/?after=${cursor}&before=${cursor}`)).status).toBe(400);
      expect((await fetch(`${url}/timeline/?page=7`)).status).toBe(404);
      expect((await fetch(`${url}/timeline/?page=6`)).status).toBe(200);
    });
  });
});

describe('the per-object timeline', () => {
  it('shows only that object, linked from every entry of the main page', async () => {
    await withTimelineServer({ public: true, paginateBy: 100 }, async ({ url }) => {
      const main = await (await fetch(`${url}/timeline/`)).text();
      expect(main).toContain(`<a class="entry-object" href="/timeline/Post/${ids.hello}">Hello world</a>`);
      const response = await fetch(`${url}/timeline/Post/${ids.hello}`);
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(html).toContain('<h1>Timeline of Hello world</h1>');
      expect(entryIsos(html)).toHaveLength(20);
      const json = await getJson(`${url}/timeline/Post/${ids.hello}?event=created`);
      expect(json.items.length).toBeGreaterThan(0);
      expect(json.items.every((item) => item.object === 'Hello world' && item.event === 'created')).toBe(true);
    });
  });

  it('pages with cursors on its own path and 400s for a malformed content type', async () => {
    await withTimelineServer({ public: true, paginateBy: 8 }, async ({ url }) => {
      const first = await getJson(`${url}/timeline/Item/${ids.mug}?format=json`);
      expect(first.next).toMatch(new RegExp(`^/timeline/Item/${ids.mug}\\?format=json&before=`));
      const second = await getJson(url + first.next);
      expect(second.items.every((item) => item.object === 'Ceramic mug')).toBe(true);
      expect((await fetch(`${url}/timeline/${encodeURIComponent('<b>')}/1`)).status).toBe(400);
      const none = await getJson(`${url}/timeline/Post/999999`);
      expect(none).toEqual({ items: [], next: null, prev: null });
    });
  });

  it('takes its object from the path only: contentType and objectId in the query are ignored and not kept on links', async () => {
    await withTimelineServer({ public: true, paginateBy: 8 }, async ({ url }) => {
      const page = await getJson(`${url}/timeline/Item/${ids.mug}?contentType=Post&objectId=${ids.hello}&format=json`);
      expect(page.items).toHaveLength(8);
      expect(page.items.every((item) => item.object === 'Ceramic mug')).toBe(true);
      expect(page.next).toMatch(new RegExp(`^/timeline/Item/${ids.mug}\\?format=json&before=`));
      expect((await fetch(`${url}/timeline/Item/${ids.mug}?contentType=${encodeURIComponent('<b>')}&objectId=a&objectId=b`)).status).toBe(
        200,
      );
    });
  });
});

describe('the timeline JSON', () => {
  it('has exactly the SPEC fields (with correlationId, SPEC §12), ISO UTC timestamps and plain-text messages', async () => {
    await withTimelineServer({ public: true, paginateBy: 5 }, async ({ url }) => {
      const page = await getJson(`${url}/timeline/?format=json`);
      expect(Object.keys(page)).toEqual(['items', 'next', 'prev']);
      expect(page.prev).toBeNull();
      const [item] = page.items;
      expect(Object.keys(item ?? {})).toEqual(['id', 'timestamp', 'event', 'user', 'object', 'message', 'extraData', 'correlationId']);
      expect(item).toMatchObject({ id: allIds[0], timestamp: new Date(BASE + 2 * DAY + 19 * 60_000).toISOString(), extraData: { n: 59 } });
      const xssItem = (await getJson(`${url}/timeline/Post/${ids.xss}`)).items[0];
      expect(xssItem?.object).toBe(XSS);
      expect(xssItem?.message).toContain(XSS);
      const anonymous = (await getJson(`${url}/timeline/?format=json`)).items.find((entry) => entry.user === 'Anonymous user');
      expect(anonymous).toBeDefined();
    });
  });
});

describe('the timeline HTML', () => {
  it('escapes labels and messages and sends a strict Content-Security-Policy', async () => {
    await withTimelineServer({ public: true, paginateBy: 100 }, async ({ url }) => {
      const response = await fetch(`${url}/timeline/`);
      const html = await response.text();
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
      expect(html).not.toContain(XSS);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).not.toMatch(/<script|<[^>]*\s(?:style|on[a-z]+)=/i);
    });
  });

  it('groups entries by day, with landmarks, a labelled nav and a filter form', async () => {
    await withTimelineServer({ public: true, paginateBy: 25 }, async ({ url }) => {
      const html = await (await fetch(`${url}/timeline/`)).text();
      const days = [...html.matchAll(/<h3 class="day-heading" id="day-([\d-]+)">/g)].map((match) => match[1]);
      expect(days).toEqual(['2016-07-03', '2016-07-02']);
      expect(html).toContain('<main id="main"');
      expect(html).toContain('<nav class="pager" aria-label="Pagination">');
      expect(html).toMatch(/<form class="filters" method="get" action="\/timeline\/" role="search"/);
      expect(html).toContain('<a class="skip-link" href="#entries">');
      expect(html).toContain(`<a class="entry-user" href="?user=${ids.alice}">alice</a>`);
      expect(html).toContain('<a class="badge badge-created" href="?event=created">created</a>');
    });
  });

  it('answers in the request locale and time zone', async () => {
    const options: TimelineRouterOptions = { public: true, locale: 'nl', timeZone: (req) => String(req.get('x-zone') ?? 'UTC') };
    await withTimelineServer(options, async ({ url }) => {
      const html = await (await fetch(`${url}/timeline/?since=2016-07-03`, { headers: { 'x-zone': 'Asia/Tokyo' } })).text();
      expect(html).toContain('<h1>Tijdlijn</h1>');
      expect(html).toContain('3 juli 2016');
      expect(html).toContain('<time datetime="2016-07-03T09:19:00.000Z" class="entry-time">18:19</time>');
      expect(html).toContain('aangemaakt');
    });
  });

  it('serves its stylesheet with a versioned URL, long caching and 304s', async () => {
    await withTimelineServer({ authorize: () => false }, async ({ url }) => {
      const response = await fetch(`${url}/timeline/static/timeline.css`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(await response.text()).toContain('prefers-color-scheme: dark');
      const etag = response.headers.get('etag') ?? '';
      const cached = await fetch(`${url}/timeline/static/timeline.css?v=${etag.replaceAll('"', '')}`, {
        headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
      });
      expect(cached.status).toBe(304);
      expect(cached.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });
    await withTimelineServer({ public: true }, async ({ url }) => {
      const html = await (await fetch(`${url}/timeline/`)).text();
      expect(html).toMatch(/<link rel="stylesheet" href="\/timeline\/static\/timeline\.css\?v=[0-9a-f]{12}">/);
    });
  });

  it('lets the app override the page templates and the stylesheet', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-templates-'));
    mkdirSync(path.join(dir, 'timeline_logger'));
    writeFileSync(
      path.join(dir, 'timeline_logger', '_entry.ejs'),
      '<li class="mine"><%= entry.user.label %>: <%- entry.messageHtml %></li>\n',
    );
    writeFileSync(path.join(dir, 'timeline_logger', 'timeline.css'), 'body { color: rebeccapurple; }\n');
    await withTimelineServer({ public: true, templateDirs: [dir], paginateBy: 2 }, async ({ url }) => {
      const html = await (await fetch(`${url}/timeline/`)).text();
      expect(html.match(/<li class="mine">/g)).toHaveLength(2);
      expect(html).toContain('<nav class="pager"');
      expect(await (await fetch(`${url}/timeline/static/timeline.css`)).text()).toContain('rebeccapurple');
    });
  });
});

describe('the timeline queries', () => {
  const statementsDuring = async (run: () => Promise<unknown>): Promise<string[]> =>
    asOnPlainTable((await recordQueries(fixture.db.sequelize, run)).statements);

  it('runs one query for the logs, one per content type and one for the users, and never COUNT in keyset mode', async () => {
    await withTimelineServer({ public: true, paginateBy: 6 }, async ({ url }) => {
      await fetch(`${url}/timeline/`); // warm the pool
      // Every 6 consecutive logs are about 3 objects of 2 content types (2 posts, 1 item), by 2 users.
      const first = await statementsDuring(() => fetch(`${url}/timeline/`).then((response) => response.text()));
      expect(first).toHaveLength(1 + 2 + 1);
      // One content type, one object: one statement less. So one per content type, not per object or user.
      const onePost = await statementsDuring(() => fetch(`${url}/timeline/Post/${ids.hello}`).then((response) => response.text()));
      expect(onePost).toHaveLength(1 + 1 + 1);

      const older = relHref(await (await fetch(`${url}/timeline/`)).text(), 'next');
      // Keyset, not OFFSET: a log added on top meanwhile does not shift the older page.
      const added = await fixture.TimelineLog.log(null, { timestamp: new Date(BASE + 10 * DAY) });
      try {
        const deep = await statementsDuring(() => fetch(`${url}/timeline/${older}`).then((response) => response.text()));
        expect(deep).toHaveLength(4);
        const json = await recordQueries(fixture.db.sequelize, () => getJson(`${url}/timeline/${older}&format=json`));
        expect(asOnPlainTable(json.statements)).toHaveLength(4);
        expect(json.result.items.map((item) => item.id)).toEqual(allIds.slice(6, 12));
      } finally {
        await added.destroy();
      }

      // Numbered pages count the logs: one statement more, for the total behind "Page 3 of 10".
      const numbered = await recordQueries(fixture.db.sequelize, () =>
        fetch(`${url}/timeline/?page=3`).then((response) => response.text()),
      );
      expect(asOnPlainTable(numbered.statements)).toHaveLength(1 + 1 + 2 + 1);
      expect(numbered.result).toContain('Page 3 of 10');
    });
  });
});
