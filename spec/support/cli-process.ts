/** Runs the real `timeline-logger` CLI in a child process (under tsx), as a user would. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** The `--config` file of the CLI specs: the test models on DATABASE_URL, with a `mail` option. */
export const CLI_CONFIG = fileURLToPath(new URL('./config/timeline.config.ts', import.meta.url));

/** What the process did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `timeline-logger ...args` with `env` added to this process's environment. `stdin` is
 * written then closed; `null` gives the process no stdin at all (as under cron).
 */
export function runCliProcess(args: readonly string[], options: { env?: Record<string, string>; stdin?: string | null } = {}): Promise<CliRun> {
  const { env = {}, stdin = null } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
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
