/**
 * Regenerates docs/timeline.png (and the other screenshots in docs/): the demo on a fresh
 * embedded PostgreSQL (or DATABASE_URL) with the demo seed, signed in as alice, photographed by
 * Debian's chromium. `--path /` photographs the demo's home page, `--full` the whole page.
 *
 *   npx tsx scripts/screenshot.ts [--dark] [--width 1200] [--height 1000] [--path /timeline] [--full] [--output docs/timeline.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../dev/chromium.js';
import { openDatabase } from '../dev/open-database.js';
import { createSequelize } from '../src/db/connection.js';
import { createMigrator, PACKAGE_SEEDERS_DIR } from '../src/db/migrator.js';
import { migrateTimeline, setupTimeline } from '../src/index.js';
import { createDemoApp } from '../examples/app.js';
import { defineDemoModels } from '../examples/models.js';
import { demoTimelineOptions } from '../examples/timeline-options.js';
import { trackDemoModels } from '../examples/tracking.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    dark: { type: 'boolean', default: false },
    width: { type: 'string', default: '1200' },
    height: { type: 'string', default: '1000' },
    path: { type: 'string', default: '/timeline' },
    full: { type: 'boolean', default: false },
    output: { type: 'string', default: path.join(ROOT, 'docs', 'timeline.png') },
  },
});

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timeline-screenshot-'));
const database = await openDatabase({ dataDir, database: 'timeline_screenshot' });
const sequelize = createSequelize(database.url);
const profile = mkdtempSync(path.join(os.tmpdir(), 'timeline-screenshot-chromium-'));
let server: Server | undefined;
try {
  const models = defineDemoModels(sequelize);
  setupTimeline(sequelize, demoTimelineOptions(models));
  trackDemoModels(models);
  await createMigrator(sequelize, { folder: path.join(ROOT, 'examples', 'migrations') }).up();
  await migrateTimeline(sequelize);
  await createMigrator(sequelize, { folder: PACKAGE_SEEDERS_DIR, storageTable: 'SequelizeData' }).up();
  const app = createDemoApp(models, { sessionSecret: 'screenshot' });
  server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_EXECUTABLE,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: Number(args.width), height: Number(args.height) },
    colorScheme: args.dark ? 'dark' : 'light',
    deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${url}/login?next=/timeline`);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'demo');
    await Promise.all([page.waitForURL(`${url}/timeline`), page.click('button:has-text("Sign in")')]);
    // A little fresh activity through the demo's own forms, so the newest day shows what users do.
    await page.goto(`${url}/`);
    await page.fill('input[name=title]', 'Autumn roast is here');
    await Promise.all([page.waitForURL(`${url}/`), page.click('button:has-text("Publish")')]);
    await page.locator('form[action$="/buy"]').first().locator('button').click();
    await page.waitForURL(`${url}/`);
    await page.goto(url + args.path);
    await page.screenshot({ path: args.output, fullPage: args.full });
    console.log(`Saved ${path.relative(process.cwd(), args.output)}`);
  } finally {
    await context.close();
  }
} finally {
  if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
  await sequelize.close();
  await database.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
