/**
 * The CLI import figure of bench/transfer.ts: `timeline-logger import <file>.csv` as a user runs
 * it (a process of its own, one transaction, the default batch size) against PostgreSQL loading
 * the same file itself (bench/copy-from-baseline.mjs: `COPY timeline_logs (...) FROM STDIN
 * (FORMAT csv, HEADER true)` through pg-copy-streams), into the same emptied table with the same
 * indexes and user foreign key; also the CLI with `--build-indexes-after-load`. All are timed from spawn to exit with their peak RSS (VmHWM);
 * the CLI importing a header-only file shows what starting it costs.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runProcess, type ProcessMeasurement } from './cli-export-vs-copy.js';

const CLI = fileURLToPath(new URL('../bin/timeline-logger.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('copy-from-baseline.mjs', import.meta.url));

/** The four processes of the figure. */
export interface CliImportFigure {
  readonly cli: ProcessMeasurement;
  /** The CLI with `--build-indexes-after-load`. */
  readonly cliDeferred: ProcessMeasurement;
  readonly copy: ProcessMeasurement;
  /** The CLI importing a file with the header only: what starting it costs. */
  readonly cliEmpty: ProcessMeasurement;
}

/**
 * Writes the table's rows to `file` with the CLI's csv export (the file a user would import),
 * and its header alone to `emptyFile`.
 *
 * @example
 * ```ts
 * await exportCsv(url, '/tmp/logs.csv', '/tmp/empty.csv');
 * ```
 */
export async function exportCsv(url: string, file: string, emptyFile: string): Promise<void> {
  await runProcess([CLI, 'export', '--format', 'csv'], url, file);
  const text = readFileSync(file, 'utf8');
  writeFileSync(emptyFile, text.slice(0, text.indexOf('\n') + 1));
}

/**
 * Measures the COPY baseline, the CLI import (without and with `--build-indexes-after-load`) and the empty CLI import `repeats` times each,
 * interleaved, each into a table `empty()` has just emptied, and returns the medians.
 *
 * @example
 * ```ts
 * const figure = await measureCliImport(url, file, emptyFile, 3, [], () => sequelize.query('TRUNCATE timeline_logs'));
 * console.log(figure.cli.seconds / figure.copy.seconds);
 * ```
 */
export async function measureCliImport(
  url: string,
  file: string,
  emptyFile: string,
  repeats: number,
  nodeFlags: readonly string[],
  empty: () => Promise<unknown>,
): Promise<CliImportFigure> {
  const runs: Record<keyof CliImportFigure, ProcessMeasurement[]> = { cli: [], cliDeferred: [], copy: [], cliEmpty: [] };
  for (let index = 0; index < repeats; index += 1) {
    await empty();
    runs.copy.push(await runProcess([...nodeFlags, BASELINE, file], url));
    await empty();
    runs.cli.push(await runProcess([...nodeFlags, CLI, 'import', file], url));
    await empty();
    runs.cliDeferred.push(await runProcess([...nodeFlags, CLI, 'import', '--build-indexes-after-load', file], url));
    await empty();
    runs.cliEmpty.push(await runProcess([...nodeFlags, CLI, 'import', emptyFile], url));
  }
  return { cli: median(runs.cli), cliDeferred: median(runs.cliDeferred), copy: median(runs.copy), cliEmpty: median(runs.cliEmpty) };
}

function median(runs: ProcessMeasurement[]): ProcessMeasurement {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as ProcessMeasurement;
}
