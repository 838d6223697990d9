/** Runs the real `timeline-logger` CLI in a child process (under tsx), as a user would. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** tsx's loader by URL, so the CLI runs from any folder (`--import tsx` resolves only inside the checkout). */
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
/** The `--config` file of the CLI specs: the test models on DATABASE_URL, with a `mail` option. */
export const CLI_CONFIG = fileURLToPath(new URL('./config/timeline.config.ts', import.meta.url));
/** The same with `partitioning: { interval: 'month', premake: 1 }`, for `timeline-logger partition`. */
export const PARTITIONED_CLI_CONFIG = fileURLToPath(new URL('./config/partitioned.config.ts', import.meta.url));

/** What the process did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCliProcess}. */
export interface CliProcessOptions {
  /** Added to this process's environment. Defaults to nothing added. */
  env?: Record<string, string>;
  /** Written to the process's stdin, which is then closed; `null` gives it no stdin at all (as under cron). Defaults to `null`. */
  stdin?: string | null;
  /** The working folder. Defaults to the repository's checkout. */
  cwd?: string;
}

/**
 * Runs `timeline-logger ...args` in a child process and resolves with its exit code and output.
 *
 * @example
 * ```ts
 * const run = await runCliProcess(['--config', CLI_CONFIG, 'prune', '--keep-days', '2'], { env: { DATABASE_URL: db.url } });
 * expect(run.code).toBe(0);
 * ```
 */
export function runCliProcess(args: readonly string[], options: CliProcessOptions = {}): Promise<CliRun> {
  const { env = {}, stdin = null, cwd = ROOT } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd,
      env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...env },
      stdio: [stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== null) child.stdin?.end(stdin);
  });
}
