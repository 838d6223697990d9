import { fork, type ChildProcess } from 'node:child_process';

/** A bench's server in a child process, and what it reported once ready. */
export interface BenchServer<Ready> {
  readonly child: ChildProcess;
  readonly ready: Ready;
}

/**
 * Forks `script` with `args` (and this process's loader flags plus `execArgv`), and waits for
 * the first IPC message it sends: the server's "ready" report (its port, what it loaded). The
 * server runs in its own process, so the load generator never shares its event loop.
 *
 * @throws Error when the child exits before it reports.
 * @example
 * ```ts
 * const { child, ready } = await forkBenchServer<{ port: number }>(fileURLToPath(import.meta.url), ['--serve', url]);
 * ```
 */
export function forkBenchServer<Ready>(
  script: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
): Promise<BenchServer<Ready>> {
  const child = fork(script, [...args], {
    execArgv: [...process.execArgv, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const exited = (code: number | null): void => reject(new Error(`the bench server ${args.join(' ')} exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (ready) => {
      child.off('exit', exited);
      resolve({ child, ready: ready as Ready });
    });
  });
}

/**
 * Sends the child SIGTERM and waits until it has exited.
 *
 * @example
 * ```ts
 * await stopBenchServer(server.child);
 * ```
 */
export async function stopBenchServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
