/**
 * What one entry of the timeline page shows: each fact once. The message's sentence names the
 * user and the object as links, the time is only in the time column, the event badge stays
 * (in the page's language, with the app's own labels), and what a template does not name is
 * shown beside its sentence. The messages themselves (JSON, renderMessages) are unchanged.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderErrorContext } from '../../src/index.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';

const AT = new Date('2016-07-01T09:08:00Z');
/** A label made of the characters the page's stand-ins use, with markup after it. */
const FORGED = '\uE000000000000000000000000000u\uE001<script>alert(1)</script>';

let fixture: TimelineFixture;
const renderErrors: RenderErrorContext[] = [];
let ids: Record<'alice' | 'mallory' | 'hello' | 'mug' | 'forged', number>;
let logIds: Record<'created' | 'sold' | 'counted' | 'shouted' | 'renamed' | 'forged' | 'initial', string>;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-entries-'));
  mkdirSync(path.join(dir, 'shop'));
  writeFileSync(
    path.join(dir, 'shop', 'sold.ejs'),
    '<%= timestamp %> - <%= user %> sold <%= object %> for <%= log.extraData.price %> €.\n',
  );
  writeFileSync(path.join(dir, 'shop', 'counted.ejs'), 'Stock counted: <%= log.extraData.count %>\n');
  writeFileSync(path.join(dir, 'shop', 'initial.ejs'), '<%= timestamp %> - <%= user.match(/^[a-z]/)[0] %>. touched <%= object %>\n');
  writeFileSync(path.join(dir, 'shop', 'shouted.ejs'), '<%= timestamp %> - <%= user.toUpperCase() %> shouted at <%= object %>\n');
  fixture = await createTimelineFixture({
    templateDirs: [dir],
    eventLabels: { sold: { en: 'sold', nl: 'verkocht' } },
    onRenderError: (_error, context) => renderErrors.push(context),
  });
  const { models, TimelineLog } = fixture;
  const alice = await createUser(models, 'alice');
  const mallory = await createUser(models, '<script>alert(2)</script>');
  const hello = await models.Post.create({ title: 'Hello world', authorId: alice.id });
  const mug = await models.Item.create({ name: 'Ceramic mug', price: '9.95' });
  const forged = await models.Item.create({ name: FORGED, price: '1.00' });
  const at = (minutes: number): Date => new Date(AT.getTime() + minutes * 60_000);
  const log = async (...args: Parameters<typeof TimelineLog.log>): Promise<string> => String((await TimelineLog.log(...args)).id);
  logIds = {
    created: await log(hello, { user: alice, event: 'created', template: 'timeline_logger/created.ejs', timestamp: at(0) }),
    sold: await log(mug, { user: alice, event: 'sold', template: 'shop/sold.ejs', extraData: { price: '9.95' }, timestamp: at(1) }),
    counted: await log(mug, { user: alice, event: 'counted', template: 'shop/counted.ejs', extraData: { count: 12 }, timestamp: at(2) }),
    shouted: await log(hello, { user: alice, template: 'shop/shouted.ejs', timestamp: at(3) }),
    renamed: await log(hello, { user: alice, event: 'created', timestamp: at(4) }),
    forged: await log(forged, { user: mallory, event: 'created', template: 'timeline_logger/created.ejs', timestamp: at(5) }),
    initial: await log(hello, { user: alice, template: 'shop/initial.ejs', timestamp: at(6) }),
  };
  // A template renamed since: the entry falls back to its event's template (and still reads as one sentence).
  await TimelineLog.update({ template: 'shop/renamed.ejs' }, { where: { id: logIds.renamed } });
  ids = { alice: alice.id, mallory: mallory.id, hello: hello.id, mug: mug.id, forged: forged.id };
});
afterAll(async () => {
  await fixture.db.drop();
});

/** The HTML of the entry whose time column holds `minute` past AT (entries are `<li class="entry ...">`). */
function entryHtml(html: string, minute: number): string {
  const iso = new Date(AT.getTime() + minute * 60_000).toISOString();
  const entries = html.split('<li class="entry').slice(1);
  const entry = entries.find((candidate) => candidate.includes(`datetime="${iso}"`));
  if (entry === undefined) throw new Error(`no entry at ${iso}`);
  return entry.slice(0, entry.indexOf('</li>'));
}

const messageOf = (entry: string): string => /<span class="entry-message">(.*?)<\/span>\n/s.exec(entry)?.[1] ?? '';
const leadOf = (entry: string): string | null => /<span class="entry-lead">(.*?)<\/span>\n/s.exec(entry)?.[1] ?? null;
const count = (text: string, part: string): number => text.split(part).length - 1;

async function page(url: string, language = 'en'): Promise<string> {
  const response = await fetch(url, { headers: { 'accept-language': language } });
  expect(response.status).toBe(200);
  return response.text();
}

