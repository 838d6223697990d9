/**
 * The demo's pages in Debian's chromium, on a desktop (light) and on a phone (dark): the
 * timeline shows each fact once (one sentence whose user and object are the links, the time
 * only in its column), the Dutch timeline names the demo's own events in Dutch, and the home
 * page has the timeline's design (styled controls, one line per shop item on a desktop, nothing
 * wider than a phone) under the same strict Content-Security-Policy.
 * Skipped (with a message) only when /usr/bin/chromium is missing; CI installs it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createDemoApp, DEMO_VIEWS_DIR } from '../../examples/app.js';
import { hashPassword } from '../../examples/auth.js';
import { defineDemoModels, type DemoModels } from '../../examples/models.js';
import { DEMO_EVENT_LABELS } from '../../examples/timeline-options.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../dev/chromium.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { listen, type RunningServer } from '../support/http-server.js';

const DEMO_SCHEMA = { defineModels: defineDemoModels, migrations: fileURLToPath(new URL('../../examples/migrations/', import.meta.url)) };
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1200, height: 900 }, colorScheme: 'light' },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const;
const hasChromium = existsSync(CHROMIUM_EXECUTABLE);
if (!hasChromium) {
  console.warn(`Skipping the browser tests: ${CHROMIUM_EXECUTABLE} is missing. Install it with: apt-get install -y chromium`);
}

interface Style {
  [property: string]: string;
}

/** Computed style values of the first element `locator` finds (the DOM types are not in this tsconfig). */
function styleOf(locator: Locator, properties: readonly string[]): Promise<Style> {
  return locator.first().evaluate(
    (element, names) => {
      const view = globalThis as unknown as { getComputedStyle(element: unknown): { getPropertyValue(name: string): string } };
      const style = view.getComputedStyle(element);
      return Object.fromEntries(names.map((name) => [name, style.getPropertyValue(name)]));
    },
    [...properties],
  );
}

