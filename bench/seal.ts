/**
 * `npm run bench:seal [-- --rows N] [--partitioned] [--runs N] [--profile]`: the rates of
 * `TimelineLog.seal()` and `verify()` (issue 15) against PostgreSQL reading the same rows in the
 * same run. Loads N logs (default 1,000,000) with every column filled in (an `extra_data` of
 * 90-185 bytes) over 24 months, on a plain table or, with `--partitioned`, a table partitioned by
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
 * PostgreSQL in `.data/bench-seal-postgres` (fsync off). The database, `timeline_bench_seal_<variant>`,
 * takes about 1 GB at 1M logs while the bench runs; it is dropped at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../dev/open-database.js';
import { createSequelize } from '../src/db/connection.js';
import { scaleHistory } from './scale/history.js';
import { makeHistoryPartitions } from './scale/load-scale-logs.js';
import { openVariant, SCALE_VARIANTS, type VariantDatabase } from './scale/scale-variant.js';
import { insertSealUsers, loadSealLogs } from './seal/load-seal-logs.js';
import { measurePerMinute } from './seal/measure-per-minute.js';
import { profileSummary } from './seal/profile-summary.js';
import { ReadBaselines } from './seal/read-baselines.js';
import { runLibrary, type LibraryAction, type LibraryReport } from './seal/run-library.js';
import { SealFigures } from './seal/seal-report.js';
import { ROOT } from './support/bench-database.js';
import { interleave, type BenchVariant } from './support/interleave.js';
import { markdownTable } from './support/markdown-table.js';
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

const figures = new SealFigures();

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
    // A million logs take over a gigabyte: give the disk back (the server's folder stays, small).
    await dropDatabase(server.url, `timeline_bench_seal_${variant.name}`);
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
      run: async () => figures.keep(name, check(name, await runLibrary(job(action)), ROWS)),
    });
    console.error('first seal of every log, against the baselines');
    const truncate = (): Promise<unknown> => sequelize.query(`TRUNCATE "${seals}"`);
    await measure('seal', [library('seal', 'seal', truncate), copy, hash, library('components', 'components')]);
    console.error('verify of every log, against the baselines');
    await measure('verify', [library('verify', 'verify'), copy, hash]);
    console.error('the per-minute job');
    const perMinute = await measurePerMinute(sequelize, table, baselines, { nextLog: ROWS + 1, fresh: FRESH, runs: PER_MINUTE_RUNS });
    figures.noteLoad('perMinute');
    const sealsBytes = await tableBytes(sequelize, seals);
    const logsBytes = await tableBytes(sequelize, table);
    const profiles = PROFILE ? await profileBoth(truncate, job) : [];
    const version = await serverVersion(sequelize);
    const sealed = ROWS + PER_MINUTE_RUNS * FRESH;
    const totals = { rows: ROWS, runs: RUNS, quarter, loadMs, perMinute, sealed, sealsBytes, logsBytes, version };
    figures.print({ ...totals, partitioned: database.partitioned });
    for (const line of profiles) console.log(line);
  } finally {
    baselines.close();
  }
}

/** Runs the variants `RUNS` times interleaved, keeping each one's milliseconds (a child's own, for the library) under `<group>|<variant>`. */
async function measure(group: string, variants: readonly BenchVariant[]): Promise<void> {
  await interleave(variants, RUNS, (variant, cost) => {
    const kept = figures.reports(variant.name);
    figures.samples.add(`${group}|${variant.name}`, kept.length === 0 ? cost.ms : (kept[kept.length - 1] as LibraryReport).ms);
  });
  figures.noteLoad(group);
}

async function repeat(name: string, times: number, work: () => Promise<LibraryReport>, expected: number): Promise<void> {
  for (let index = 0; index < times; index += 1) figures.keep(name, check(name, await work(), expected));
  figures.noteLoad(name);
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

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = createSequelize(adminUrl, { pool: { max: 1 } });
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.close();
  }
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
