/**
 * `npm run bench:transfer [-- --quick]`: export and import throughput and memory.
 *
 * Exports 100k and 1M logs to csv, ndjson and xlsx files, and imports 1M ndjson and csv rows
 * into an empty table, each measurement in a child process of its own so its peak RSS
 * (`process.resourceUsage().maxRSS`) belongs to that one job. 100k figures are medians of three
 * repeats; the 1M figures run once (shared machine). Ratios are printed against a baseline
 * measured in the same run: for exports the keyset read alone (rows fetched as text, nothing
 * parsed, formatted or written), for imports PostgreSQL inserting the same rows server-side (INSERT ... SELECT
 * generate_series: no client, no parsing, the same indexes).
 * `--quick` runs 20k and 100k rows only; `--no-build` skips compiling dist/ first; `--heap-cap`
 * caps the children's old space at 96 MB. Each child connects before its clock starts.
 *
 * Then the CLI figure (bench/cli-export-vs-copy.ts): `timeline-logger export --format csv` of 300k
 * and 1M rows (30k and 100k with `--quick`) against `COPY (SELECT ...) TO STDOUT (FORMAT csv)`
 * of the same rows, whole processes with their peak RSS; and the CLI import figure
 * (bench/cli-import-vs-copy.ts): `timeline-logger import` of that csv against `COPY ... FROM
 * STDIN (FORMAT csv)` of the same file into the same emptied table. `--cli-only` runs just those
 * two figures, `--import-only` just the import figure.
 *
 * The table has its three secondary indexes, its primary key and a foreign key from `user_id`
 * to a `users` table of 50 users (as in an app with a user model), so imports check users.
 *
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in `.data/bench-transfer-postgres` (fsync
 * off), in a database `timeline_bench_transfer` that is wiped on every run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sequelize } from 'sequelize';
import { openDatabase } from '../dev/open-database.js';
import { measureCliExport } from './cli-export-vs-copy.js';
import { exportCsv, measureCliImport } from './cli-import-vs-copy.js';
import { createSequelize } from '../src/db/connection.js';
import { migrateTimeline, setupTimeline } from '../src/index.js';
import type { FormatName } from '../src/transfer/formats/format-adapter.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('transfer-child.mjs', import.meta.url));
const QUICK = process.argv.includes('--quick');
const SMALL = QUICK ? 20_000 : 100_000;
const LARGE = QUICK ? 100_000 : 1_000_000;
const REPEATS = 3;
/**
 * The children run with V8's default heap limits, so peak RSS is what an application sees.
 * `--heap-cap` runs them with a 96 MB old-space cap instead (V8 then collects sooner; finishing
 * 1M rows inside the cap shows the live heap does not grow with the row count).
 */
const HEAP_FLAGS = process.argv.includes('--heap-cap') ? ['--max-old-space-size=96'] : [];
const IMPORT_ONLY = process.argv.includes('--import-only');
const CLI_ONLY = IMPORT_ONLY || process.argv.includes('--cli-only');
const CLI_SIZES = QUICK ? [30_000, 100_000] : [300_000, 1_000_000];
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

/** What one child process measured. */
interface Measurement {
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly bytes: number;
}

type Job =
  | { kind: 'read' }
  | { kind: 'insert'; rows: number; sql: string }
  | { kind: 'export'; format: FormatName; file: string }
  | { kind: 'import'; format: FormatName; file: string };

