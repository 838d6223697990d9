/**
 * A child process of `bench/seal.ts`: sets the library up on the bench's database as an app
 * does, runs one {@link LibraryJob} (its first argument, JSON) and sends its {@link LibraryReport}
 * to the parent. Each run in a process of its own starts from a fresh heap, so its peak RSS is
 * that run's own.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createSequelize } from '../../src/db/connection.js';
import { setupTimeline, TimelineLog, type TimelineOptions } from '../../src/index.js';
import { defineDemoModels } from '../../examples/models.js';
import { processPeakRssMb } from '../support/measure-run.js';
import { readComponents } from './read-components.js';
import type { ComponentTimes, LibraryJob, LibraryReport } from './run-library.js';

const job = JSON.parse(process.argv[2] ?? '{}') as LibraryJob;
const sequelize = createSequelize(job.url, { pool: { max: 2 } });
try {
  const models = defineDemoModels(sequelize);
  const options: TimelineOptions = { userModel: models.User, sealKey: job.sealKey };
  if (job.partitioned) options.partitioning = { interval: 'month' };
  setupTimeline(sequelize, options);
  await sequelize.query('SELECT 1');
  const startRssMb = process.memoryUsage.rss() / 1024 ** 2;
  let rows = 0;
  let intact = true;
  let components: ComponentTimes | null = null;
  const profiler = job.profile === undefined ? null : new Session();
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (job.action === 'seal') {
    rows = (await TimelineLog.seal()).sealed;
  } else if (job.action === 'verify') {
    const result = await TimelineLog.verify();
    rows = result.checked;
    intact = result.intact && result.unsealed === 0;
  } else {
    components = await readComponents(sequelize, TimelineLog.getTableName() as string);
    rows = components.rows;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (profiler !== null) await writeFile(job.profile as string, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const report: LibraryReport = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    startRssMb,
    maxRssMb: processPeakRssMb(),
    rows,
    intact,
    components,
  };
  process.send?.(report);
} finally {
  await sequelize.close();
}
