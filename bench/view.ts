/**
 * `npm run bench:view [-- --quick]`: how fast the timeline page answers at 1,000 and at
 * 1,000,000 logs, over real HTTP. Two servers run side by side (one child process per data
 * set, each with its own database on one PostgreSQL) and the requests alternate between
 * them in rounds, so machine noise hits both alike. Prints median and p95 per page and the
 * 1M/1k ratio; cursor-mode pages should stay within 1.5x and under 5 ms.
 *
 * Logs are loaded with one INSERT ... SELECT over generate_series per data set. Uses
 * DATABASE_URL when set (its server gets two databases, wiped on every run), else an embedded
 * PostgreSQL in `.data/bench-view-postgres` (fsync off).
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { QueryTypes, type Sequelize } from 'sequelize';
import { openDatabase } from '../dev/open-database.js';
import { createSequelize } from '../src/db/connection.js';
import { encodeCursor } from '../src/http/cursor.js';
import { findTimelinePage } from '../src/http/timeline-query.js';
import { TimelineLog, timelineRouter } from '../src/index.js';
import { forkBenchServer, stopBenchServer } from './support/bench-server.js';
import { setUpDemoTimeline } from './support/demo-timeline.js';
import { freshDatabase } from './support/fresh-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUICK = process.argv.includes('--quick');
const SIZES = [1_000, 1_000_000] as const;
const PLAN = QUICK ? { warmup: 10, rounds: 3, perRound: 10 } : { warmup: 30, rounds: 8, perRound: 25 };
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '256MB' };
const USERS = 10;
const POSTS = 20;
const ITEMS = 8;

/** What a child server reports once its data is loaded. */
interface Ready {
  readonly port: number;
  readonly rows: number;
  readonly loadMs: number;
  readonly paths: Readonly<Record<ScenarioKey, string>>;
  readonly plan: string;
}

type ScenarioKey = 'first' | 'older' | 'deep' | 'filtered' | 'object' | 'page2' | 'deepNumbered';

const SCENARIOS: readonly { key: ScenarioKey; label: string; cursorMode: boolean }[] = [
  { key: 'first', label: 'first page', cursorMode: true },
  { key: 'older', label: 'page 2 (Older link, cursor)', cursorMode: true },
  { key: 'deep', label: 'cursor half-way down (500,000 / 500 rows deep)', cursorMode: true },
  { key: 'filtered', label: 'filtered page (?user=)', cursorMode: true },
  { key: 'object', label: 'per-object page (/Post/:id)', cursorMode: true },
  { key: 'page2', label: 'page 2 (?page=2: COUNT + OFFSET)', cursorMode: false },
  { key: 'deepNumbered', label: 'numbered page half-way down (?page=N: OFFSET)', cursorMode: false },
];

if (process.argv[2] === '--serve') await serve(process.argv[3] ?? '', Number(process.argv[4]));
else await main();

// ---------------------------------------------------------------------------------------------
// Parent: databases, child servers, measurements

async function main(): Promise<void> {
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'bench-view-postgres'),
    database: 'postgres',
    settings: SERVER_SETTINGS,
  });
  const children: ChildProcess[] = [];
  try {
    const servers: Ready[] = [];
    for (const rows of SIZES) {
      const url = await freshDatabase(database.url, `timeline_bench_view_${rows}`);
      const { child, ready } = await forkBenchServer<Ready>(fileURLToPath(import.meta.url), ['--serve', url, String(rows)]);
      children.push(child);
      servers.push(ready);
      console.error(
        `${rows.toLocaleString('en')} logs loaded in ${(ready.loadMs / 1000).toFixed(1)} s (${Math.round(rows / (ready.loadMs / 1000)).toLocaleString('en')} rows/s)`,
      );
    }
    const loadBefore = os.loadavg()[0] ?? 0;
    const timings = await measure(servers);
    printTable(servers, timings);
    console.log(
      `\nLoad average (1 min) on ${os.cpus().length} CPUs: ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after measuring.`,
    );
    console.log(`\nEXPLAIN ANALYZE of the cursor page half-way down at ${SIZES[1].toLocaleString('en')} logs:\n${servers[1]?.plan ?? ''}`);
  } finally {
    await Promise.all(children.map(stopBenchServer));
    await database.close();
  }
}

/** One request: the server's own time (Server-Timing) and the client's round trip. */
interface Sample {
  readonly server: number;
  readonly roundTrip: number;
}

type Timings = Map<string, Sample[]>;

