/**
 * `npm run bench:scale [-- --rows N] [--pages-only] [--page-runs N] [--conversion-only]`: the timeline table at scale (issue 14), plain and, when the
 * build makes one, partitioned by month. For each variant, in a database of its own: loads N logs
 * (default 10,000,000, or `SCALE_ROWS`) spread over 24 months ending now, server-side; then times
 * the newest page and a page 500,000 logs deep as the page queries them against hand-written
 * keyset SQL (20 interleaved runs, medians), `TimelineLog.log` one at a time against a raw
 * prepared INSERT, and removing a month: the oldest by a raw `DELETE` (baseline), the next by
 * `TimelineLog.prune` (which drops the partition on a partitioned table). Then the conversion of
 * the plain table by `timeline-logger partition`, when the build has that command. Prints one
 * markdown table with the same-run baselines and the ratios, and the box it ran on. `--pages-only`
 * loads and times the pages only (no inserts, retention or conversion): the quick loop for page work.
 * `--conversion-only` loads the plain table and times its conversion, nothing else.
 *
 * Uses DATABASE_URL when set (databases `timeline_bench_scale_<variant>` are wiped on every run),
 * else an embedded PostgreSQL in `.data/bench-scale-postgres` (fsync off). A 1M-row variant takes
 * about 0.5 GB of disk.
 */
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../dev/open-database.js';
import { scaleHistory } from './scale/history.js';
import { loadScaleLogs, makeHistoryPartitions, type LoadResult } from './scale/load-scale-logs.js';
import { hasPartitionCommand, measureConversion, type ConversionFigure } from './scale/measure-conversion.js';
import { measureInserts, type InsertFigure } from './scale/measure-inserts.js';
import { measurePages, type PageFigures } from './scale/measure-pages.js';
import { measureRetention, type RetentionFigures } from './scale/measure-retention.js';
import { openVariant, SCALE_VARIANTS } from './scale/scale-variant.js';
import { ROOT } from './support/bench-database.js';
import { markdownTable } from './support/markdown-table.js';
import { tableBytes } from './support/table-bytes.js';
import { serverVersion } from './support/server-version.js';

const ROWS = rowsArgument();
const PAGES_ONLY = process.argv.includes('--pages-only');
/** `--conversion-only`: load the plain table and time its conversion, nothing else. */
const CONVERSION_ONLY = process.argv.includes('--conversion-only');
const DEEP_PAGE = 500_000;
/** Interleaved runs per page figure: `--page-runs N` (more steadies the medians on a busy box). Defaults to 20. */
const PAGE_RUNS = numberArgument('--page-runs') ?? 20;
const INSERTS = 5_000;
/** The target of issue 14: a partitioned page within 1.2x of the plain table's. */
const PAGE_TARGET = 1.2;
const SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '512MB',
  maintenance_work_mem: '256MB',
  max_wal_size: '8GB',
};

/** Everything measured on one variant. */
interface VariantResult {
  readonly load: LoadResult;
  readonly bytes: number;
  readonly pages: PageFigures;
  /** Null with `--pages-only`. */
  readonly inserts: InsertFigure | null;
  /** Null with `--pages-only`. */
  readonly retention: RetentionFigures | null;
}

await main();

async function main(): Promise<void> {
  const history = scaleHistory(new Date());
  const clock = (): Date => history.clock;
  const server = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'bench-scale-postgres'),
    database: 'postgres',
    settings: SERVER_SETTINGS,
  });
  const results = new Map<string, VariantResult>();
  let conversion: ConversionFigure | null = null;
  let version = '?';
  try {
    for (const variant of CONVERSION_ONLY ? SCALE_VARIANTS.filter((each) => !('partitioning' in each.options)) : SCALE_VARIANTS) {
      const database = await openVariant(server.url, variant, clock);
      try {
        version = await serverVersion(database.sequelize);
        if ('partitioning' in variant.options && !database.partitioned) {
          console.error(`${variant.name}: not available in this build`);
          continue;
        }
        if (database.partitioned) {
          const made = await makeHistoryPartitions(database.sequelize, database.table, history);
          console.error(`${variant.name}: made ${made} month partition(s) for the history`);
        }
        const load = await loadScaleLogs(database.sequelize, database.table, ROWS, history, (loaded) =>
          console.error(`${variant.name}: ${loaded.toLocaleString('en')} / ${ROWS.toLocaleString('en')} logs loaded`),
        );
        if (CONVERSION_ONLY) {
          conversion = await measureConversion(database.sequelize, database.url, database.table);
          continue;
        }
        const bytes = await tableBytes(database.sequelize, database.table);
        const pages = await measurePages(database.sequelize, database.table, Math.min(DEEP_PAGE, ROWS), PAGE_RUNS);
        if (PAGES_ONLY) {
          results.set(variant.name, { load, bytes, pages, inserts: null, retention: null });
          continue;
        }
        const inserts = await measureInserts(database.sequelize, database.models, INSERTS);
        const retention = await measureRetention(database.sequelize, database.table, history);
        results.set(variant.name, { load, bytes, pages, inserts, retention });
        if (!database.partitioned) conversion = await measureConversion(database.sequelize, database.url, database.table);
      } finally {
        await database.sequelize.close();
      }
    }
  } finally {
    await server.close();
  }
  if (CONVERSION_ONLY) printConversion(conversion);
  else printResults(results, conversion, version);
}

