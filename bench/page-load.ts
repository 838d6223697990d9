/**
 * `npm run bench:page [-- --quick] [-- --cpu-prof]`: the timeline page under load. One server
 * process (the demo's timeline setup, 200,000 logs) serves the page at `/timeline`, a bare
 * endpoint that only sends the page's keyset query through the same Sequelize and answers its
 * 25 rows as JSON, and a floor endpoint that sends all four of the page's statements (that
 * query, the two content types' rows and the users) and answers the same. `autocannon` drives
 * each with 20 connections for a fixed time, on the newest page and on a cursor half-way down.
 * Runs are interleaved over rounds (the order rotating), so machine noise hits every variant
 * alike; the table shows medians: requests per second, p50/p99 latency, the server's CPU time
 * per request, and throughput as a share of the bare endpoint's in the same round (targets:
 * page JSON >= 0.5x, page HTML >= 0.4x; the floor shows what the four statements alone allow).
 *
 * `--cpu-prof` writes a V8 CPU profile of the server to `.data/page-load-profile/`.
 * Uses DATABASE_URL when set (its server gets a database `timeline_bench_page`, wiped on every
 * run), else an embedded PostgreSQL in `.data/bench-page-postgres` (fsync off).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { openDatabase } from '../dev/open-database.js';
import { servePageLoad, type CpuReport, type PageLoadReady, type PageDepth } from './page-load/page-load-server.js';
import { forkBenchServer, stopBenchServer } from './support/bench-server.js';
import { freshDatabase } from './support/fresh-database.js';
import { markdownTable } from './support/markdown-table.js';
import { median } from './support/median.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROWS = 200_000;
const CONNECTIONS = 20;
const QUICK = process.argv.includes('--quick');
const PROFILE = process.argv.includes('--cpu-prof');
const PLAN = QUICK ? { warmupSeconds: 1, seconds: 2, rounds: 1 } : { warmupSeconds: 3, seconds: 5, rounds: 5 };
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '256MB' };
const TARGETS: Readonly<Record<Kind, number | null>> = { bare: null, floor: null, json: 0.5, html: 0.4 };

type Kind = 'bare' | 'floor' | 'json' | 'html';

interface Scenario {
  readonly kind: Kind;
  readonly position: PageDepth;
  readonly label: string;
}

const SCENARIOS: readonly Scenario[] = (['first', 'deep'] as const).flatMap((position) => {
  const where = position === 'first' ? 'newest page' : 'cursor half-way down';
  return [
    { kind: 'bare', position, label: `bare query endpoint, ${where}` },
    { kind: 'floor', position, label: `the page's 4 statements only, ${where}` },
    { kind: 'json', position, label: `page JSON, ${where}` },
    { kind: 'html', position, label: `page HTML, ${where}` },
  ] as const;
});

/** One autocannon run of one scenario. */
interface Run {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** The server's CPU time per request, in milliseconds. */
  readonly cpuMs: number;
}

if (process.argv[2] === '--serve') await servePageLoad(process.argv[3] ?? '', Number(process.argv[4]));
else await main();

async function main(): Promise<void> {
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'bench-page-postgres'),
    database: 'postgres',
    settings: SERVER_SETTINGS,
  });
  let child: ChildProcess | undefined;
  try {
    const url = await freshDatabase(database.url, 'timeline_bench_page');
    const profileArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, '.data', 'page-load-profile')}`] : [];
    const server = await forkBenchServer<PageLoadReady>(fileURLToPath(import.meta.url), ['--serve', url, String(ROWS)], profileArgs);
    child = server.child;
    const { ready } = server;
    console.error(`${ready.rows.toLocaleString('en')} logs loaded in ${(ready.loadMs / 1000).toFixed(1)} s`);
    await checkAnswers(ready);
    const loadBefore = os.loadavg()[0] ?? 0;
    const runs = await measure(ready, server.child);
    printTable(runs);
    console.log(
      `\nLoad average (1 min) on ${os.cpus().length} CPUs: ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after measuring.`,
    );
  } finally {
    if (child) await stopBenchServer(child);
    await database.close();
  }
  if (PROFILE) console.log(`\nCPU profile of the server in ${path.join(ROOT, '.data', 'page-load-profile')}`);
}

function target(ready: PageLoadReady, scenario: Scenario): { url: string; headers: Record<string, string> } {
  const base = `http://127.0.0.1:${ready.port}`;
  if (scenario.kind === 'bare' || scenario.kind === 'floor') return { url: `${base}/${scenario.kind}/${scenario.position}`, headers: {} };
  const query = scenario.position === 'deep' ? `?before=${ready.deepCursor}` : '';
  return { url: `${base}/timeline/${query}`, headers: { accept: scenario.kind === 'json' ? 'application/json' : 'text/html' } };
}

