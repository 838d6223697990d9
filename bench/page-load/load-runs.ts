import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { CpuReport, PageDepth, PageLoadReady } from './page-load-server.js';

/** What an endpoint does: the bare keyset query, the page's four statements, or the page itself. */
export type Kind = 'bare' | 'floor' | 'json' | 'html';

/** One server under test: this checkout's, or a baseline checkout's. */
export interface LoadServer {
  readonly name: string;
  readonly ready: PageLoadReady;
  readonly child: ChildProcess;
}

/** One endpoint of one server at one depth. */
export interface Scenario {
  readonly server: LoadServer;
  readonly kind: Kind;
  readonly position: PageDepth;
  readonly label: string;
}

/** One autocannon run of one scenario. */
export interface Run {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** The server's CPU time per request, in milliseconds. */
  readonly cpuMs: number;
}

/** How long and how often each scenario runs. */
export interface LoadPlan {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly rounds: number;
}

/**
 * The URL and headers of a scenario: `/bare/<depth>`, `/floor/<depth>`, or the page
 * (`?before=` the server's deep cursor) with `Accept: application/json` or `text/html`.
 *
 * @example
 * ```ts
 * await fetch(target(scenario).url, { headers: target(scenario).headers });
 * ```
 */
export function target(scenario: Scenario): { url: string; headers: Record<string, string> } {
  const { ready } = scenario.server;
  const base = `http://127.0.0.1:${ready.port}`;
  if (scenario.kind === 'bare' || scenario.kind === 'floor') return { url: `${base}/${scenario.kind}/${scenario.position}`, headers: {} };
  const query = scenario.position === 'deep' ? `?before=${ready.deepCursor}` : '';
  return { url: `${base}/timeline/${query}`, headers: { accept: scenario.kind === 'json' ? 'application/json' : 'text/html' } };
}

/**
 * Checks that every scenario answers 200 with a page of 25 logs before anything is timed.
 *
 * @throws Error naming the scenario that did not.
 * @example
 * ```ts
 * await checkAnswers(scenarios);
 * ```
 */
export async function checkAnswers(scenarios: readonly Scenario[]): Promise<void> {
  for (const scenario of scenarios) {
    const { url, headers } = target(scenario);
    const response = await fetch(url, { headers });
    const body = await response.text();
    const count =
      scenario.kind === 'html'
        ? (body.match(/<li class="entry[ "]/g) ?? []).length
        : (scenario.kind === 'json' ? (JSON.parse(body) as { items: unknown[] }).items : (JSON.parse(body) as unknown[])).length;
    if (response.status !== 200 || count !== 25) throw new Error(`${scenario.label}: ${response.status}, ${count} logs`);
  }
}

/**
 * Drives every scenario with autocannon: one warm-up run each, then `plan.rounds` rounds in an
 * order that rotates by one each round, so machine noise hits every scenario alike. A run with
 * any non-2xx answer, error or timeout fails the bench.
 *
 * @example
 * ```ts
 * const runs = await measureLoad(scenarios, { connections: 20, warmupSeconds: 3, seconds: 5, rounds: 5 });
 * ```
 */
export async function measureLoad(scenarios: readonly Scenario[], plan: LoadPlan): Promise<Map<Scenario, Run[]>> {
  for (const scenario of scenarios) await runOnce(scenario, plan.connections, plan.warmupSeconds);
  const runs = new Map<Scenario, Run[]>(scenarios.map((scenario) => [scenario, []]));
  for (let round = 0; round < plan.rounds; round += 1) {
    const order = scenarios.map((_, index) => scenarios[(index + round) % scenarios.length] as Scenario);
    for (const scenario of order) {
      const run = await runOnce(scenario, plan.connections, plan.seconds);
      runs.get(scenario)?.push(run);
      console.error(`round ${round + 1}/${plan.rounds}: ${scenario.label}: ${Math.round(run.requestsPerSecond)} req/s`);
    }
  }
  return runs;
}

async function runOnce(scenario: Scenario, connections: number, seconds: number): Promise<Run> {
  const { child } = scenario.server;
  const cpuMs = (): Promise<number> =>
    new Promise((resolve) => {
      child.once('message', (report) => resolve((report as CpuReport).cpuMs));
      child.send('cpu');
    });
  const before = await cpuMs();
  const result = await autocannon({ ...target(scenario), connections, duration: seconds });
  const cpu = (await cpuMs()) - before;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${scenario.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const total = result.requests.total;
  return { requestsPerSecond: total / result.duration, p50: result.latency.p50, p99: result.latency.p99, cpuMs: cpu / total };
}
