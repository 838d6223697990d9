/**
 * `npm run bench:seal [-- --rows N] [--partitioned] [--runs N] [--profile]`: the rates of
 * `TimelineLog.seal()` and `verify()` (issue 15) against PostgreSQL reading the same rows in the
 * same run. Loads N logs (default 1,000,000) with every column filled in (an `extra_data` of
 * 100-200 bytes) over 24 months, on a plain table or, with `--partitioned`, a table partitioned by
 * month; then, each `--runs` times (default 3, medians), interleaved:
 *
 * - verify at N/4 (loaded first and sealed), for its peak RSS next to verify at N;
 * - the first seal of all N logs, against `COPY (SELECT <the same columns> ... ORDER BY id) TO
 *   STDOUT` drained by node and a server-side `sha256` of every row's text, plus one pass timing
 *   the parts of a seal (the read, `JSON.stringify`, SHA-256);
 * - verify of the N sealed logs, against the same baselines;
 * - the per-minute job: `seal()` with nothing new and after 1,000 new logs (10 runs each);
 * - the seals table's size next to the timeline table's.
 *
 * The library runs in a child process per run (fresh heap, its own peak RSS). `--profile` adds
 * one CPU profile each of a seal and a verify. Uses DATABASE_URL when set, else an embedded
 * PostgreSQL in `.data/bench-seal-postgres` (fsync off); about 1.2 GB of disk at 1M logs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../dev/open-database.js';
import { scaleHistory } from './scale/history.js';
import { makeHistoryPartitions } from './scale/load-scale-logs.js';
import { openVariant, SCALE_VARIANTS, type VariantDatabase } from './scale/scale-variant.js';
import { insertSealUsers, loadSealLogs } from './seal/load-seal-logs.js';
import { measurePerMinute } from './seal/measure-per-minute.js';
import { profileSummary } from './seal/profile-summary.js';
import { ReadBaselines } from './seal/read-baselines.js';
import { runLibrary, type LibraryAction, type LibraryReport } from './seal/run-library.js';
import { ROOT } from './support/bench-database.js';
import { interleave, type BenchVariant } from './support/interleave.js';
import { markdownTable } from './support/markdown-table.js';
import { median } from './support/median.js';
import { Samples } from './support/samples.js';
import { serverVersion } from './support/server-version.js';
import { tableBytes } from './support/table-bytes.js';

const ROWS = wholeArgument('--rows', 1_000_000);
const RUNS = wholeArgument('--runs', 3);
const PARTITIONED = process.argv.includes('--partitioned');
const PROFILE = process.argv.includes('--profile');
const SEAL_KEY = 'bench-seal-key-0123456789abcdef-0123456789abcdef';
const FRESH = 1_000;
const PER_MINUTE_RUNS = 10;
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '512MB', max_wal_size: '8GB' };

const samples = new Samples();
const loads = new Map<string, number>();
const reports = new Map<string, LibraryReport[]>();
const rows: string[][] = [];

const history = scaleHistory(new Date());
const server = await openDatabase({
  dataDir: path.join(ROOT, '.data', 'bench-seal-postgres'),
  database: 'postgres',
  settings: SERVER_SETTINGS,
});
try {
  const variant = SCALE_VARIANTS.find((each) => each.name === (PARTITIONED ? 'partitioned' : 'plain'));
  if (variant === undefined) throw new Error('no such variant');
  const database = await openVariant(server.url, variant, () => new Date(), {
    prefix: 'timeline_bench_seal',
    options: { sealKey: SEAL_KEY },
  });
  try {
    await run(database);
  } finally {
    await database.sequelize.close();
  }
} finally {
  await server.close();
}

async function run(database: VariantDatabase): Promise<void> {
  const { sequelize, table } = database;
  const job = (action: LibraryAction): Parameters<typeof runLibrary>[0] => ({
    action,
    url: database.url,
    partitioned: database.partitioned,
    sealKey: SEAL_KEY,
  });
  if (database.partitioned) console.error(`made ${await makeHistoryPartitions(sequelize, table, history)} month partitions`);
  await insertSealUsers(sequelize);
  const quarter = Math.floor(ROWS / 4);
  const progress = (loaded: number): void => console.error(`${loaded.toLocaleString('en')} / ${ROWS.toLocaleString('en')} logs loaded`);
  let loadMs = await loadSealLogs(sequelize, table, { first: 1, last: quarter, total: ROWS }, history, progress);
  await runLibrary(job('seal'));
  await repeat('verify N/4', RUNS, () => runLibrary(job('verify')), quarter);
  loadMs += await loadSealLogs(sequelize, table, { first: quarter + 1, last: ROWS, total: ROWS }, history, progress);
  const seals = `${table}_seals`;
  const baselines = await ReadBaselines.open(sequelize, table);
  try {
    const copy: BenchVariant = { name: 'copy', run: async () => baselines.copyDrain() };
    const hash: BenchVariant = { name: 'hash', run: async () => check('hash', await baselines.serverHash(), ROWS) };
    const library = (name: string, action: LibraryAction, prepare?: () => Promise<unknown>): BenchVariant => ({
      name,
      prepare,
      run: async () => keep(name, check(name, await runLibrary(job(action)), ROWS)),
    });
    console.error('first seal of every log, against the baselines');
    const truncate = (): Promise<unknown> => sequelize.query(`TRUNCATE "${seals}"`);
    await measure('seal', [library('seal', 'seal', truncate), copy, hash, library('components', 'components')]);
    console.error('verify of every log, against the baselines');
    await measure('verify', [library('verify', 'verify'), copy, hash]);
    console.error('the per-minute job');
    const perMinute = await measurePerMinute(sequelize, table, baselines, { nextLog: ROWS + 1, fresh: FRESH, runs: PER_MINUTE_RUNS });
    loads.set('perMinute', os.loadavg()[0] ?? NaN);
    const sealsBytes = await tableBytes(sequelize, seals);
    const logsBytes = await tableBytes(sequelize, table);
    const profiles = PROFILE ? await profileBoth(truncate, job) : [];
    const version = await serverVersion(sequelize);
    report({ loadMs, quarter, perMinute, sealsBytes, logsBytes, version, partitioned: database.partitioned });
    for (const line of profiles) console.log(line);
  } finally {
    baselines.close();
  }
}

/** Runs the variants `RUNS` times interleaved, keeping each one's milliseconds (a child's own, for the library) under `<group>|<variant>`. */
async function measure(group: string, variants: readonly BenchVariant[]): Promise<void> {
  await interleave(variants, RUNS, (variant, cost) => {
    const kept = reports.get(variant.name);
    samples.add(`${group}|${variant.name}`, kept === undefined ? cost.ms : (kept[kept.length - 1] as LibraryReport).ms);
  });
  loads.set(group, os.loadavg()[0] ?? NaN);
}