/** Every scenario answers 200 with a page of 25 logs before anything is timed. */
async function checkAnswers(ready: PageLoadReady): Promise<void> {
  for (const scenario of SCENARIOS) {
    const { url, headers } = target(ready, scenario);
    const response = await fetch(url, { headers });
    const body = await response.text();
    const count =
      scenario.kind === 'html'
        ? (body.match(/<li class="entry[ "]/g) ?? []).length
        : (scenario.kind === 'json' ? (JSON.parse(body) as { items: unknown[] }).items : (JSON.parse(body) as unknown[])).length;
    if (response.status !== 200 || count !== 25) throw new Error(`${scenario.label}: ${response.status}, ${count} logs`);
  }
}

async function measure(ready: PageLoadReady, child: ChildProcess): Promise<Map<Scenario, Run[]>> {
  const cpuMs = (): Promise<number> =>
    new Promise((resolve) => {
      child.once('message', (report) => resolve((report as CpuReport).cpuMs));
      child.send('cpu');
    });
  const runOnce = async (scenario: Scenario, seconds: number): Promise<Run> => {
    const before = await cpuMs();
    const result = await autocannon({ ...target(ready, scenario), connections: CONNECTIONS, duration: seconds });
    const cpu = (await cpuMs()) - before;
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${scenario.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
    }
    const total = result.requests.total;
    return { requestsPerSecond: total / result.duration, p50: result.latency.p50, p99: result.latency.p99, cpuMs: cpu / total };
  };
  for (const scenario of SCENARIOS) await runOnce(scenario, PLAN.warmupSeconds);
  const runs = new Map<Scenario, Run[]>(SCENARIOS.map((scenario) => [scenario, []]));
  for (let round = 0; round < PLAN.rounds; round += 1) {
    const order = SCENARIOS.map((_, index) => SCENARIOS[(index + round) % SCENARIOS.length] as Scenario);
    for (const scenario of order) {
      const run = await runOnce(scenario, PLAN.seconds);
      runs.get(scenario)?.push(run);
      console.error(`round ${round + 1}/${PLAN.rounds}: ${scenario.label}: ${Math.round(run.requestsPerSecond)} req/s`);
    }
  }
  return runs;
}

function printTable(runs: Map<Scenario, Run[]>): void {
  const bareOf = (position: PageDepth): Run[] =>
    runs.get(SCENARIOS.find((scenario) => scenario.kind === 'bare' && scenario.position === position) as Scenario) ?? [];
  let missed = 0;
  const rows = SCENARIOS.map((scenario) => {
    const own = runs.get(scenario) ?? [];
    const bare = bareOf(scenario.position);
    const of = (pick: (run: Run) => number): number => median(own.map(pick));
    // Each round's ratio pairs the two runs closest in time; the median of those is the figure.
    const ratio =
      scenario.kind === 'bare' ? 1 : median(own.map((run, index) => run.requestsPerSecond / (bare[index]?.requestsPerSecond ?? NaN)));
    const goal = TARGETS[scenario.kind];
    if (goal !== null && ratio < goal) missed += 1;
    return [
      scenario.label,
      Math.round(of((run) => run.requestsPerSecond)).toLocaleString('en'),
      `${of((run) => run.p50).toFixed(1)} ms`,
      `${of((run) => run.p99).toFixed(1)} ms`,
      `${of((run) => run.cpuMs).toFixed(2)} ms`,
      scenario.kind === 'bare' ? '1' : `${ratio.toFixed(2)}x`,
      goal === null ? '' : `>= ${goal}x ${ratio >= goal ? 'met' : '**missed**'}`,
    ];
  });
  console.log(
    `\n${ROWS.toLocaleString('en')} logs, ${CONNECTIONS} connections, ${PLAN.rounds} interleaved round(s) of ${PLAN.seconds} s per endpoint; medians.\n`,
  );
  console.log(
    markdownTable(['endpoint', 'req/s', 'p50', 'p99', 'server CPU / request', 'vs bare (same round)', 'target'], rows, {
      right: [1, 2, 3, 4, 5],
    }),
  );
  console.log(missed === 0 ? '\nEvery target met.' : `\n${missed} target(s) missed.`);
}
