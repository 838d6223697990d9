import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { COMMANDS } from '../../src/cli/main.js';
import { ROOT } from '../support/bench-database.js';
import { withPooledClient, type PooledClient } from './pooled-client.js';

/** The conversion of a populated plain table by `timeline-logger partition`, and what a writer felt meanwhile. */
export interface ConversionFigure {
  readonly rows: number;
  /** From spawning the CLI to its exit, in milliseconds (includes starting Node, about 1 s). */
  readonly ms: number;
  readonly exitCode: number | null;
  /** How long the command held the table's lock (from granted to commit), as it reported it; null when it did not say. */
  readonly lockHeldMs: number | null;
  /** The longest a single-row INSERT issued during the conversion waited, in milliseconds: the lock as writers see it. */
  readonly longestWriteMs: number;
  /** The probe's INSERTs that failed (e.g. the table was being swapped), which an app's writes would too. */
  readonly failedWrites: number;
}

const PROBE_EVERY_MS = 20;

/**
 * Whether this build has the `timeline-logger partition` command.
 *
 * @example
 * ```ts
 * if (!hasPartitionCommand()) console.log('conversion: not available in this build');
 * ```
 */
export function hasPartitionCommand(): boolean {
  return COMMANDS.some((command) => command.name === 'partition');
}

/**
 * Converts the populated plain table of the database at `url` with `timeline-logger --config
 * <file> partition --no-input` in a process of its own (the config sets `partitioning: { interval:
 * 'month' }`), while a second connection writes one log every 20 ms and records how long each
 * write waited. Returns null when the build has no `partition` command.
 *
 * @example
 * ```ts
 * const conversion = await measureConversion(sequelize, url, 'timeline_logs');
 * if (conversion === null) console.log('not available in this build');
 * ```
 */
export async function measureConversion(sequelize: Sequelize, url: string, table: string): Promise<ConversionFigure | null> {
  if (!hasPartitionCommand()) return null;
  const config = await writeConfig();
  return withPooledClient(sequelize, async (client) => {
    const counted = await client.query(`SELECT count(*) AS count FROM "${table}"`);
    const probe = startWriteProbe(client, table);
    const started = performance.now();
    const { exitCode, stdout } = await runCli(['--config', config, '--locale', 'en', 'partition', '--no-input'], url);
    const ms = performance.now() - started;
    const writes = await probe.stop();
    const lockSeconds = /Writes waited for the lock for at most (\d+(?:\.\d+)?) s\./.exec(stdout)?.[1];
    const lockHeldMs = lockSeconds === undefined ? null : Number(lockSeconds) * 1000;
    return { rows: Number(counted.rows[0]?.count ?? 0), ms, exitCode, lockHeldMs, ...writes };
  });
}

/** A config module for the CLI: a Sequelize on `SCALE_BENCH_URL` and the partitioned option. */
async function writeConfig(): Promise<string> {
  const folder = path.join(ROOT, '.data', 'scale-bench');
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, 'partition.config.mjs');
  await writeFile(
    file,
    `import { Sequelize } from 'sequelize';\n` +
      `const sequelize = new Sequelize(process.env.SCALE_BENCH_URL, { logging: false });\n` +
      `export default { sequelize, options: { partitioning: { interval: 'month' } } };\n`,
  );
  return file;
}

/** Runs the CLI; its report (stdout) is echoed to stderr and returned. */
function runCli(args: readonly string[], url: string): Promise<{ exitCode: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, SCALE_BENCH_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    process.stderr.write(chunk);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ exitCode: code, stdout })));
}

/** Writes a probe log every {@link PROBE_EVERY_MS} until stopped; reports the longest write and the failures. */
function startWriteProbe(
  client: PooledClient,
  table: string,
): { stop(): Promise<Pick<ConversionFigure, 'longestWriteMs' | 'failedWrites'>> } {
  let running = true;
  let longestWriteMs = 0;
  let failedWrites = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await client.query(`INSERT INTO "${table}" (template, event) VALUES ('timeline_logger/default.ejs', 'scale-bench-probe')`);
      } catch {
        failedWrites += 1;
      }
      longestWriteMs = Math.max(longestWriteMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { longestWriteMs, failedWrites };
    },
  };
}
