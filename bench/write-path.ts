/**
 * `npm run bench:write [-- --quick]`: what the library's write path costs next to PostgreSQL
 * doing the same work in the same run.
 *
 * 1. `TimelineLog.log()` called N times vs the same row written N times by a named prepared
 *    `INSERT ... RETURNING id` on one node-postgres client from the pool (the floor); both also
 *    inside one transaction.
 * 2. A tracked `Model.update` of 10,000 rows vs one hand-written statement doing the same work
 *    (lock and read the old values, update, insert one log per row with its change set), and
 *    the untracked `Model.update`; then where the tracked call's time goes, statement by
 *    statement.
 *
 * Each figure is the median of interleaved repeats (the order rotates each repeat, so machine
 * noise hits every variant alike), with Node's CPU time and the peak RSS sampled during the
 * runs (the heap is collected before each run: the script runs with `--expose-gc`). Uses
 * DATABASE_URL when set, else an embedded PostgreSQL in `.data/bench-postgres` (fsync off), in
 * a database `timeline_bench_write` that is wiped on every run.
 */
import { withTimeline } from '../src/index.js';
import { openBenchDatabase } from './support/bench-database.js';
import { interleave } from './support/interleave.js';
import { markdownTable } from './support/markdown-table.js';
import { processPeakRssMb, type RunCost } from './support/measure-run.js';
import { Samples } from './support/samples.js';
import { serverVersion } from './support/server-version.js';
import { createTimelineSchema } from './support/timeline-schema.js';
import { defineArticles, TrackedArticle } from './write-path/articles.js';
import { bulkUpdateVariants, seedArticles, UPDATE_VARIANTS } from './write-path/bulk-update.js';
import { LOG_VARIANTS, logCallVariants } from './write-path/log-calls.js';
import { timeLogSteps, type LogStep } from './write-path/log-steps.js';
import { breakDown, type Breakdown } from './write-path/update-breakdown.js';

const QUICK = process.argv.includes('--quick');
const SIZE = QUICK ? { calls: 300, rows: 1_000, repeats: 3, breakdown: 1 } : { calls: 3_000, rows: 10_000, repeats: 5, breakdown: 3 };
const LOG_TARGET = 1.5;
const UPDATE_TARGET = 1.5;

const database = await openBenchDatabase('timeline_bench_write', { pool: { max: 5 } });
try {
  await main();
} finally {
  await database.close();
}

async function main(): Promise<void> {
  const db = database.sequelize;
  const { models, user } = await createTimelineSchema(db, 'write-path');
  defineArticles(db);
  withTimeline(TrackedArticle);
  const post = await models.Post.create({ title: 'Hello world', body: 'Lorem ipsum', authorId: null });
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'heap collected before each run' : 'no --expose-gc';
  console.log(
    `bench:write ${QUICK ? '(quick) ' : ''}- ${SIZE.repeats} interleaved repeats, medians; ${gc}; PostgreSQL ${await serverVersion(db)}`,
  );

  const costs = new Samples();
  const record = (variant: { name: string }, cost: RunCost): void => {
    costs.add(`${variant.name}|ms`, cost.ms);
    costs.add(`${variant.name}|cpu`, cost.cpuMs);
    costs.add(`${variant.name}|rss`, cost.peakRssMb);
    costs.add(`${variant.name}|rss growth`, cost.rssGrowthMb);
  };

  for (const [calls, repeats] of [
    [50, 1], // warm-up, not recorded
    [SIZE.calls, SIZE.repeats],
  ] as const) {
    const logCalls = await logCallVariants({ sequelize: db, post, user, calls });
    try {
      await interleave(logCalls.variants, repeats, calls === SIZE.calls ? record : () => undefined);
    } finally {
      logCalls.release();
    }
  }
  const steps = await timeLogSteps(db, post, user, SIZE.calls * 5);
  process.stderr.write('  log() calls done\n');

  await seedArticles(db, SIZE.rows);
  const updates = bulkUpdateVariants({ sequelize: db, user, rows: SIZE.rows });
  await interleave(updates, 1, () => undefined); // warm-up, not timed
  await interleave(updates, SIZE.repeats, record);
  process.stderr.write('  bulk updates done\n');
  const breakdown = await breakDown(db, updates, SIZE.breakdown);

  printLogTable(costs);
  printLogSteps(steps);
  printUpdateTable(costs);
  printBreakdown(breakdown);
  console.log(`\nPeak RSS of the whole run: ${processPeakRssMb().toFixed(0)} MB.`);
}

