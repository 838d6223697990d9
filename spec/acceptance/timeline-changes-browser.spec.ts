/**
 * Changes on the timeline page in Debian's chromium, on a desktop (light) and a phone (dark):
 * an updated entry shows field, old value → new value, masked values only as `********`, more
 * than three fields open from their summary and a long value from "Show all" (no script), all
 * within the screen and under the page's strict Content-Security-Policy. Writes the screenshots
 * docs/timeline-changes.png (desktop) and docs/timeline-changes-phone.png (phone, dark).
 * Skipped (with a message) only when /usr/bin/chromium is missing; CI installs it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { timelineRouter, withTimeline } from '../../src/index.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../dev/chromium.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { defineTrackedModels } from '../support/tracked-models.js';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1200, height: 900 }, colorScheme: 'light', screenshot: 'timeline-changes.png' },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'dark', screenshot: 'timeline-changes-phone.png' },
] as const;
const SECRETS = ['correct horse battery', 'tr0ub4dor&3', 'tok_live_51HxYz'];
const MINUTES = `Minutes of the March meeting.\nPresent: Ann, Bob, Chris.\n${'The board discussed the budget for the new season at length. '.repeat(6)}Agreed: publish the figures.`;
const hasChromium = existsSync(CHROMIUM_EXECUTABLE);
if (!hasChromium) {
  console.warn(`Skipping the browser tests: ${CHROMIUM_EXECUTABLE} is missing. Install it with: apt-get install -y chromium`);
}

/** How far the page is wider than its viewport (0 when nothing scrolls sideways). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** The text a sighted reader sees in the element: its rendered text without the screen-reader-only parts. */
function seenText(locator: Locator): Promise<string> {
  return locator.first().evaluate((element) => {
    const clone = (
      element as unknown as { cloneNode(deep: boolean): { querySelectorAll(selector: string): { remove(): void }[]; textContent: string } }
    ).cloneNode(true);
    for (const hidden of clone.querySelectorAll('.visually-hidden')) hidden.remove();
    return clone.textContent.replace(/\s+/g, ' ').trim();
  });
}

/** Whether the element is rendered (not inside a closed <details>, not display: none). */
function isShown(locator: Locator): Promise<boolean> {
  return locator.first().evaluate((element) => (element as unknown as { checkVisibility(): boolean }).checkVisibility());
}