describe('an entry of the timeline page', () => {
  it('is one sentence where the user and the object are the links, with the time only in the time column', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const entry = entryHtml(await page(`${url}/timeline/`), 0);
      expect(messageOf(entry)).toBe(
        `<a class="entry-user" href="?user=${ids.alice}">alice</a> created <a class="entry-object" href="/timeline/Post/${ids.hello}">Hello world</a>`,
      );
      expect(leadOf(entry)).toBeNull();
      expect(count(entry, 'class="entry-user"')).toBe(1);
      expect(count(entry, 'class="entry-object"')).toBe(1);
      expect(entry).not.toContain('July 1, 2016');
      expect(entry).toContain('<time datetime="2016-07-01T09:08:00.000Z" class="entry-time">9:08 a.m.</time>');
      expect(entry).toContain('<a class="badge badge-created" href="?event=created">created</a>');
      expect(entry).toContain('<span class="entry-type">Post</span>');
    });
  });

  it("cuts the app's own templates the same way, and entries shown with a fallback template", async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const html = await page(`${url}/timeline/`);
      expect(messageOf(entryHtml(html, 1))).toBe(
        `<a class="entry-user" href="?user=${ids.alice}">alice</a> sold <a class="entry-object" href="/timeline/Item/${ids.mug}">Ceramic mug</a> for 9.95 €.`,
      );
      expect(messageOf(entryHtml(html, 4))).toBe(
        `<a class="entry-user" href="?user=${ids.alice}">alice</a> created <a class="entry-object" href="/timeline/Post/${ids.hello}">Hello world</a>`,
      );
      expect(renderErrors).toContainEqual({ logId: logIds.renamed, template: 'shop/renamed.ejs', fallback: 'timeline_logger/created.ejs' });
    });
  });

  it('shows the user and the object beside a message that does not name them', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const entry = entryHtml(await page(`${url}/timeline/`), 2);
      expect(leadOf(entry)).toBe(
        `<a class="entry-user" href="?user=${ids.alice}">alice</a> <span class="entry-separator" aria-hidden="true">&middot;</span> ` +
          `<a class="entry-object" href="/timeline/Item/${ids.mug}">Ceramic mug</a>`,
      );
      expect(messageOf(entry)).toBe('Stock counted: 12');
    });
  });

  it('shows a message whose template changes a value as it is (without its timestamp), with the user and object beside it', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const entry = entryHtml(await page(`${url}/timeline/`), 3);
      expect(messageOf(entry)).toBe('ALICE shouted at Hello world');
      expect(leadOf(entry)).toContain(`<a class="entry-user" href="?user=${ids.alice}">alice</a>`);
      expect(leadOf(entry)).toContain(`<a class="entry-object" href="/timeline/Post/${ids.hello}">Hello world</a>`);
      // A template that only works on real labels (it throws on the stand-ins): the same.
      const initial = entryHtml(await page(`${url}/timeline/`), 6);
      expect(messageOf(initial)).toBe('a. touched Hello world');
      expect(leadOf(initial)).toContain(`<a class="entry-user" href="?user=${ids.alice}">alice</a>`);
    });
  });

  it('escapes labels made of the stand-in characters and markup, and links each once', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const html = await page(`${url}/timeline/`);
      expect(html).not.toMatch(/<script/i);
      const entry = entryHtml(html, 5);
      expect(messageOf(entry)).toBe(
        `<a class="entry-user" href="?user=${ids.mallory}">&lt;script&gt;alert(2)&lt;/script&gt;</a> created ` +
          `<a class="entry-object" href="/timeline/Item/${ids.forged}">\uE000000000000000000000000000u\uE001&lt;script&gt;alert(1)&lt;/script&gt;</a>`,
      );
      expect(count(entry, 'class="entry-user"')).toBe(1);
    });
  });

  it('is the same on the per-object page', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const entry = entryHtml(await page(`${url}/timeline/Post/${ids.hello}`), 0);
      expect(messageOf(entry)).toBe(
        `<a class="entry-user" href="?user=${ids.alice}">alice</a> created <a class="entry-object" href="/timeline/Post/${ids.hello}">Hello world</a>`,
      );
    });
  });

  it("shows the app's events in the page's language, in the badges and in the filter form's suggestions", async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const dutch = await page(`${url}/timeline/`, 'nl');
      const sold = entryHtml(dutch, 1);
      expect(sold).toContain('<a class="badge badge-other" href="?event=sold">verkocht</a>');
      expect(entryHtml(dutch, 0)).toContain('<a class="badge badge-created" href="?event=created">aangemaakt</a>');
      expect(messageOf(entryHtml(dutch, 0))).toBe(
        `<a class="entry-user" href="?user=${ids.alice}">alice</a> heeft <a class="entry-object" href="/timeline/Post/${ids.hello}">Hello world</a> aangemaakt`,
      );
      const events = /<datalist id="filter-event-options">(.*?)<\/datalist>/.exec(dutch)?.[1] ?? '';
      expect(events).toBe(
        '<option value="created" label="aangemaakt"></option><option value="updated" label="gewijzigd"></option>' +
          '<option value="deleted" label="verwijderd"></option><option value="restored" label="hersteld"></option>' +
          '<option value="sold" label="verkocht"></option>',
      );
      const english = await page(`${url}/timeline/`);
      expect(entryHtml(english, 1)).toContain('<a class="badge badge-other" href="?event=sold">sold</a>');
      expect(entryHtml(english, 2)).toContain('<a class="badge badge-other" href="?event=counted">counted</a>');
    });
  });

  it('leaves the messages of the JSON and of renderMessages as they were', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const json = (await (await fetch(`${url}/timeline/?format=json`)).json()) as { items: { id: string; message: string }[] };
      const message = (id: string): string | undefined => json.items.find((item) => item.id === id)?.message;
      expect(message(logIds.created)).toBe('July 1, 2016, 9:08 a.m. - alice created Hello world');
      expect(message(logIds.counted)).toBe('Stock counted: 12');
      expect(message(logIds.shouted)).toBe('July 1, 2016, 9:11 a.m. - ALICE shouted at Hello world');
    });
    const log = await fixture.TimelineLog.findByPk(logIds.sold);
    expect(await log?.getMessage({ escape: 'html' })).toBe('July 1, 2016, 9:09 a.m. - alice sold Ceramic mug for 9.95 €.\n');
  });
});
