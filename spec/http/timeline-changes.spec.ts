/**
 * Changes on the page (issue 13, item 2): an `updated` entry shows its change set (field, old
 * value → new value), a `created` entry its initial values, over a real Express server with
 * rows tracked by `withTimeline`. Masked values stay `********`, every value is escaped, long
 * values are cut with the whole value beside them, and a log whose `extraData` holds no change
 * set (any other JSON) shows nothing extra and never fails the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';
import { recordQueries } from '../support/query-recorder.js';
import { defineTrackedModels, type TrackedModels } from '../support/tracked-models.js';

const HOSTILE = `Ann <script>alert("x")</script> & 'co'`;
/** A long memo whose end is only in the whole value, never in the preview. */
const LONG_TEXT = `${'Minutes of the meeting. '.repeat(40)}THE-VERY-END`;
const SECRETS = ['hunter2', 'tok-0123456789', 's3cr3t-client', 'plain-old-password', 'plain-new-password'];
/** extraData of imported logs that hold no change set; each must leave its entry as it was. */
const NOT_CHANGE_SETS: readonly unknown[] = [
  null,
  'just text',
  42,
  true,
  [1, 2],
  { changes: null },
  { changes: 'title' },
  { changes: ['title'] },
  { changes: {} },
  { changes: { title: 'new' } },
  { changes: { title: ['only one'] } },
  { changes: { title: ['a', 'b', 'c'] } },
  { changes: { title: ['a', 'b'], body: null } },
  { other: { title: ['a', 'b'] } },
];

let fixture: TimelineFixture;
let tracked: TrackedModels;
let accountPath: string;
let memoPath: string;
let importedPath: string;
let plainSecretPath: string;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  tracked = await defineTrackedModels(fixture.db.sequelize);
  withTimeline(tracked.Account);
  withTimeline(tracked.Memo);
  const ann = await createUser(fixture.models, 'ann');
  const account = await tracked.Account.create(
    { name: 'Ann', password: 'hunter2', apiToken: 'tok-0123456789', visits: '3' },
    { timeline: { user: ann } },
  );
  await account.update({ name: HOSTILE, password: 's3cr3t-client', settings: null }, { timeline: { user: ann } });
  await account.update(
    { name: 'Ann B.', settings: { theme: 'dark', sizes: [1, 2] }, balance: '10.50', visits: '4', tags: ['a', 'b'] },
    { timeline: { user: ann } },
  );
  accountPath = `/timeline/Account/${account.id}`;

  const memo = await tracked.Memo.create({ text: 'Short' });
  await memo.update({ text: LONG_TEXT });
  memoPath = `/timeline/Memo/${memo.id}`;

  const post = await fixture.models.Post.create({ title: 'Imported', authorId: null });
  for (const [index, extraData] of NOT_CHANGE_SETS.entries()) {
    await fixture.TimelineLog.log(post, {
      event: index % 2 === 0 ? 'updated' : 'created',
      template: index % 2 === 0 ? 'timeline_logger/updated.ejs' : 'timeline_logger/created.ejs',
      extraData: extraData as never,
      timestamp: new Date(Date.UTC(2016, 6, 1, 9, index)),
    });
  }
  importedPath = `/timeline/Post/${post.id}`;

  // A log from elsewhere that stored a password in clear: the page still shows it masked.
  const other = await fixture.models.Post.create({ title: 'From another system', authorId: null });
  await fixture.TimelineLog.log(other, {
    event: 'updated',
    template: 'timeline_logger/updated.ejs',
    extraData: { changes: { userPassword: ['plain-old-password', 'plain-new-password'], title: ['Old', 'New'] } },
  });
  plainSecretPath = `/timeline/Post/${other.id}`;
});
afterAll(async () => {
  await fixture.db.drop();
});

async function pageHtml(path: string, headers: Record<string, string> = {}): Promise<string> {
  return withTimelineServer({ public: true }, async ({ url }) => {
    const response = await fetch(`${url}${path}`, { headers });
    expect(response.status).toBe(200);
    return response.text();
  });
}

/** The page's entries, newest first, each as its `<li>` HTML. */
function entries(html: string): string[] {
  return html
    .split('<li class="entry')
    .slice(1)
    .map((part) => part.slice(0, part.indexOf('</li>')));
}

