import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineRouter, type TimelineRouterOptions } from '../../src/index.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';

const BASE = Date.parse('2016-07-01T09:00:00Z');
let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  const post = await fixture.models.Post.create({ title: 'Entry <b>bold</b>', authorId: null });
  for (let minute = 0; minute < 26; minute += 1) {
    await fixture.TimelineLog.log(post, { timestamp: new Date(BASE + minute * 60_000), extraData: { n: minute } });
  }
});
afterAll(async () => {
  await fixture.db.drop();
});

/** The minutes (from extraData.n) of the entries on a page, via their rendered times. */
function entryTimes(html: string): string[] {
  return [...html.matchAll(/<time datetime="([^"]+)"/g)].map((match) => match[1] as string);
}

const minuteIso = (minute: number): string => new Date(BASE + minute * 60_000).toISOString();

describe('timelineRouter', () => {
  it('refuses to be built without an explicit authorization decision', () => {
    expect(() => timelineRouter({})).toThrow(TypeError);
    expect(() => timelineRouter({})).toThrow(/argument authorize must be a function/);
    expect(() => timelineRouter({ public: true })).not.toThrow();
  });

  it('answers 403 when authorize says no, also asynchronously', async () => {
    await withTimelineServer({ authorize: async () => false }, async ({ url }) => {
      const response = await fetch(`${url}/timeline/`);
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('Entry');
    });
  });

  it('hands refused requests to onForbidden', async () => {
    const options: TimelineRouterOptions = {
      authorize: () => false,
      onForbidden: (_req, res) => res.redirect(303, '/login'),
    };
    await withTimelineServer(options, async ({ url }) => {
      const response = await fetch(`${url}/timeline/`, { redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
    });
  });

  it('shows the 25 newest of 26 logs on page 1, newest first, and the oldest on page 2', async () => {
    await withTimelineServer({ authorize: () => true }, async ({ url }) => {
      const first = await fetch(`${url}/timeline/`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await first.text();
      expect(entryTimes(html)).toEqual(Array.from({ length: 25 }, (_, index) => minuteIso(25 - index)));
      expect(html).toContain('href="?page=2"');

      const second = await (await fetch(`${url}/timeline/?page=2`)).text();
      expect(entryTimes(second)).toEqual([minuteIso(0)]);
      const last = await (await fetch(`${url}/timeline/?page=last`)).text();
      expect(entryTimes(last)).toEqual([minuteIso(0)]);
    });
  });

  it.each(['3', '0', 'abc', '-1', '1.5', ''])('answers 404 for page=%s', async (page) => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const response = await fetch(`${url}/timeline/?page=${page}`);
      expect(response.status).toBe(404);
    });
  });

  it('escapes the messages it renders', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const html = await (await fetch(`${url}/timeline/`)).text();
      expect(html).toContain('Entry &lt;b&gt;bold&lt;/b&gt;');
      expect(html).not.toContain('<b>bold</b>');
    });
  });

  it('uses the paginateBy option and the Accept-Language header', async () => {
    await withTimelineServer({ public: true, paginateBy: 10 }, async ({ url }) => {
      const response = await fetch(`${url}/timeline/?page=3`, { headers: { 'accept-language': 'nl-NL,nl;q=0.9' } });
      const html = await response.text();
      expect(entryTimes(html)).toHaveLength(6);
      expect(html).toContain('Tijdlijn');
      expect(html).toContain('1 juli 2016');
    });
  });
});
