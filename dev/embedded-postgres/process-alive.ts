/**
 * Telling whether a process id is in use, for lock and staging files that name their writer.
 */
import { errorCode } from './embedded-postgres-error.js';

/**
 * Whether a process with id `pid` exists (ours or another user's).
 *
 * @example
 * ```ts
 * isProcessAlive(process.pid); // true
 * ```
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
