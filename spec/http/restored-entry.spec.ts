/**
 * `restored` is one of the package's own events on the timeline page (issue 13): its entry gets
 * the restored badge tone and rail dot (not the neutral one of an app's events), in the page's
 * language, and the filter form suggests it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';

let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  const alice = await createUser(fixture.models, 'alice');
  const post = await fixture.models.Post.create({ title: 'Hello world', authorId: alice.id });
  await fixture.TimelineLog.log(post, { user: alice, event: 'restored', template: 'timeline_logger/restored.ejs' });
});
afterAll(async () => {
  await fixture.db.drop();
});

async function page(url: string, language: string): Promise<string> {
  const response = await fetch(url, { headers: { 'accept-language': language } });
  expect(response.status).toBe(200);
  return response.text();
}

describe('a restored entry on the timeline page', () => {
  it('has the restored tone, its label in English and Dutch, and is suggested in the filter form', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const english = await page(`${url}/timeline/`, 'en');
      expect(english).toContain('<li class="entry entry-restored">');
      expect(english).toContain('<a class="badge badge-restored" href="?event=restored">restored</a>');
      expect(english).toContain('<option value="restored"></option>');
      const dutch = await page(`${url}/timeline/`, 'nl');
      expect(dutch).toContain('<a class="badge badge-restored" href="?event=restored">hersteld</a>');
      expect(dutch).toContain('<option value="restored" label="hersteld"></option>');
    });
  });

  it('is coloured by the stylesheet the page links', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const css = await (await fetch(`${url}/timeline/static/timeline.css`)).text();
      expect(css).toMatch(/\.badge-restored \{\s*color: var\(--restored-fg\);\s*background: var\(--restored-bg\);/);
      expect(css).toMatch(/\.entry-restored \.entry-body::before \{\s*border-color: var\(--restored-fg\);/);
    });
  });
});