describe.skipIf(!hasChromium)('changes on the timeline page in chromium', () => {
  let fixture: TimelineFixture;
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    // A clock that moves on 7 minutes per log, so that the screenshots are the same on every run.
    let tick = 0;
    fixture = await createTimelineFixture({ now: () => new Date(Date.parse('2026-03-12T09:02:00Z') + 7 * 60_000 * tick++) });
    const { Account, Memo } = await defineTrackedModels(fixture.db.sequelize);
    withTimeline(Account);
    withTimeline(Memo);
    const alice = await createUser(fixture.models, 'alice');
    const timeline = { timeline: { user: alice } };
    const memo = await Memo.create({ text: 'Minutes: to follow' }, timeline);
    await memo.update({ text: MINUTES }, timeline);
    const account = await Account.create(
      { name: 'Ann Example', password: SECRETS[0], apiToken: SECRETS[2], balance: '10.50', tags: ['customer'] },
      timeline,
    );
    await account.update({ name: 'Ann Baker', password: SECRETS[1], balance: '12.00' }, timeline);
    const app = express();
    app.use('/timeline', timelineRouter({ public: true }));
    server = await listen(app);
    browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: [...CHROMIUM_ARGS] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await fixture?.db.drop();
  });

  for (const { name, viewport, colorScheme, screenshot } of VIEWPORTS) {
    describe(`on a ${name}`, () => {
      let page: Page;
      beforeAll(async () => {
        const context = await browser.newContext({ viewport, colorScheme });
        contexts.push(context);
        page = await context.newPage();
        page.on('console', (message) => {
          if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text());
        });
        const response = await page.goto(`${server.url}/timeline/`);
        expect(response?.headers()['content-security-policy']).toMatch(/script-src 'none'/);
      });

      it('shows an updated entry as field, old value → new value, with masked values as ********', async () => {
        expect(await page.locator('style, [style], script').count()).toBe(0);
        const update = page.locator('li.entry-updated', { hasText: 'Ann Baker' });
        const change = (field: string): Locator =>
          update.locator('.change', { has: page.locator('dt', { hasText: new RegExp(`^${field}$`) }) });
        expect(await isShown(change('name').locator('dd'))).toBe(true); // three fields: open, not collapsed
        expect(await seenText(change('name').locator('dd'))).toBe('Ann Example→Ann Baker');
        expect(await seenText(change('balance').locator('dd'))).toBe('10.50→12.00');
        expect(await seenText(change('password').locator('dd'))).toBe('********→********');
        const content = await page.content();
        for (const secret of SECRETS) expect(content).not.toContain(secret);
        // Old and new differ by more than colour: the arrow between them, and words for screen readers.
        expect(await change('name').locator('.change-before .visually-hidden').textContent()).toBe('old value: ');
        expect(await horizontalOverflow(page)).toBe(0);
      });

      it('lays a change out as field beside its values on a desktop and above them on a phone', async () => {
        const change = page.locator('li.entry-updated', { hasText: 'Ann Baker' }).locator('.change').first();
        const [field, values] = await Promise.all([change.locator('dt').boundingBox(), change.locator('dd').boundingBox()]);
        if (name === 'phone') {
          expect((field?.y ?? 0) + (field?.height ?? 0)).toBeLessThanOrEqual((values?.y ?? 0) + 1);
          const background = await page
            .locator('body')
            .evaluate(
              (element) =>
                (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle(element)
                  .backgroundColor,
            );
          expect(background).toBe('rgb(13, 17, 23)');
        } else {
          expect((field?.x ?? 0) + (field?.width ?? 0)).toBeLessThan(values?.x ?? 0);
        }
      });

      it('writes its screenshot of the entries', async () => {
        const box = await page.locator('#entries').boundingBox();
        const margin = 12;
        const x = Math.max(0, (box?.x ?? 0) - margin);
        await page.screenshot({
          path: `${DOCS}${screenshot}`,
          fullPage: true,
          clip: {
            x,
            y: (box?.y ?? 0) - margin,
            width: Math.min(viewport.width - x, (box?.width ?? 0) + 2 * margin),
            height: (box?.height ?? 0) + 2 * margin,
          },
        });
        expect(existsSync(`${DOCS}${screenshot}`)).toBe(true);
      });

      it('opens a created entry’s collapsed initial values from their summary, without script', async () => {
        const created = page.locator('li.entry-created', { hasText: 'Ann Baker' });
        const summary = created.locator('summary.changes-summary');
        expect(await summary.textContent()).toBe('5 initial values');
        expect(await isShown(created.locator('dl.change-list'))).toBe(false);
        await summary.click();
        expect(await isShown(created.locator('dl.change-list'))).toBe(true);
        expect(await seenText(created.locator('.change', { hasText: 'apiToken' }).locator('dd'))).toBe('********');
        expect(await seenText(created.locator('.change', { hasText: 'tags' }).locator('dd'))).toBe('["customer"]');
        expect(await horizontalOverflow(page)).toBe(0);
      });

      it('shows the start of a long value and the whole of it under Show all', async () => {
        const update = page.locator('li.entry-updated', { hasText: 'Minutes' });
        const long = update.locator('details.change-long');
        expect(await isShown(long.locator('.change-full'))).toBe(false);
        expect(await long.locator('.change-preview').innerText()).toMatch(/…$/);
        await long.locator('summary').click();
        expect(await isShown(long.locator('.change-full'))).toBe(true);
        expect(await isShown(long.locator('.change-preview'))).toBe(false);
        expect(await long.locator('.change-full').textContent()).toBe(MINUTES);
        expect(await long.locator('summary').innerText()).toBe('Show less');
        expect(await horizontalOverflow(page)).toBe(0);
      });
    });
  }

  it('never broke the Content-Security-Policy', () => {
    expect(cspErrors).toEqual([]);
  });
});
