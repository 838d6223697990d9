/**
 * The `postgres` processes this process starts: spawned so they never keep the event loop alive
 * nor outlive it, and stopped with escalating signals.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

const STOP_TIMEOUT_MS = 30_000;
/** How long SIGQUIT and then SIGKILL are given when the fast shutdown hangs. */
const ESCALATION_TIMEOUT_MS = 5_000;

/**
 * Servers this process started and has not stopped yet; signalled by the exit hook. Process-wide
 * on purpose: the `exit` event is, too.
 */
const liveServers = new Set<ChildProcess>();

/**
 * Spawns a server process that does not keep the event loop alive and is asked for a fast
 * shutdown (SIGINT) if this process exits before {@link stopServerProcess}. Exit hooks must be
 * synchronous, so the server is signalled and finishes alone.
 *
 * Spawn failures (e.g. `EACCES`) arrive as the child's `error` event: listen for it.
 *
 * @example
 * ```ts
 * const child = spawnServerProcess(programPath(binaries, 'postgres'), ['-D', dataDir], { stdio: 'ignore' });
 * child.on('error', (error) => console.error(error));
 * ```
 */
export function spawnServerProcess(file: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(file, args, options);
  child.unref();
  if (liveServers.size === 0) process.on('exit', signalServersOnExit);
  liveServers.add(child);
  return child;
}

/**
 * Stops a server from {@link spawnServerProcess} and waits until it has exited: fast shutdown
 * (SIGINT, up to 30 s), then immediate shutdown (SIGQUIT), then SIGKILL (5 s each) if it hangs.
 * Returns at once when it has exited already.
 *
 * @example
 * ```ts
 * await stopServerProcess(child);
 * ```
 */
export async function stopServerProcess(child: ChildProcess): Promise<void> {
  await terminate(child);
  liveServers.delete(child);
  if (liveServers.size === 0) process.off('exit', signalServersOnExit);
}

/**
 * Whether `child` has exited, was killed, or never started.
 *
 * @example
 * ```ts
 * if (hasExited(child)) throw new Error(`the server exited (${child.exitCode ?? child.signalCode})`);
 * ```
 */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

async function terminate(child: ChildProcess): Promise<void> {
  const steps = [
    ['SIGINT', STOP_TIMEOUT_MS],
    ['SIGQUIT', ESCALATION_TIMEOUT_MS],
    ['SIGKILL', ESCALATION_TIMEOUT_MS],
  ] as const;
  for (const [signal, waitMs] of steps) {
    if (hasExited(child)) return;
    child.kill(signal);
    if (await waitForExit(child, waitMs)) return;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    child.once('exit', onExit);
  });
}

function signalServersOnExit(): void {
  for (const child of liveServers) if (!hasExited(child)) child.kill('SIGINT');
}