async function parent(): Promise<void> {
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'bench-transfer-postgres'),
    database: 'timeline_bench_transfer',
    settings: SERVER_SETTINGS,
  });
  const sequelize = createSequelize(database.url);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-bench-'));
  try {
    setupTimeline(sequelize, {});
    if (!process.argv.includes('--no-build')) {
      // The children run the compiled library (dist/), so peak RSS is not a TypeScript loader's.
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
        { stdio: 'inherit' },
      );
    }
    await sequelize.query('DROP TABLE IF EXISTS timeline_logs; DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS "SequelizeMeta"');
    await sequelize.query('CREATE TABLE users (id bigint PRIMARY KEY); INSERT INTO users SELECT generate_series(1, 50)');
    await migrateTimeline(sequelize);
    // The bench's setup has no user model, so the migration made user_id a plain column: add the key an app's would have.
    await sequelize.query(
      'ALTER TABLE timeline_logs ADD CONSTRAINT timeline_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE',
    );
    const rows: string[] = [];
    const line = (cells: readonly (string | number)[]): void => {
      rows.push(`| ${cells.join(' | ')} |`);
    };
    line(['job', 'rows', 'rows/s', 'vs baseline', 'peak RSS (MB)', `RSS ${LARGE / 1000}k / ${SMALL / 1000}k`, 'file (MB)']);
    line(['---', '---:', '---:', '---:', '---:', '---:', '---:']);
    const small: Record<string, Measurement> = {};
    for (const size of CLI_ONLY ? [] : [SMALL, LARGE]) {
      await seed(sequelize, size);
      const repeats = size === SMALL ? REPEATS : 1;
      const baseline = await measure({ kind: 'read' }, database.url, repeats);
      report(line, 'keyset read (baseline)', baseline, baseline, small, size);
      for (const format of ['csv', 'ndjson', 'xlsx'] as const) {
        const file = path.join(dir, `logs-${size}.${format}`);
        report(line, `export ${format}`, await measure({ kind: 'export', format, file }, database.url, repeats), baseline, small, size);
      }
      const truncate = () => sequelize.query('TRUNCATE timeline_logs');
      const insertBaseline = await measure({ kind: 'insert', rows: size, sql: INSERT_SQL }, database.url, repeats, truncate);
      report(line, 'server-side INSERT ... SELECT (baseline)', insertBaseline, insertBaseline, small, size);
      for (const format of ['ndjson', 'csv'] as const) {
        const file = path.join(dir, `logs-${size}.${format}`);
        report(
          line,
          `import ${format}`,
          await measure({ kind: 'import', format, file }, database.url, repeats, truncate),
          insertBaseline,
          small,
          size,
        );
      }
    }
    console.log(
      `\nNode ${process.version} ${HEAP_FLAGS.join(' ') || '(default heap limits)'}, ${os.cpus().length} cores (shared: other work was running), load average ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}, ${new Date().toISOString()}\n`,
    );
    if (!CLI_ONLY) console.log(rows.join('\n'));
    if (!IMPORT_ONLY) await cliFigure(sequelize, database.url);
    await cliImportFigure(sequelize, database.url, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sequelize.close();
    await database.close();
  }
}

/** Prints the CLI csv export against COPY TO of the same rows (medians of 3 processes at each size). */
async function cliFigure(sequelize: Sequelize, url: string): Promise<void> {
  const table = [
    '| rows | CLI export csv | COPY TO csv | ratio | CLI peak RSS | COPY peak RSS | CLI exporting nothing |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const size of CLI_SIZES) {
    await seed(sequelize, size);
    const { cli, copy, cliEmpty } = await measureCliExport(url, REPEATS, HEAP_FLAGS);
    const seconds = (value: number): string => `${value.toFixed(2)} s`;
    const mb = (value: number): string => `${value.toFixed(0)} MB`;
    table.push(
      `| ${size.toLocaleString('en')} | ${seconds(cli.seconds)} | ${seconds(copy.seconds)} | ${(cli.seconds / copy.seconds).toFixed(2)}x | ${mb(cli.peakRssMb)} | ${mb(copy.peakRssMb)} | ${seconds(cliEmpty.seconds)}, ${mb(cliEmpty.peakRssMb)} |`,
    );
    process.stderr.write(
      `cli export ${size}: ${cli.seconds.toFixed(2)} s vs COPY ${copy.seconds.toFixed(2)} s, ${cli.peakRssMb.toFixed(0)} MB\n`,
    );
  }
  console.log(`\nCLI \`export --format csv\` vs \`COPY (SELECT ...) TO STDOUT (FORMAT csv)\`, whole processes (stdout to /dev/null):\n`);
  console.log(table.join('\n'));
}