/** The change set block of an entry's HTML, or null. */
function changesOf(entry: string): string | null {
  const start = entry.search(/<(div|details) class="changes /);
  return start === -1 ? null : entry.slice(start);
}

/** `<dt>field</dt>` → its `<dd>` HTML. */
function fields(changes: string): Map<string, string> {
  return new Map(
    [...changes.matchAll(/<dt class="change-field">(.*?)<\/dt><dd class="change-values">(.*?)<\/dd>/gs)].map((m) => [
      m[1] ?? '',
      m[2] ?? '',
    ]),
  );
}

/** The visible text of some HTML (tags dropped, entities decoded, screen-reader-only text removed). */
function visibleText(html: string): string {
  return html
    .replace(/<span class="visually-hidden">.*?<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('changes on the timeline page', () => {
  it('shows an updated entry as field, old value → new value, old and new named for screen readers', async () => {
    const [latest, hostile] = entries(await pageHtml(accountPath));
    const changes = changesOf(latest ?? '') ?? '';
    expect(changes).toMatch(/^<details class="changes changes-updated"><summary class="changes-summary">5 changes<\/summary>/);
    const shown = fields(changes);
    expect([...shown.keys()].sort()).toEqual(['balance', 'name', 'settings', 'tags', 'visits']);
    expect(visibleText(shown.get('visits') ?? '')).toBe('3→4');
    expect(visibleText(shown.get('balance') ?? '')).toBe('empty→10.50');
    expect(shown.get('balance')).toContain(
      '<div class="change-value change-before change-empty"><span class="visually-hidden">old value: </span><em>empty</em></div>',
    );
    expect(visibleText(shown.get('settings') ?? '')).toBe('empty→{"sizes":[1,2],"theme":"dark"}'); // as JSONB keeps it
    expect(shown.get('settings')).toContain('<div class="change-value change-after change-code">');
    expect(visibleText(shown.get('tags') ?? '')).toBe('empty→["a","b"]');
    expect(shown.get('name')).toMatch(
      /^<div class="change-value change-before change-text"><span class="visually-hidden">old value: <\/span>.*<span class="change-arrow" aria-hidden="true">→<\/span><div class="change-value change-after change-text"><span class="visually-hidden">new value: <\/span>/s,
    );
    // Three fields or fewer are open, not collapsed.
    expect(changesOf(hostile ?? '')).toMatch(/^<div class="changes changes-updated"><span class="visually-hidden">2 changes<\/span>/);
  });

  it('shows a created entry with its initial values', async () => {
    const created = entries(await pageHtml(accountPath)).at(-1) ?? '';
    expect(created).toContain('badge-created');
    const shown = fields(changesOf(created) ?? '');
    expect([...shown.keys()].sort()).toEqual(['apiToken', 'name', 'password', 'visits']);
    expect(visibleText(shown.get('name') ?? '')).toBe('Ann');
    expect(visibleText(shown.get('visits') ?? '')).toBe('3');
    expect(shown.get('name')).not.toContain('change-before');
  });

  it('never shows a masked value, only ********', async () => {
    const html = await pageHtml(accountPath);
    for (const secret of SECRETS) expect(html).not.toContain(secret);
    const created = fields(changesOf(entries(html).at(-1) ?? '') ?? '');
    expect(visibleText(created.get('password') ?? '')).toBe('********');
    expect(visibleText(created.get('apiToken') ?? '')).toBe('********');
    expect(created.get('password')).toContain('<span class="visually-hidden">hidden value</span>');
    const update = fields(changesOf(entries(html)[1] ?? '') ?? '');
    expect(visibleText(update.get('password') ?? '')).toBe('********→********');
  });

  it('shows a secret-named field as ******** even when a log stored it in clear', async () => {
    const html = await pageHtml(plainSecretPath);
    expect(html).not.toContain('plain-old-password');
    expect(html).not.toContain('plain-new-password');
    const shown = fields(changesOf(entries(html)[0] ?? '') ?? '');
    expect(visibleText(shown.get('userPassword') ?? '')).toBe('********→********');
    expect(visibleText(shown.get('title') ?? '')).toBe('Old→New');
  });

  it('escapes values with markup and quotes', async () => {
    const html = await pageHtml(accountPath);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/alert\("x"\)/);
    const hostile = fields(changesOf(entries(html)[1] ?? '') ?? '');
    expect(hostile.get('name')).toContain(
      '<div class="change-value change-after change-text"><span class="visually-hidden">new value: </span>Ann &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;co&#39;</div>',
    );
    expect(visibleText(hostile.get('name') ?? '')).toBe(`Ann→${HOSTILE}`);
    expect(visibleText(fields(changesOf(entries(html)[0] ?? '') ?? '').get('name') ?? '')).toBe(`${HOSTILE}→Ann B.`);
  });

  it('cuts a long value to 200 characters and keeps the whole value under Show all', async () => {
    const [update] = entries(await pageHtml(memoPath));
    const text = fields(changesOf(update ?? '') ?? '').get('text') ?? '';
    const preview = /<span class="change-preview">(.*?)<\/span>/s.exec(text)?.[1] ?? '';
    expect(preview.endsWith('…')).toBe(true);
    expect(preview.length).toBeLessThanOrEqual(201);
    expect(LONG_TEXT.startsWith(preview.slice(0, -1))).toBe(true);
    expect(preview).not.toContain('THE-VERY-END');
    expect(text).toMatch(/<details class="change-long"><summary>.*Show all.*<\/summary><pre class="change-full">/s);
    expect(/<pre class="change-full">(.*?)<\/pre>/s.exec(text)?.[1]).toBe(LONG_TEXT);
  });

  it('shows nothing extra for extraData that holds no change set, and the page still renders every entry', async () => {
    const html = await pageHtml(importedPath);
    const shown = entries(html);
    expect(shown).toHaveLength(NOT_CHANGE_SETS.length);
    expect(shown.filter((entry) => changesOf(entry) !== null)).toEqual([]);
    expect(html).not.toContain('class="change');
  });

  it('is in the page language', async () => {
    const html = await pageHtml(accountPath, { 'accept-language': 'nl' });
    expect(html).toContain('<summary class="changes-summary">5 wijzigingen</summary>');
    expect(html).toContain('<span class="visually-hidden">oude waarde: </span>');
    expect(html).toContain('<em>leeg</em>');
    expect(html).toContain('<summary class="changes-summary">4 beginwaarden</summary>');
    expect(html).toContain('<span class="visually-hidden">2 wijzigingen</span>');
  });

  it('needs no statement beyond those of the same page as JSON, which shows no change view', async () => {
    const html = await recordQueries(fixture.db.sequelize, () => pageHtml(accountPath));
    const json = await recordQueries(fixture.db.sequelize, () => pageHtml(accountPath, { accept: 'application/json' }));
    expect(html.result).toContain('class="changes ');
    expect(html.statements).toEqual(json.statements);
  });
});
