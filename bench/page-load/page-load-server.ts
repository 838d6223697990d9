import type { AddressInfo } from 'node:net';
import express from 'express';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/connection.js';
import { encodeCursor } from '../../src/http/cursor.js';
import type { PagePosition } from '../../src/http/page-position.js';
import { findTimelinePage } from '../../src/http/timeline-query.js';
import { TimelineLog, timelineRouter } from '../../src/index.js';
import { loadRelatedRows } from '../../src/model/related-rows.js';
import { setUpDemoTimeline } from '../support/demo-timeline.js';
import { seedPageLogs } from './seed-logs.js';

/** Where the bench's pages start: the newest page, and a cursor half-way down. */
export type PageDepth = 'first' | 'deep';

/** What the server reports to the bench once its data is loaded. */
export interface PageLoadReady {
  readonly port: number;
  readonly rows: number;
  readonly loadMs: number;
  /** The `?before=` cursor of the deep page. */
  readonly deepCursor: string;
}

/** The server's CPU time so far, sent when the bench asks (`'cpu'`). */
export interface CpuReport {
  readonly cpuMs: number;
}

const PER_PAGE = 25;

/**
 * The bench's server: the demo's timeline setup on `url` with `rows` logs, and an Express app
 * with `timelineRouter({ public: true })` at `/timeline` and two endpoints without the library:
 * - `/bare/:position` sends the page's keyset query (the SQL the page sends, captured once)
 *   through the same Sequelize and answers its first 25 rows as JSON;
 * - `/floor/:position` sends all of the page's statements (that query, then the related rows'
 *   queries side by side, as the page does) and answers the same: what any page that needs
 *   those statements costs before it renders anything.
 *
 * Reports {@link PageLoadReady} over IPC and answers `'cpu'` messages with {@link CpuReport}.
 *
 * @example
 * ```ts
 * if (process.argv[2] === '--serve') await servePageLoad(process.argv[3], 200_000);
 * ```
 */
export async function servePageLoad(url: string, rows: number): Promise<void> {
  const sequelize = createSequelize(url, { pool: { max: 10 } });
  await setUpDemoTimeline(sequelize);
  const started = performance.now();
  await seedPageLogs(sequelize, rows);
  const loadMs = performance.now() - started;

  const deepKey = await keyAt(sequelize, rows / 2 - 1);
  const positions: Record<PageDepth, PagePosition> = { first: { kind: 'newest' }, deep: { kind: 'before', cursor: deepKey } };
  const statements: Record<PageDepth, readonly string[]> = {
    first: await pageStatements(sequelize, positions.first),
    deep: await pageStatements(sequelize, positions.deep),
  };
  const select = (sql: string): Promise<object[]> => sequelize.query(sql, { type: QueryTypes.SELECT });

  const app = express();
  app.disable('x-powered-by');
  app.get('/bare/:position', async (req, res) => {
    const [page = ''] = statements[req.params.position === 'deep' ? 'deep' : 'first'];
    res.json((await select(page)).slice(0, PER_PAGE));
  });
  app.get('/floor/:position', async (req, res) => {
    const [page = '', ...related] = statements[req.params.position === 'deep' ? 'deep' : 'first'];
    const found = await select(page);
    await Promise.all(related.map(select));
    res.json(found.slice(0, PER_PAGE));
  });
  app.use('/timeline', timelineRouter({ public: true }));
  const server = app.listen(0, '127.0.0.1', () => {
    const ready: PageLoadReady = { port: (server.address() as AddressInfo).port, rows, loadMs, deepCursor: encodeCursor(deepKey) };
    process.send?.(ready);
  });
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const usage = process.cpuUsage();
    const report: CpuReport = { cpuMs: (usage.user + usage.system) / 1000 };
    process.send?.(report);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    // Requests autocannon left in flight finish their queries before the pool closes.
    server.close(() => setTimeout(() => void sequelize.close().then(() => process.exit(0)), 500));
  });
}

/** The key of the log `offset` rows below the newest. */
async function keyAt(sequelize: Sequelize, offset: number): Promise<{ timestamp: string; id: string }> {
  const [row] = await sequelize.query<{ timestamp: string; id: string }>(
    `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp, id::text AS id
     FROM "${TimelineLog.getTableName() as string}" ORDER BY "timestamp" DESC, id DESC OFFSET ${offset} LIMIT 1`,
    { type: QueryTypes.SELECT },
  );
  if (!row) throw new Error(`no log at offset ${offset}`);
  return row;
}

/** The statements a page at `position` sends, as Sequelize logs them: its keyset query, then its related rows' queries. */
async function pageStatements(sequelize: Sequelize, position: PagePosition): Promise<string[]> {
  const statements: string[] = [];
  const options = (sequelize as unknown as { options: { logging: false | ((sql: string) => void) } }).options;
  options.logging = (statement) => statements.push(statement.replace(/^Executing \([^)]*\): /, ''));
  try {
    const page = await findTimelinePage(TimelineLog, { criteria: {}, position, perPage: PER_PAGE });
    if (statements.length !== 1) throw new Error(`the page query sent ${statements.length} statements`);
    await loadRelatedRows(page.logs, sequelize, TimelineLog.runtime.options);
  } finally {
    options.logging = false;
  }
  return statements;
}