async function repeat(name: string, times: number, work: () => Promise<LibraryReport>, expected: number): Promise<void> {
  for (let index = 0; index < times; index += 1) keep(name, check(name, await work(), expected));
  loads.set(name, os.loadavg()[0] ?? NaN);
}

function keep(name: string, libraryReport: LibraryReport): void {
  reports.set(name, [...(reports.get(name) ?? []), libraryReport]);
}

function check<T extends LibraryReport | number>(name: string, result: T, expected: number): T {
  const count = typeof result === 'number' ? result : result.rows;
  if (count !== expected || (typeof result !== 'number' && !result.intact))
    throw new Error(
      `${name} handled ${count} logs (expected ${expected})${typeof result !== 'number' && !result.intact ? ', not intact' : ''}`,
    );
  return result;
}

/** One CPU profile each of a first seal and a verify, summarised. */
async function profileBoth(
  truncate: () => Promise<unknown>,
  job: (action: LibraryAction) => Parameters<typeof runLibrary>[0],
): Promise<string[]> {
  const lines: string[] = [];
  for (const action of ['seal', 'verify'] as const) {
    if (action === 'seal') await truncate();
    const folder = await mkdtemp(path.join(os.tmpdir(), 'bench-seal-profile-'));
    try {
      const file = path.join(folder, `${action}.cpuprofile`);
      const profiled = await runLibrary({ ...job(action), profile: file });
      const top = await profileSummary(file, 15);
      lines.push(
        `\nCPU profile of ${action} (${(profiled.ms / 1000).toFixed(1)} s wall, ${(profiled.cpuMs / 1000).toFixed(1)} s CPU), self time:\n`,
      );
      lines.push(
        markdownTable(
          ['function', 'ms', 'share'],
          top.map((line) => [line.name, line.ms.toFixed(0), `${(line.share * 100).toFixed(1)}%`]),
          { right: [1, 2] },
        ),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
  return lines;
}

interface Totals {
  readonly loadMs: number;
  readonly quarter: number;
  readonly perMinute: Awaited<ReturnType<typeof measurePerMinute>>;
  readonly sealsBytes: number;
  readonly logsBytes: number;
  readonly version: string;
  readonly partitioned: boolean;
}

function report(totals: Totals): void {
  const rate = (ms: number, count = ROWS): string => `${Math.round((count * 1000) / ms).toLocaleString('en')} logs/s`;
  const load = (group: string): string => (loads.get(group) ?? NaN).toFixed(2);
  const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const peak = (name: string): string => `${median((reports.get(name) ?? []).map((each) => each.maxRssMb)).toFixed(0)} MB`;
  for (const group of ['seal', 'verify']) {
    const library = samples.median(`${group}|${group}`) as number;
    const what =
      group === 'seal' ? `first seal of ${ROWS.toLocaleString('en')} logs` : `verify of ${ROWS.toLocaleString('en')} sealed logs`;
    rows.push([what, `${rate(library)} (${(library / 1000).toFixed(1)} s)`, '', '', load(group)]);
    for (const [key, label] of [
      ['copy', 'COPY (SELECT same columns ORDER BY id) TO STDOUT, drained by node'],
      ['hash', 'server-side sha256(row::text) of every row, one backend'],
    ] as const) {
      const baseline = samples.median(`${group}|${key}`) as number;
      rows.push([`  vs ${label}`, '', rate(baseline), `${(library / baseline).toFixed(2)}x`, load(group)]);
    }
    rows.push([
      `  ${group}: child process peak RSS (start RSS)`,
      `${peak(group)} (${median((reports.get(group) ?? []).map((each) => each.startRssMb)).toFixed(0)} MB)`,
      '',
      '',
      load(group),
    ]);
  }
  const quarterMs = median((reports.get('verify N/4') ?? []).map((each) => each.ms));
  rows.push([
    `verify of ${totals.quarter.toLocaleString('en')} logs (N/4): rate, peak RSS`,
    `${rate(quarterMs, totals.quarter)}, ${peak('verify N/4')}`,
    '',
    '',
    load('verify N/4'),
  ]);
  const { perMinute } = totals;
  rows.push([
    'per-minute seal(), nothing new',
    ms(perMinute.idleMs),
    `${ms(perMinute.idleBaselineMs)} (SELECT max(id))`,
    `${(perMinute.idleMs / perMinute.idleBaselineMs).toFixed(1)}x`,
    load('perMinute'),
  ]);
  rows.push([
    `per-minute seal(), ${perMinute.fresh.toLocaleString('en')} new logs`,
    ms(perMinute.freshMs),
    `${ms(perMinute.freshBaselineMs)} (SELECT of them)`,
    `${(perMinute.freshMs / perMinute.freshBaselineMs).toFixed(1)}x`,
    load('perMinute'),
  ]);
  const sealed = ROWS + PER_MINUTE_RUNS * FRESH;
  const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  rows.push([
    'seals table / timeline table (with indexes, TOAST)',
    `${mb(totals.sealsBytes)}: ${(totals.sealsBytes / sealed).toFixed(1)} bytes/log`,
    `${mb(totals.logsBytes)}: ${(totals.logsBytes / sealed).toFixed(0)} bytes/log`,
    `${((100 * totals.sealsBytes) / totals.logsBytes).toFixed(1)}%`,
    '',
  ]);

  const cpu = os.cpus();
  console.log(
    `\n${ROWS.toLocaleString('en')} logs (${totals.partitioned ? 'partitioned by month' : 'plain table'}), loaded in ${(totals.loadMs / 1000).toFixed(0)} s; ` +
      `${RUNS} interleaved runs, medians; ${cpu.length} CPUs (${cpu[0]?.model ?? '?'}), PostgreSQL ${totals.version}, fsync off; ` +
      `load average at the end ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' / ')} (1/5/15 min).\n`,
  );
  console.log(
    markdownTable(['measurement', 'library', 'PostgreSQL baseline (same run)', 'library / baseline time', 'load (1 min)'], rows, {
      right: [1, 2, 3, 4],
    }),
  );
  printComponents();
}

/** Where a seal's time goes: the median pass of the components child, per log, next to the whole seal's. */
function printComponents(): void {
  const passes = reports.get('components') ?? [];
  const pick = (field: 'readMs' | 'stringifyMs' | 'hashMs' | 'oneShotHashMs'): number =>
    median(passes.map((each) => each.components?.[field] ?? NaN));
  const seal = samples.median('seal|seal') as number;
  const perLog = (value: number): string => `${((value * 1000) / ROWS).toFixed(2)} µs`;
  const parts: [string, number][] = [
    ['SELECT of a batch, rows parsed by node-postgres (wait)', pick('readMs')],
    ['JSON.stringify of each row', pick('stringifyMs')],
    ['SHA-256 per row, createHash (as the library)', pick('hashMs')],
    ['SHA-256 per row, one-shot crypto.hash', pick('oneShotHashMs')],
  ];
  const explained = pick('readMs') + pick('stringifyMs') + pick('hashMs');
  parts.push(['the rest of seal(): entries, bookkeeping, the seal INSERT, commits', seal - explained]);
  parts.push(['whole first seal (library, median)', seal]);
  console.log('\nWhere a first seal spends its time (components pass, medians):\n');
  console.log(
    markdownTable(
      ['part', 'total', 'per log'],
      parts.map(([label, value]) => [label, `${(value / 1000).toFixed(2)} s`, perLog(value)]),
      { right: [1, 2] },
    ),
  );
}

/** The whole number after `flag`, or `fallback` when the flag is absent. */
function wholeArgument(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(String(process.argv[index + 1]).replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new TypeError(`${flag} must be a whole number of at least 1 (got ${process.argv[index + 1]})`);
  return value;
}