async function measure(servers: readonly Ready[]): Promise<Timings> {
  const timings: Timings = new Map();
  // node:http with a keep-alive agent: a lighter client than fetch, so it takes less CPU from the servers.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (server: Ready, key: ScenarioKey): Promise<Sample> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const request = http.get({ host: '127.0.0.1', port: server.port, path: server.paths[key], agent }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => {
          const roundTrip = performance.now() - started;
          if (response.statusCode !== 200) reject(new Error(`${server.paths[key]} answered ${response.statusCode}`));
          const timing = /app;dur=([\d.]+)/.exec(String(response.headers['server-timing'] ?? ''));
          resolve({ server: Number(timing?.[1]), roundTrip });
        });
      });
      request.on('error', reject);
    });
  // Numbered pages are there for contrast; at 1M a deep one takes most of a second, so fewer samples.
  const perRound = (cursorMode: boolean): number => (cursorMode ? PLAN.perRound : 3);
  for (const server of servers) {
    for (const { key, cursorMode } of SCENARIOS)
      for (let index = 0; index < (cursorMode ? PLAN.warmup : 2); index += 1) await get(server, key);
  }
  for (let round = 0; round < PLAN.rounds; round += 1) {
    for (const { key, cursorMode } of SCENARIOS) {
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
        const list = timings.get(`${key}:${server.rows}`) ?? [];
        for (let index = 0; index < perRound(cursorMode); index += 1) list.push(await get(server, key));
        timings.set(`${key}:${server.rows}`, list);
      }
    }
  }
  return timings;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function printTable(servers: readonly Ready[], timings: Timings): void {
  const [small, large] = servers as [Ready, Ready];
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  const count = (rows: number): string => (rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1_000}k`);
  console.log(
    `\nServer response time (Server-Timing; client round trip in brackets), 25 logs per page, ${PLAN.rounds} interleaved rounds: ` +
      `${PLAN.rounds * PLAN.perRound} requests per cursor-mode cell, ${PLAN.rounds * 3} per numbered cell.\n`,
  );
  console.log(
    `| page | ${count(small.rows)}: median | ${count(small.rows)}: p95 | ${count(large.rows)}: median | ${count(large.rows)}: p95 | ${count(large.rows)} / ${count(small.rows)} | target |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---|');
  let failures = 0;
  for (const scenario of SCENARIOS) {
    const a = timings.get(`${scenario.key}:${small.rows}`) ?? [];
    const b = timings.get(`${scenario.key}:${large.rows}`) ?? [];
    const cell = (samples: readonly Sample[], q: number): string =>
      `${ms(
        quantile(
          samples.map((sample) => sample.server),
          q,
        ),
      )} (${ms(
        quantile(
          samples.map((sample) => sample.roundTrip),
          q,
        ),
      )})`;
    const medianA = quantile(
      a.map((sample) => sample.server),
      0.5,
    );
    const medianB = quantile(
      b.map((sample) => sample.server),
      0.5,
    );
    const ratio = medianB / medianA;
    const ok = ratio <= 1.5 && medianB < 5;
    if (scenario.cursorMode && !ok) failures += 1;
    const target = scenario.cursorMode ? (ok ? 'met' : '**missed**') : 'n/a (numbered)';
    console.log(
      `| ${scenario.label} | ${cell(a, 0.5)} | ${cell(a, 0.95)} | ${cell(b, 0.5)} | ${cell(b, 0.95)} | ${ratio.toFixed(2)}x | ${target} |`,
    );
  }
  console.log(
    failures === 0
      ? '\nEvery cursor-mode page met the target (1M within 1.5x of 1k, median under 5 ms).'
      : `\n${failures} cursor-mode page(s) missed the target (1M within 1.5x of 1k, median under 5 ms).`,
  );
}

// ---------------------------------------------------------------------------------------------
// Child: one data set behind one timeline router

async function serve(url: string, rows: number): Promise<void> {
  const sequelize = createSequelize(url, { pool: { max: 10 } });
  await setUpDemoTimeline(sequelize);
  const started = performance.now();
  await loadLogs(sequelize, rows);
  const loadMs = performance.now() - started;
  await sequelize.query(`VACUUM ANALYZE "${TimelineLog.getTableName() as string}"`);

  const paths = await probePaths(sequelize, rows);
  const plan = await explainDeepPage(sequelize, rows);
  const app = express();
  app.use(serverTiming);
  app.use('/timeline', timelineRouter({ public: true }));
  const server = app.listen(0, '127.0.0.1', () => {
    const ready: Ready = { port: (server.address() as AddressInfo).port, rows, loadMs, paths, plan };
    process.send?.(ready);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void sequelize.close().then(() => process.exit(0)));
  });
}

/**
 * Adds `Server-Timing: app;dur=<ms>`: the time from the request's arrival to the moment the
 * response head is written (the router sends its body in the same call).
 */