/** Prints the CLI csv import against COPY FROM of the same file (medians of 3 processes at each size). */
async function cliImportFigure(sequelize: Sequelize, url: string, dir: string): Promise<void> {
  const table = [
    '| rows | CLI import csv | COPY FROM csv | ratio | CLI --build-indexes-after-load | ratio | CLI peak RSS | COPY peak RSS | CLI importing nothing |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const size of CLI_SIZES) {
    await seed(sequelize, size);
    const file = path.join(dir, `import-${size}.csv`);
    const emptyFile = path.join(dir, 'import-empty.csv');
    await exportCsv(url, file, emptyFile);
    const { cli, cliDeferred, copy, cliEmpty } = await measureCliImport(url, file, emptyFile, REPEATS, HEAP_FLAGS, () =>
      sequelize.query('TRUNCATE timeline_logs'),
    );
    const seconds = (value: number): string => `${value.toFixed(2)} s`;
    const mb = (value: number): string => `${value.toFixed(0)} MB`;
    table.push(
      `| ${size.toLocaleString('en')} | ${seconds(cli.seconds)} | ${seconds(copy.seconds)} | ${(cli.seconds / copy.seconds).toFixed(2)}x | ${seconds(cliDeferred.seconds)} | ${(cliDeferred.seconds / copy.seconds).toFixed(2)}x | ${mb(Math.max(cli.peakRssMb, cliDeferred.peakRssMb))} | ${mb(copy.peakRssMb)} | ${seconds(cliEmpty.seconds)}, ${mb(cliEmpty.peakRssMb)} |`,
    );
    process.stderr.write(
      `cli import ${size}: ${cli.seconds.toFixed(2)} s vs COPY FROM ${copy.seconds.toFixed(2)} s, ${cli.peakRssMb.toFixed(0)} MB\n`,
    );
  }
  console.log(
    `\nCLI \`import\` of the csv vs \`COPY timeline_logs (...) FROM STDIN (FORMAT csv)\` of the same file, whole processes, into the emptied table (4 indexes, user FK):\n`,
  );
  console.log(table.join('\n'));
}

function report(
  line: (cells: readonly (string | number)[]) => void,
  label: string,
  result: Measurement,
  baseline: Measurement,
  small: Record<string, Measurement>,
  size: number,
): void {
  const rate = result.rows / result.seconds;
  const baseRate = baseline.rows / baseline.seconds;
  if (size === SMALL) small[label] = result;
  const before = small[label];
  const rssRatio = size === LARGE && before ? (result.peakRssMb / before.peakRssMb).toFixed(2) : '';
  line([
    label,
    result.rows.toLocaleString('en'),
    Math.round(rate).toLocaleString('en'),
    (rate / baseRate).toFixed(2),
    result.peakRssMb.toFixed(0),
    rssRatio,
    result.bytes ? (result.bytes / 1e6).toFixed(1) : '',
  ]);
  process.stderr.write(`${label} ${result.rows}: ${Math.round(rate)} rows/s, ${result.peakRssMb.toFixed(0)} MB\n`);
}

/** Runs `job` in `repeats` fresh processes and returns the median by time. */
async function measure(job: Job, url: string, repeats: number, before?: () => Promise<unknown>): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let index = 0; index < repeats; index += 1) {
    await before?.();
    results.push(await runChild(job, url));
  }
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)] as Measurement;
}

function runChild(job: Job, url: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...HEAP_FLAGS, CHILD, JSON.stringify(job)], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(output) as Measurement) : reject(new Error(`${JSON.stringify(job)} exited ${code}`)),
    );
  });
}

/** Fills the table with `size` realistic logs, server-side. */
async function seed(sequelize: Sequelize, size: number): Promise<void> {
  await sequelize.query('TRUNCATE timeline_logs');
  await sequelize.query(INSERT_SQL, { bind: [size] });
  await sequelize.query(`SELECT setval('timeline_logs_id_seq', $1::int)`, { bind: [size] });
  await sequelize.query('VACUUM ANALYZE timeline_logs');
}

/** Realistic logs generated by PostgreSQL: the seed, and the import baseline (no client, no parsing, same indexes). */
const INSERT_SQL = `INSERT INTO timeline_logs (id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data)
  SELECT i, (ARRAY['Post','Item','Invoice'])[1 + i % 3], (i % 5000)::text, 'Object ' || (i % 5000) || ' "quoted", é',
         timestamptz '2020-01-01 00:00:00Z' + i * interval '1.000001 second',
         CASE WHEN i % 4 = 0 THEN NULL ELSE 1 + i % 50 END, CASE WHEN i % 4 = 0 THEN NULL ELSE 'user' || (1 + i % 50) END,
         'timeline_logger/updated.ejs', 'updated',
         jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array('old ' || i, 'new ' || i), 'stock', jsonb_build_array(i % 7, i % 11)))
    FROM generate_series(1, $1::int) AS i`;

await parent();