function printResults(results: ReadonlyMap<string, VariantResult>, conversion: ConversionFigure | null, version: string): void {
  const plain = results.get('plain');
  const partitioned = results.get('partitioned');
  const lines: string[][] = [];
  const add = (label: string, pick: (result: VariantResult) => number, format: (value: number) => string): void => {
    const a = plain === undefined ? NaN : pick(plain);
    const b = partitioned === undefined ? NaN : pick(partitioned);
    lines.push([label, show(a, format), show(b, format), Number.isFinite(b / a) ? `${(b / a).toFixed(2)}x` : 'n/a']);
  };
  const count = (value: number): string => value.toLocaleString('en');
  const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const ratio = (value: number): string => `${value.toFixed(2)}x`;
  const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en')}/s`;
  const seconds = (value: number): string => `${(value / 1000).toFixed(1)} s`;
  add(`load ${ROWS.toLocaleString('en')} logs (INSERT ... SELECT)`, (r) => r.load.loadMs, seconds);
  add('load rate', (r) => (r.load.rows * 1000) / r.load.loadMs, perSecond);
  add('VACUUM ANALYZE after the load', (r) => r.load.analyzeMs, seconds);
  add(
    'table + indexes on disk',
    (r) => r.bytes / 1024 ** 2,
    (value) => `${Math.round(value).toLocaleString('en')} MB`,
  );
  add('oldest month: raw DELETE (baseline)', (r) => r.retention?.rawDelete.ms ?? NaN, ms);
  add('next month: TimelineLog.prune', (r) => r.retention?.prune.ms ?? NaN, ms);
  const removed = (result: VariantResult | undefined): string =>
    result?.retention == null ? 'n/a' : `${count(result.retention.rawDelete.rows)} / ${count(result.retention.prune.rows)}`;
  lines.push(['logs removed by DELETE / by prune', removed(plain), removed(partitioned), '']);
  add('prune / raw DELETE', (r) => (r.retention === null ? NaN : r.retention.prune.ms / r.retention.rawDelete.ms), ratio);
  add('newest page: library (findTimelinePage)', (r) => r.pages.first.libraryMs, ms);
  add('newest page: hand SQL (baseline)', (r) => r.pages.first.handMs, ms);
  add('newest page: library / hand SQL', (r) => r.pages.first.libraryMs / r.pages.first.handMs, ratio);
  add(`page ${Math.min(DEEP_PAGE, ROWS).toLocaleString('en')} logs deep: library`, (r) => r.pages.deep.libraryMs, ms);
  add('deep page: hand SQL (baseline)', (r) => r.pages.deep.handMs, ms);
  add('deep page: library / hand SQL', (r) => r.pages.deep.libraryMs / r.pages.deep.handMs, ratio);
  add(`TimelineLog.log() x ${INSERTS.toLocaleString('en')}, one at a time`, (r) => r.inserts?.libraryPerSecond ?? NaN, perSecond);
  add('prepared INSERT, one at a time (baseline)', (r) => r.inserts?.rawPerSecond ?? NaN, perSecond);
  add('log() / prepared INSERT', (r) => (r.inserts === null ? NaN : r.inserts.libraryPerSecond / r.inserts.rawPerSecond), ratio);

  const load = os.loadavg().map((value) => value.toFixed(2));
  console.log(
    `\n${ROWS.toLocaleString('en')} logs over 24 months; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ` +
      `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, PostgreSQL ${version}, load average ${load.join(' / ')} (1/5/15 min) at the end.\n`,
  );
  console.log(markdownTable(['measurement', 'plain', 'partitioned', 'partitioned / plain'], lines, { right: [1, 2, 3] }));
  if (partitioned === undefined) console.log('\npartitioned: not available in this build');
  else if (plain !== undefined) {
    for (const position of ['first', 'deep'] as const) {
      const factor = partitioned.pages[position].libraryMs / plain.pages[position].libraryMs;
      const verdict = factor <= PAGE_TARGET ? 'met' : '**missed**';
      console.log(
        `\n${position === 'first' ? 'Newest' : 'Deep'} page partitioned / plain: ${factor.toFixed(2)}x (target <= ${PAGE_TARGET}x: ${verdict})`,
      );
    }
  }
  if (!PAGES_ONLY) printConversion(conversion);
}

/** The conversion slot: its figures, or why there are none. */
function printConversion(conversion: ConversionFigure | null): void {
  if (!hasPartitionCommand()) {
    console.log('\nconversion time and lock time (timeline-logger partition): not available in this build');
    return;
  }
  if (conversion === null) {
    console.log('\nconversion time and lock time: not measured (no plain table in this run)');
    return;
  }
  console.log(
    `\nconversion of the plain table (${conversion.rows.toLocaleString('en')} logs) by timeline-logger partition: ` +
      `${(conversion.ms / 1000).toFixed(1)} s (exit ${conversion.exitCode}); lock held ` +
      `${conversion.lockHeldMs === null ? 'n/a' : `${(conversion.lockHeldMs / 1000).toFixed(1)} s`} (as the command reported it); longest wait of a concurrent single-row INSERT ` +
      `${conversion.longestWriteMs.toFixed(0)} ms, ${conversion.failedWrites} failed`,
  );
}

function show(value: number, format: (value: number) => string): string {
  return Number.isFinite(value) ? format(value) : 'n/a';
}

/** The whole number after `flag`, or undefined when the flag is absent. */
function numberArgument(flag: string): number | undefined {
  const index = process.argv.indexOf(flag);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new TypeError(`${flag} must be a whole number of at least 1 (got ${process.argv[index + 1]})`);
  return value;
}

/** `--rows N`, else `SCALE_ROWS`, else 10,000,000. */
function rowsArgument(): number {
  const index = process.argv.indexOf('--rows');
  const given = index >= 0 ? process.argv[index + 1] : process.env.SCALE_ROWS;
  const rows = given === undefined || given === '' ? 10_000_000 : Number(given.replace(/_/g, ''));
  if (!Number.isInteger(rows) || rows < 1_000) throw new TypeError(`--rows must be a whole number of at least 1000 (got ${given})`);
  return rows;
}