function serverTiming(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  const started = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied to the response with its own `this` below
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithTiming(this: express.Response, ...args: Parameters<typeof writeHead>) {
    this.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(3)}`);
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
}

/** Users, posts and items, then `rows` logs spread over them with one INSERT ... SELECT. */
async function loadLogs(sequelize: Sequelize, rows: number): Promise<void> {
  const table = TimelineLog.getTableName() as string;
  await sequelize.query(
    `INSERT INTO users (username, email, password_hash, is_staff, is_superuser, is_active, created_at, updated_at)
     SELECT 'user' || n, 'user' || n || '@example.com', 'not-a-password-hash', n = 1, n = 1, true, now(), now() FROM generate_series(1, ${USERS}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO posts (title, body, author_id, created_at, updated_at)
     SELECT 'Post number ' || n, 'Body', NULL, now(), now() FROM generate_series(1, ${POSTS}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO items (name, price, stock, created_at, updated_at)
     SELECT 'Item number ' || n, 9.95, 10, now(), now() FROM generate_series(1, ${ITEMS}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, user_repr, template, extra_data, event)
     SELECT CASE WHEN n % 2 = 0 THEN 'Post' ELSE 'Item' END,
            CASE WHEN n % 2 = 0 THEN (p.ids)[(n / 2) % ${POSTS} + 1] ELSE (i.ids)[(n / 2) % ${ITEMS} + 1] END::text,
            'Object ' || n,
            timestamptz '2026-01-01 00:00:00+00' - n * interval '31 seconds' - (n % 997) * interval '1 microsecond',
            (u.ids)[n % ${USERS} + 1], 'user' || (n % ${USERS} + 1),
            (ARRAY['timeline_logger/created.ejs', 'timeline_logger/updated.ejs', 'timeline_logger/deleted.ejs', 'timeline_logger/default.ejs'])[n % 4 + 1],
            CASE WHEN n % 4 = 1 THEN jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array('Old', 'New'))) END,
            (ARRAY['created', 'updated', 'deleted', 'published'])[n % 4 + 1]
     FROM generate_series(1, ${rows}) AS n,
          (SELECT array_agg(id ORDER BY id) AS ids FROM posts) AS p,
          (SELECT array_agg(id ORDER BY id) AS ids FROM items) AS i,
          (SELECT array_agg(id ORDER BY id) AS ids FROM users) AS u`,
  );
}

/** The URL of every scenario, with real cursors and ids from this data set. */
async function probePaths(sequelize: Sequelize, rows: number): Promise<Record<ScenarioKey, string>> {
  const table = TimelineLog.getTableName() as string;
  const keyAt = async (offset: number): Promise<string> => {
    const [row] = await sequelize.query<{ t: string; id: string }>(
      `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t, id::text AS id
       FROM "${table}" ORDER BY "timestamp" DESC, id DESC OFFSET ${offset} LIMIT 1`,
      { type: QueryTypes.SELECT },
    );
    if (!row) throw new Error(`no log at offset ${offset}`);
    return encodeCursor({ timestamp: row.t, id: row.id });
  };
  const [user] = await sequelize.query<{ id: number }>('SELECT min(id) AS id FROM users', { type: QueryTypes.SELECT });
  const [post] = await sequelize.query<{ id: number }>('SELECT min(id) AS id FROM posts', { type: QueryTypes.SELECT });
  return {
    first: '/timeline/',
    older: `/timeline/?before=${await keyAt(24)}`,
    deep: `/timeline/?before=${await keyAt(rows / 2 - 1)}`,
    filtered: `/timeline/?user=${user?.id}`,
    object: `/timeline/Post/${post?.id}`,
    page2: '/timeline/?page=2',
    deepNumbered: `/timeline/?page=${rows / 2 / 25 + 1}`,
  };
}

/** EXPLAIN ANALYZE of the query the deep cursor page runs. */
async function explainDeepPage(sequelize: Sequelize, rows: number): Promise<string> {
  const table = TimelineLog.getTableName() as string;
  const [row] = await sequelize.query<{ t: string; id: string }>(
    `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t, id::text AS id
     FROM "${table}" ORDER BY "timestamp" DESC, id DESC OFFSET ${rows / 2 - 1} LIMIT 1`,
    { type: QueryTypes.SELECT },
  );
  const statements: string[] = [];
  const options = (sequelize as unknown as { options: { logging: false | ((sql: string) => void) } }).options;
  options.logging = (sql) => statements.push(sql);
  await findTimelinePage(TimelineLog, {
    criteria: {},
    position: { kind: 'before', cursor: { timestamp: row?.t ?? '', id: row?.id ?? '' } },
    perPage: 25,
  });
  options.logging = false;
  const sql = (statements[0] ?? '').replace(/^Executing \([^)]*\): /, '');
  const plan = await sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, { type: QueryTypes.SELECT });
  return plan.map((line) => `    ${line['QUERY PLAN']}`).join('\n');
}
