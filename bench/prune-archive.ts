/**
 * `npm run bench:prune-archive [-- --quick]`: what archiving costs a prune, next to the plain
 * batched `DELETE` of the same rows in the same run.
 *
 * Each repeat loads the same N logs (realistic text and an `extra_data` change set), vacuums,
 * then prunes them all in batches of 10,000, either with `archiveDir` (per batch: one
 * `COPY (WITH lock, DELETE ... RETURNING) TO STDOUT` through the ndjson rewriter and gzip into
 * a file that is fsynced and linked before the delete commits) or without (the plain batched
 * `DELETE`). The two alternate, first one then the other, and the figures are medians. Uses
 * DATABASE_URL when set, else an embedded PostgreSQL in `.data/bench-postgres` (fsync off, so
 * the database side is cheaper than on a durable server; the archive's own fsyncs are real),
 * in a database `timeline_bench_prune_archive` that is wiped on every run.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrateTimeline, setupTimeline } from '../src/index.js';
import { createSequelize } from '../src/db/connection.js';
import { openBenchDatabase } from './support/bench-database.js';
import { freshDatabase } from './support/fresh-database.js';
import { markdownTable } from './support/markdown-table.js';
import { median } from './support/median.js';
import { serverVersion } from './support/server-version.js';

const QUICK = process.argv.includes('--quick');
const ROWS = QUICK ? 20_000 : 200_000;
const REPEATS = QUICK ? 1 : 3;
const BATCH = 10_000;

const database = await openBenchDatabase('postgres');
const url = await freshDatabase(database.url, 'timeline_bench_prune_archive');
const db = createSequelize(url, { pool: { max: 3 } });
try {
  await main();
} finally {
  await db.close();
  await database.close();
}

async function main(): Promise<void> {
  const TimelineLog = setupTimeline(db, {});
  await migrateTimeline(db);
  console.log(
    `bench:prune-archive ${QUICK ? '(quick) ' : ''}- ${ROWS} rows, batches of ${BATCH}, ${REPEATS} repeats each, medians; PostgreSQL ${await serverVersion(db)}`,
  );
  const plain: number[] = [];
  const archived: number[] = [];
  const sizes: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    for (const variant of repeat % 2 === 0 ? (['archive', 'plain'] as const) : (['plain', 'archive'] as const)) {
      await seed();
      if (variant === 'plain') {
        const started = performance.now();
        const deleted = await TimelineLog.prune({ all: true, batchSize: BATCH });
        plain.push(check(deleted, performance.now() - started));
        continue;
      }
      const folder = await mkdtemp(path.join(os.tmpdir(), 'timeline-bench-archive-'));
      try {
        const started = performance.now();
        const deleted = await TimelineLog.prune({ all: true, batchSize: BATCH, archiveDir: folder });
        archived.push(check(deleted, performance.now() - started));
        const files = await readdir(folder);
        sizes.push((await Promise.all(files.map(async (file) => (await stat(path.join(folder, file))).size))).reduce((a, b) => a + b, 0));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }
  }
  const plainMs = median(plain);
  const archiveMs = median(archived);
  const rate = (ms: number): string => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')}`;
  console.log(
    markdownTable(
      ['prune of all rows', 'ms (median)', 'rows/s', 'vs plain'],
      [
        ['plain batched DELETE', plainMs.toFixed(0), rate(plainMs), '1.00x'],
        ['with archiveDir (gzip ndjson)', archiveMs.toFixed(0), rate(archiveMs), `${(archiveMs / plainMs).toFixed(2)}x`],
      ],
      { right: [1, 2, 3] },
    ),
  );
  const bytes = median(sizes);
  console.log(`archive: ${(bytes / 1024 / 1024).toFixed(1)} MB for ${ROWS} rows (${(bytes / ROWS).toFixed(0)} bytes a row, gzip)`);
  console.log(`runs (ms): plain ${plain.map((ms) => ms.toFixed(0)).join(', ')}; archive ${archived.map((ms) => ms.toFixed(0)).join(', ')}`);
}

function check(deleted: number, ms: number): number {
  if (deleted !== ROWS) throw new Error(`pruned ${deleted} rows, expected ${ROWS}`);
  return ms;
}

/** The same N logs every time: a year of history, texts and a change set per row. */
async function seed(): Promise<void> {
  await db.query('TRUNCATE timeline_logs RESTART IDENTITY');
  await db.query(
    `INSERT INTO timeline_logs (content_type, object_id, object_repr, timestamp, user_repr, template, event, extra_data)
     SELECT 'Post', (g % 5000)::text, 'Post number ' || (g % 5000) || ': a title of some length',
            timestamptz '2025-01-01' + g * interval '2 minutes', 'user' || (g % 50),
            'timeline_logger/updated.ejs', 'updated',
            jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array('old title ' || g, 'new title ' || g), 'views', jsonb_build_array(g, g + 1)))
       FROM generate_series(1, $1) AS g`,
    { bind: [ROWS] },
  );
  await db.query('VACUUM ANALYZE timeline_logs');
}