/** How far the page is wider than its viewport (0 when nothing scrolls sideways). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

describe.skipIf(!hasChromium)('the demo in chromium, on a desktop and a phone', () => {
  let fixture: TimelineFixture<DemoModels>;
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    fixture = await createTimelineFixture({ templateDirs: [DEMO_VIEWS_DIR], eventLabels: DEMO_EVENT_LABELS }, DEMO_SCHEMA);
    const { models, TimelineLog } = fixture;
    const alice = await models.User.create({ username: 'alice', email: 'alice@example.com', passwordHash: hashPassword('demo') });
    const post = await models.Post.create({ title: 'Autumn roast is here', authorId: alice.id });
    await models.Item.bulkCreate([
      { name: 'Ceramic mug', price: '9.95' },
      { name: 'Espresso beans 1 kg', price: '24.90' },
      { name: 'Pour-over kit', price: '39.00' },
    ]);
    await TimelineLog.log(post, { user: alice, event: 'created', template: 'timeline_logger/created.ejs' });
    await TimelineLog.log(post, { event: 'viewed' });
    server = await listen(createDemoApp(models, { sessionSecret: 'demo browser secret' }));
    browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: [...CHROMIUM_ARGS] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await fixture?.db.drop();
  });

  /** A signed-in page in a new browser context. */
  async function signedIn(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
    const context = await browser.newContext(options);
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text());
    });
    await page.goto(`${server.url}/login?next=/`);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'demo');
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('form.login-form button[type=submit]')]);
    return page;
  }

  for (const { name, viewport, colorScheme } of VIEWPORTS) {
    describe(`on a ${name}`, () => {
      let page: Page;
      beforeAll(async () => {
        page = await signedIn({ viewport, colorScheme });
      });

      it('buys from the home page, whose controls are styled and fit the screen', async () => {
        const response = await page.goto(`${server.url}/`);
        expect(response?.headers()['content-security-policy']).toMatch(/script-src 'none'/);
        expect(await page.locator('style, [style], script').count()).toBe(0);
        const buy = await styleOf(page.locator('.buy-form button'), ['background-color', 'border-radius', 'font-weight', 'color']);
        const accent = await styleOf(page.locator('.brand-mark'), ['border-top-color']);
        expect(buy['background-color']).toBe(accent['border-top-color']); // the timeline's accent, not the browser's grey
        expect(buy['border-radius']).toBe('6px');
        expect(buy['font-weight']).toBe('600');
        expect((await styleOf(page.locator('.buy-form select'), ['border-radius']))['border-radius']).toBe('6px');
        expect((await styleOf(page.locator('.post-form textarea'), ['border-radius']))['border-radius']).toBe('6px');
        expect(await horizontalOverflow(page)).toBe(0);

        // Each buy form is one line: quantity, payment method and button side by side.
        for (const form of await page.locator('.buy-form').all()) {
          const boxes = await Promise.all(['input', 'select', 'button'].map((control) => form.locator(control).boundingBox()));
          const tops = boxes.map((box) => box?.y ?? Number.NaN);
          expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(4);
          expect(boxes[0]?.x ?? 0).toBeLessThan(boxes[1]?.x ?? 0);
          expect(boxes[1]?.x ?? 0).toBeLessThan(boxes[2]?.x ?? 0);
        }
        if (name === 'desktop') {
          // ... and on a desktop the item's name and price share that line.
          for (const item of await page.locator('.shop-item').all()) {
            const [label, form] = await Promise.all([
              item.locator('.shop-item-name').boundingBox(),
              item.locator('.buy-form').boundingBox(),
            ]);
            expect(Math.abs((label?.y ?? 0) + (label?.height ?? 0) / 2 - ((form?.y ?? 0) + (form?.height ?? 0) / 2))).toBeLessThan(4);
          }
        } else {
          expect(await styleOf(page.locator('body'), ['background-color'])).toEqual({ 'background-color': 'rgb(13, 17, 23)' });
        }

        const mug = page.locator('.shop-item', { hasText: 'Ceramic mug' });
        await mug.locator('select').selectOption('PayPal');
        await Promise.all([page.waitForURL(`${server.url}/`), mug.locator('button').click()]);
        expect(await page.locator('.message-list li').first().textContent()).toMatch(
          / - alice purchased item "Ceramic mug", using payment method "PayPal"/,
        );
      });

      it('shows each timeline entry as one sentence with the user and object linked once and the time only in its column', async () => {
        await page.goto(`${server.url}/timeline`);
        const purchase = page.locator('li.entry', { has: page.locator('.badge', { hasText: 'purchased' }) }).first();
        expect(await purchase.locator('a.entry-user').count()).toBe(1);
        expect(await purchase.locator('a.entry-object').count()).toBe(1);
        expect(await purchase.locator('.entry-message a.entry-user').textContent()).toBe('alice');
        expect(await purchase.locator('.entry-message a.entry-object').textContent()).toBe('Ceramic mug');
        expect(await purchase.locator('.entry-message').textContent()).toMatch(
          /^alice purchased item "Ceramic mug", using payment method "PayPal", for a total price of 9\.95 €\.$/,
        );
        for (const entry of await page.locator('li.entry').all()) {
          const year = (await entry.locator('time').getAttribute('datetime'))?.slice(0, 4) ?? '';
          const body = (await entry.locator('.entry-body').textContent()) ?? '';
          expect(body).not.toContain(year); // the message's "Nov. 24, 2026, 9:13 a.m. - " is gone
          expect(await entry.locator('a.entry-user').count()).toBeLessThanOrEqual(1);
          expect(await entry.locator('a.entry-object').count()).toBeLessThanOrEqual(1);
        }
        expect(await horizontalOverflow(page)).toBe(0);
        const [time, summary] = await Promise.all([
          purchase.locator('time').boundingBox(),
          purchase.locator('.entry-summary').boundingBox(),
        ]);
        if (name === 'phone') expect((time?.y ?? 0) + (time?.height ?? 0)).toBeLessThanOrEqual((summary?.y ?? 0) + 1);
        else expect((time?.x ?? 0) + (time?.width ?? 0)).toBeLessThan(summary?.x ?? 0);
        await Promise.all([page.waitForURL(/\/timeline\/Item\/\d+$/), purchase.locator('a.entry-object').click()]);
        expect(await page.locator('li.entry .entry-message a.entry-object').first().textContent()).toBe('Ceramic mug');
      });
    });
  }

  it('names the demo’s own events in Dutch on the Dutch timeline', async () => {
    const page = await signedIn({ viewport: { width: 1200, height: 900 }, locale: 'nl-NL' });
    await page.goto(`${server.url}/timeline`);
    expect(await page.locator('h1').textContent()).toBe('Tijdlijn');
    expect(new Set(await page.locator('li.entry .badge').allTextContents())).toEqual(new Set(['gekocht', 'bekeken', 'aangemaakt']));
    const purchase = page.locator('li.entry', { has: page.locator('.badge', { hasText: 'gekocht' }) }).first();
    expect(await purchase.locator('.entry-message').textContent()).toMatch(
      /^alice heeft artikel "Ceramic mug" gekocht met betaalmethode "PayPal"/,
    );
    const suggestions = page.locator('#filter-event-options option');
    expect(await suggestions.evaluateAll((options) => options.map((option) => (option as unknown as { label: string }).label))).toEqual([
      'aangemaakt',
      'gewijzigd',
      'verwijderd',
      'hersteld',
      'gekocht',
      'bekeken',
    ]);
  });

  it('never broke the Content-Security-Policy', () => {
    expect(cspErrors).toEqual([]);
  });
});