function printLogTable(costs: Samples): void {
  const pairs = [
    ['N sequential calls', LOG_VARIANTS.raw, LOG_VARIANTS.log],
    ['N calls in one transaction', LOG_VARIANTS.rawInTransaction, LOG_VARIANTS.logInTransaction],
  ] as const;
  const perCall = (name: string, what: 'ms' | 'cpu'): number => (costs.median(`${name}|${what}`) as number) / SIZE.calls;
  const rows = pairs.flatMap(([work, floor, library]) => {
    const ratio = perCall(library, 'ms') / perCall(floor, 'ms');
    return [floor, library].map((name) => [
      `${work}: ${name}`,
      `${(perCall(name, 'ms') * 1000).toFixed(0)} µs`,
      Math.round(1000 / perCall(name, 'ms')).toLocaleString('en-US'),
      `${(perCall(name, 'cpu') * 1000).toFixed(0)} µs`,
      rss(costs, name),
      name === floor ? '1.00x (floor)' : `**${ratio.toFixed(2)}x**`,
      name === floor ? '' : ratio <= LOG_TARGET ? `<= ${LOG_TARGET}x: met` : `<= ${LOG_TARGET}x: missed`,
    ]);
  });
  console.log(`\n### TimelineLog.log(): ${SIZE.calls.toLocaleString('en-US')} calls vs a raw prepared INSERT of the same row\n`);
  console.log(
    markdownTable(['work', 'time per call', 'logs/s', 'Node CPU per call', 'peak RSS (+growth)', 'vs floor', 'target'], rows, {
      right: [1, 2, 3, 4, 5],
    }),
  );
}

function printLogSteps(steps: readonly LogStep[]): void {
  console.log(`\nNode time of each step of log(), alone in a loop (µs per call; a lower bound, warmer than in a real call):\n`);
  console.log(
    markdownTable(
      ['step', 'µs per call'],
      steps.map(({ step, microseconds }) => [step, microseconds.toFixed(1)]),
      { right: [1] },
    ),
  );
}

function printUpdateTable(costs: Samples): void {
  const ms = (name: string): number => costs.median(`${name}|ms`) as number;
  const statement = ms(UPDATE_VARIANTS.statement);
  const untracked = ms(UPDATE_VARIANTS.untracked);
  const rows = Object.values(UPDATE_VARIANTS).map((name) => {
    const ratio = ms(name) / statement;
    const target =
      name === UPDATE_VARIANTS.tracked ? (ratio <= UPDATE_TARGET ? `<= ${UPDATE_TARGET}x: met` : `<= ${UPDATE_TARGET}x: missed`) : '';
    return [
      name,
      `${ms(name).toFixed(0)} ms`,
      `${(costs.median(`${name}|cpu`) as number).toFixed(0)} ms`,
      rss(costs, name),
      name === UPDATE_VARIANTS.statement ? '1.00x (floor)' : `**${ratio.toFixed(2)}x**`,
      `${(ms(name) / untracked).toFixed(2)}x`,
      target,
    ];
  });
  console.log(`\n### Model.update of ${SIZE.rows.toLocaleString('en-US')} rows in a transaction\n`);
  console.log(
    markdownTable(['work', 'time', 'Node CPU', 'peak RSS (+growth)', 'vs hand-written', 'vs untracked', 'target'], rows, {
      right: [1, 2, 3, 4, 5],
    }),
  );
}

/** `peak MB (+median growth during a run)`. */
function rss(costs: Samples, name: string): string {
  return `${(costs.max(`${name}|rss`) as number).toFixed(0)} MB (+${(costs.median(`${name}|rss growth`) as number).toFixed(0)})`;
}

function printBreakdown(breakdown: Breakdown): void {
  const names = Object.values(UPDATE_VARIANTS);
  const rows = breakdown.phases.map((phase) => [
    phase,
    ...names.map((name) => {
      const value = breakdown.samples.median(`${phase}|${name}`);
      return value === null ? '' : `${value.toFixed(1)} ms`;
    }),
  ]);
  console.log(
    `\n### Where the time goes (${SIZE.breakdown} more run${SIZE.breakdown === 1 ? '' : 's'} each with statement timing, medians)\n`,
  );
  console.log(markdownTable(['phase', ...names], rows, { right: [1, 2, 3] }));
}
