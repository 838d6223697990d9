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
 * `--baseline=<checkout>` also serves the page from another checkout of the library (it needs
 * this bench's files under its `bench/`, and its own `node_modules`), with its own bare endpoint
 * on its own database, interleaved with this one: before/after figures from one run.
 * `--cpu-prof` writes a V8 CPU profile of this checkout's server to `.data/page-load-profile/`.
 * Uses DATABASE_URL when set (its server gets a database `timeline_bench_page`, wiped on every
 * run), else an embedded PostgreSQL in `.data/bench-page-postgres` (fsync off).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../dev/open-database.js';
import { checkAnswers, measureLoad, type Kind, type LoadServer, type Run, type Scenario } from './page-load/load-runs.js';
import { servePageLoad, type PageLoadReady } from './page-load/page-load-server.js';
import { forkBenchServer, stopBenchServer } from './support/bench-server.js';
import { freshDatabase } from './support/fresh-database.js';
import { markdownTable } from './support/markdown-table.js';
import { median } from './support/median.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROWS = 200_000;
const QUICK = process.argv.includes('--quick');
const PROFILE = process.argv.includes('--cpu-prof');
const BASELINE = process.argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
const PLAN = { connections: 20, ...(QUICK ? { warmupSeconds: 1, seconds: 2, rounds: 1 } : { warmupSeconds: 3, seconds: 5, rounds: 5 }) };
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '256MB' };
const TARGETS: Readonly<Record<Kind, number | null>> = { bare: null, floor: null, json: 0.5, html: 0.4 };
const LABELS: Readonly<Record<Kind, string>> = {
  bare: 'bare query endpoint',
  floor: "the page's 4 statements only",
  json: 'page JSON',
  html: 'page HTML',
};

if (process.argv[2] === '--serve') await servePageLoad(process.argv[3] ?? '', Number(process.argv[4]));
else await main();

async function main(): Promise<void> {
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'bench-page-postgres'),
    database: 'postgres',
    settings: SERVER_SETTINGS,
  });
  const servers: LoadServer[] = [];
  try {
    const profileArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, '.data', 'page-load-profile')}`] : [];
    servers.push(await startServer('this checkout', fileURLToPath(import.meta.url), database.url, 'timeline_bench_page', profileArgs));
    if (BASELINE !== undefined) {
      const script = path.join(path.resolve(BASELINE), 'bench', 'page-load.ts');
      servers.push(await startServer('baseline', script, database.url, 'timeline_bench_page_baseline', []));
    }
    const scenarios = servers.flatMap(scenariosOf);
    await checkAnswers(scenarios);
    const loadBefore = os.loadavg()[0] ?? 0;
    printTable(scenarios, await measureLoad(scenarios, PLAN));
    console.log(
      `\nLoad average (1 min) on ${os.cpus().length} CPUs: ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after measuring.`,
    );
  } finally {
    for (const server of servers) await stopBenchServer(server.child);
    await database.close();
  }
  if (PROFILE) console.log(`\nCPU profile of the server in ${path.join(ROOT, '.data', 'page-load-profile')}`);
}

async function startServer(name: string, script: string, adminUrl: string, database: string, execArgv: string[]): Promise<LoadServer> {
  const url = await freshDatabase(adminUrl, database);
  const { child, ready } = await forkBenchServer<PageLoadReady>(script, ['--serve', url, String(ROWS)], execArgv);
  console.error(`${name}: ${ready.rows.toLocaleString('en')} logs loaded in ${(ready.loadMs / 1000).toFixed(1)} s`);
  return { name, ready, child };
}

/** The server's endpoints at both depths; a baseline gets no floor (the floor does not depend on the library). */
function scenariosOf(server: LoadServer): Scenario[] {
  const kinds: Kind[] = server.name === 'baseline' ? ['bare', 'json', 'html'] : ['bare', 'floor', 'json', 'html'];
  const suffix = BASELINE === undefined ? '' : ` (${server.name})`;
  return (['first', 'deep'] as const).flatMap((position) =>
    kinds.map((kind) => ({
      server,
      kind,
      position,
      label: `${LABELS[kind]}, ${position === 'first' ? 'newest page' : 'cursor half-way down'}${suffix}`,
    })),
  );
}

function printTable(scenarios: readonly Scenario[], runs: Map<Scenario, Run[]>): void {
  let missed = 0;
  const rows = scenarios.map((scenario) => {
    const own = runs.get(scenario) ?? [];
    const bareScenario = scenarios.find(
      (other) => other.server === scenario.server && other.kind === 'bare' && other.position === scenario.position,
    );
    const bare = (bareScenario && runs.get(bareScenario)) ?? [];
    const of = (pick: (run: Run) => number): number => median(own.map(pick));
    // Each round's ratio pairs the two runs closest in time; the median of those is the figure.
    const ratio =
      scenario.kind === 'bare' ? 1 : median(own.map((run, index) => run.requestsPerSecond / (bare[index]?.requestsPerSecond ?? NaN)));
    const goal = TARGETS[scenario.kind];
    if (goal !== null && ratio < goal && scenario.server.name !== 'baseline') missed += 1;
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
    `\n${ROWS.toLocaleString('en')} logs, ${PLAN.connections} connections, ${PLAN.rounds} interleaved round(s) of ${PLAN.seconds} s per endpoint; medians.\n`,
  );
  console.log(
    markdownTable(['endpoint', 'req/s', 'p50', 'p99', 'server CPU / request', 'vs bare (same round)', 'target'], rows, {
      right: [1, 2, 3, 4, 5],
    }),
  );
  console.log(missed === 0 ? '\nEvery target met.' : `\n${missed} target(s) missed.`);
}
