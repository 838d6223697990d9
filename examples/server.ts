/**
 * `npm start`: the demo app on http://localhost:3000 (PORT), on an embedded PostgreSQL kept in
 * `.data/postgres` unless DATABASE_URL points at a server. Migrations and the demo seed are
 * applied on start; Ctrl-C stops the app and the database cleanly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { DEMO_DATA_DIR, openDatabase } from '../dev/open-database.js';
import { createSequelize } from '../src/db/connection.js';
import { createMigrator, PACKAGE_SEEDERS_DIR } from '../src/db/migrator.js';
import { migrateTimeline, setupTimeline } from '../src/index.js';
import { createDemoApp } from './app.js';
import { defineDemoModels } from './models.js';
import { demoTimelineOptions } from './timeline-options.js';
import { trackDemoModels } from './tracking.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const port = Number(process.env.PORT ?? 3000);

const database = await openDatabase({ dataDir: DEMO_DATA_DIR });
const sequelize = createSequelize(database.url);
const models = defineDemoModels(sequelize);
const TimelineLog = setupTimeline(sequelize, {
  ...demoTimelineOptions(models),
  timeZone: process.env.TIMELINE_TIME_ZONE ?? 'UTC',
  sealKey: process.env.TIMELINE_SEAL_KEY,
});
trackDemoModels(models);
await createMigrator(sequelize, { folder: path.join(ROOT, 'examples', 'migrations') }).up();
await migrateTimeline(sequelize);
await createMigrator(sequelize, { folder: PACKAGE_SEEDERS_DIR, storageTable: 'SequelizeData' }).up();

/** Seals the new logs, as an app's job would every minute (docs/tamper-evidence.md); `timeline-logger verify` checks them. */
async function sealNewLogs(): Promise<void> {
  try {
    const { sealed, anchor } = await TimelineLog.seal({ waitMs: 1000 });
    if (sealed > 0) console.log(`sealed ${sealed} timeline logs (anchor ${anchor})`);
  } catch (error) {
    console.warn(`sealing failed: ${(error as Error).message}`);
  }
}
await sealNewLogs();
const sealing = setInterval(() => void sealNewLogs(), 60_000);

const server: Server = createDemoApp(models, { sessionSecret: process.env.SESSION_SECRET }).listen(port, () => {
  const where = database.embedded ? `embedded PostgreSQL in ${database.embedded.dataDir}` : 'DATABASE_URL';
  console.log(`timeline-logger demo ready in ${Math.round(performance.now() - started)} ms (${where})`);
  console.log(`Open http://localhost:${port}/ (timeline at http://localhost:${port}/timeline; sign in as alice / demo)`);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the demo...`);
  clearInterval(sealing);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await sequelize.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
