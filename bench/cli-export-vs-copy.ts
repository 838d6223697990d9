/**
 * The CLI export figure of bench/transfer.ts: `timeline-logger export --format csv` as a user
 * runs it (a process of its own, stdout to /dev/null) against PostgreSQL's own CSV of the same
 * rows (bench/copy-baseline.mjs: `COPY (SELECT ...) TO STDOUT (FORMAT csv)` through
 * pg-copy-streams). Both are timed from spawn to exit, so both include starting Node; the CLI
 * also loads Sequelize and the library, which an empty export shows on its own. Peak RSS is the
 * child's VmHWM, read from /proc while it runs (Linux).
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../bin/timeline-logger.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('copy-baseline.mjs', import.meta.url));

/** One process: wall time from spawn to exit, and its peak resident memory. */
export interface ProcessMeasurement {
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** The three processes of the figure. */
export interface CliExportFigure {
  readonly cli: ProcessMeasurement;
  readonly copy: ProcessMeasurement;
  /** The CLI exporting no rows (`--event` matching none): what starting it costs. */
  readonly cliEmpty: ProcessMeasurement;
}

/**
 * Measures the CLI export, the COPY baseline and the empty CLI export `repeats` times each,
 * interleaved, and returns the medians.
 *
 * @example
 * ```ts
 * const figure = await measureCliExport(url, 3, []);
 * console.log(figure.cli.seconds / figure.copy.seconds);
 * ```
 */
export async function measureCliExport(url: string, repeats: number, nodeFlags: readonly string[]): Promise<CliExportFigure> {
  const runs: Record<keyof CliExportFigure, ProcessMeasurement[]> = { cli: [], copy: [], cliEmpty: [] };
  for (let index = 0; index < repeats; index += 1) {
    runs.copy.push(await runProcess([...nodeFlags, BASELINE], url));
    runs.cli.push(await runProcess([...nodeFlags, CLI, 'export', '--format', 'csv'], url));
    runs.cliEmpty.push(await runProcess([...nodeFlags, CLI, 'export', '--format', 'csv', '--event', 'no such event'], url));
  }
  return { cli: median(runs.cli), copy: median(runs.copy), cliEmpty: median(runs.cliEmpty) };
}

function median(runs: ProcessMeasurement[]): ProcessMeasurement {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as ProcessMeasurement;
}

/**
 * Runs `node <args>` with DATABASE_URL set, stdout to `stdoutFile` (default `/dev/null`), and
 * measures it from spawn to exit; rejects when it exits with another code than `expectedCode`.
 *
 * @example
 * ```ts
 * const run = await runProcess([CLI, 'export', '--format', 'csv'], url, 'logs.csv');
 * ```
 */
export function runProcess(args: readonly string[], url: string, stdoutFile = '/dev/null', expectedCode = 0): Promise<ProcessMeasurement> {
  const devNull = openSync(stdoutFile, 'w');
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', devNull, 'pipe'] });
  let peakKb = 0;
  let stderr = '';
  const poll = setInterval(() => {
    peakKb = Math.max(peakKb, highWaterKb(child.pid));
  }, 10);
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(poll);
      closeSync(devNull);
      if (code !== expectedCode) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ seconds, peakRssMb: peakKb / 1024 });
    });
  });
}

/** VmHWM (peak resident set) of a running process in kB, or 0 once it is gone. */
function highWaterKb(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
