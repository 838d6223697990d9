/**
 * The timeline page in a real browser (Debian's chromium through playwright-core): sign in to
 * the demo, page with Older/Newer, filter with the form, open a per-object timeline, and make
 * sure an object named like an XSS payload is shown as text with no dialog ever raised.
 * Skipped (with a message) only when /usr/bin/chromium is missing; CI installs it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createDemoApp, DEMO_VIEWS_DIR } from '../../examples/app.js';
import { hashPassword } from '../../examples/auth.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../dev/chromium.js';

const XSS = '<img src=x onerror=alert(1)>';
/** This test drives the demo app, so it runs on the demo's own schema. */
const DEMO_SCHEMA = { defineModels: defineDemoModels, migrations: fileURLToPath(new URL('../../examples/migrations/', import.meta.url)) };
const hasChromium = existsSync(CHROMIUM_EXECUTABLE);
if (!hasChromium) {
  console.warn(`Skipping the browser tests: ${CHROMIUM_EXECUTABLE} is missing. Install it with: apt-get install -y chromium`);
}

describe.skipIf(!hasChromium)('the timeline page in chromium', () => {
  let fixture: TimelineFixture<DemoModels>;
  let server: RunningServer;
  let context: BrowserContext;
  let profile: string;
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  let page: Page;
  let aliceId = '';

  beforeAll(async () => {
    fixture = await createTimelineFixture({ templateDirs: [DEMO_VIEWS_DIR] }, DEMO_SCHEMA);
    const { models, TimelineLog } = fixture;
    const alice = await models.User.create({ username: 'alice', email: 'alice@example.com', passwordHash: hashPassword('demo') });
    aliceId = String(alice.id);
    const hello = await models.Post.create({ title: 'Hello world', authorId: alice.id });
    const evil = await models.Post.create({ title: XSS, authorId: alice.id });
    const start = Date.parse('2016-07-01T09:00:00Z');
    for (let index = 0; index < 40; index += 1) {
      await TimelineLog.log(index % 4 === 3 ? evil : hello, {
        user: alice,
        event: index % 2 === 0 ? 'created' : 'updated',
        template: index % 2 === 0 ? 'timeline_logger/created.ejs' : 'timeline_logger/updated.ejs',
        timestamp: new Date(start + index * 3_600_000),
      });
    }
    server = await listen(createDemoApp(models, { sessionSecret: 'browser test secret' }));
    profile = mkdtempSync(path.join(os.tmpdir(), 'timeline-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_EXECUTABLE,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
    await fixture?.db.drop();
  });

  const entryCount = (): Promise<number> => page.locator('li.entry').count();

  it('notices dialogs (so that seeing none below means something)', async () => {
    await page.evaluate(() => (globalThis as unknown as { alert(message: string): void }).alert('probe'));
    expect(dialogs.splice(0)).toEqual(['probe']);
  });

  it('asks to sign in, then shows the styled timeline', async () => {
    await page.goto(`${server.url}/timeline`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'demo');
    await Promise.all([page.waitForURL(`${server.url}/timeline`), page.click('button:has-text("Sign in")')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Timeline');
    expect(await entryCount()).toBe(25);
    // The stylesheet loaded under the page's CSP: the rail dots come from it.
    const border = await page
      .locator('.entry-body')
      .first()
      .evaluate(
        (element) =>
          (globalThis as unknown as { getComputedStyle(element: unknown): { borderLeftStyle: string } }).getComputedStyle(element)
            .borderLeftStyle,
      );
    expect(border).toBe('solid');
  });

  it('is usable from the keyboard: the skip link shows on focus and leads to the entries', async () => {
    await page.goto(`${server.url}/timeline/`);
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip-link');
    // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- runs in the page; the DOM types are not in this tsconfig
    expect(await skip.evaluate((element) => element === (element.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id),
    ).toBe('entries');
    expect(await page.locator('nav[aria-label="Pagination"]').count()).toBe(1);
    expect(await page.locator('form[role=search][aria-label]').count()).toBe(1);
  });

  it('shows the object named like an XSS payload as text, without running it', async () => {
    const objectLinks = page.locator('a.entry-object', { hasText: 'onerror' });
    expect(await objectLinks.count()).toBeGreaterThan(0);
    expect(await objectLinks.first().textContent()).toBe(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    const entry = page
      .locator('li.entry')
      .filter({ has: page.locator('a.entry-object', { hasText: 'onerror' }) })
      .first();
    const message = await entry.locator('.entry-message').textContent();
    expect(message).toContain(XSS);
  });

  it('follows Older and Newer', async () => {
    const newest = await page.locator('time.entry-time').first().getAttribute('datetime');
    await Promise.all([page.waitForURL(/before=/), page.click('a[rel=next]')]);
    expect(await entryCount()).toBe(15);
    expect(await page.locator('a[rel=next]').count()).toBe(0);
    await Promise.all([page.waitForURL(/after=/), page.click('a[rel=prev]')]);
    expect(await entryCount()).toBe(25);
    expect(await page.locator('time.entry-time').first().getAttribute('datetime')).toBe(newest);
  });

  it('filters with the form and keeps the filter while paging', async () => {
    await page.goto(`${server.url}/timeline/`);
    await page.fill('#filter-event', 'updated');
    await Promise.all([page.waitForURL(/event=updated/), page.click('button[type=submit]')]);
    expect(await entryCount()).toBe(20);
    const badges = await page.locator('.entry .badge').allTextContents();
    expect(new Set(badges)).toEqual(new Set(['updated']));
    expect(await page.inputValue('#filter-event')).toBe('updated');
    await page.fill('#filter-event', '');
    await page.fill('#filter-user', aliceId);
    await Promise.all([page.waitForURL(/user=/), page.click('button[type=submit]')]);
    expect(await entryCount()).toBe(25);
    await Promise.all([page.waitForURL(/before=/), page.click('a[rel=next]')]);
    const url = new URL(page.url());
    expect(url.searchParams.get('user')).toBe(aliceId);
    expect(await entryCount()).toBe(15);
    expect(await page.inputValue('#filter-user')).toBe(aliceId);
  });

  it('opens the per-object timeline of the XSS-named post', async () => {
    await page.goto(`${server.url}/timeline/`);
    await Promise.all([page.waitForURL(/\/timeline\/Post\/\d+$/), page.locator('a.entry-object', { hasText: 'onerror' }).first().click()]);
    expect(await page.locator('h1').textContent()).toBe(`Timeline of ${XSS}`);
    expect(await page.title()).toBe(`Timeline of ${XSS}`);
    expect(await entryCount()).toBe(10);
  });

  it('never raised a dialog nor broke the Content-Security-Policy', () => {
    expect(dialogs).toEqual([]);
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  });
});
