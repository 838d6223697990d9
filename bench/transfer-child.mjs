// One measurement of bench/transfer.ts, in plain Node on the compiled library (dist/), so the
// peak RSS is the library's and not a TypeScript loader's. Prints { rows, seconds, peakRssMb, bytes }.
import { createWriteStream, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';

const dist = new URL('../dist/', import.meta.url);
const { createSequelize } = await import(new URL('db/connection.js', dist).href);
const { setupTimeline, TimelineLogResource } = await import(new URL('index.js', dist).href);
const { readExportChunks } = await import(new URL('transfer/export-reader.js', dist).href);
const { describeTimelineTable } = await import(new URL('transfer/timeline-table.js', dist).href);

const job = JSON.parse(process.argv[2]);
const sequelize = createSequelize(process.env.DATABASE_URL);
setupTimeline(sequelize, {});
await sequelize.authenticate(); // the connection is the process's cost, not the job's
const started = performance.now();
let rows = 0;
let bytes = 0;
if (job.kind === 'read') {
  const table = await describeTimelineTable(sequelize, 'timeline_logs', null);
  for await (const chunk of readExportChunks(sequelize, table, {}, 2000, { jsonText: true })) rows += chunk.length;
} else if (job.kind === 'insert') {
  await sequelize.query(job.sql, { bind: [job.rows] });
  rows = job.rows;
} else if (job.kind === 'export') {
  const output = createWriteStream(job.file);
  rows = (await new TimelineLogResource().exportTo(output, { format: job.format })).rows;
  output.end();
  await finished(output);
  bytes = statSync(job.file).size;
} else {
  const result = await new TimelineLogResource().import(job.file, { format: job.format, rowDetails: 'problems' });
  if (result.totals.invalid + result.totals.error > 0 || !result.committed) {
    throw new Error(`import had problems: ${JSON.stringify(result.totals)} ${JSON.stringify(result.rows.slice(0, 3))}`);
  }
  rows = result.totals.new;
}
const seconds = (performance.now() - started) / 1000;
await sequelize.close();
process.stdout.write(JSON.stringify({ rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, bytes }));
