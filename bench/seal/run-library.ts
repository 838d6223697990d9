import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a library child does once: seal every unsealed log, verify the table, or time the parts of a seal's reading and hashing. */
export type LibraryAction = 'seal' | 'verify' | 'components';

/** What the parent tells a library child (as JSON in its first argument). */
export interface LibraryJob {
  readonly action: LibraryAction;
  readonly url: string;
  /** Whether the timeline table is partitioned (the child sets the library up the same way). */
  readonly partitioned: boolean;
  readonly sealKey: string;
  /** A file to write a V8 CPU profile of the action alone to (start-up left out). Defaults to none. */
  readonly profile?: string;
}

/** Where a pass of `components` spent its time, in milliseconds (see `readComponents`). */
export interface ComponentTimes {
  readonly rows: number;
  /** Waiting for the `SELECT` of each batch, the rows parsed into arrays of text by node-postgres. */
  readonly readMs: number;
  /** `JSON.stringify` of every row's text forms. */
  readonly stringifyMs: number;
  /** A SHA-256 of every string with a hash object per row (`createHash`). */
  readonly hashMs: number;
  /** The same digests by the one-shot `crypto.hash`, as the library makes them. */
  readonly oneShotHashMs: number;
}

/** What a library child reports. */
export interface LibraryReport {
  /** Wall time of the action, in milliseconds (the child's start-up and module loading excluded). */
  readonly ms: number;
  /** The child's CPU time during the action, in milliseconds. */
  readonly cpuMs: number;
  /** RSS before the action, in MB: Node, Sequelize and the library loaded. */
  readonly startRssMb: number;
  /** The child's peak RSS over its whole life (`maxRSS`), in MB. */
  readonly maxRssMb: number;
  /** `seal`: logs sealed; `verify`: logs checked; `components`: rows read. */
  readonly rows: number;
  /** `verify`: whether the table verified intact (always true for the other actions). */
  readonly intact: boolean;
  /** `components` only. */
  readonly components: ComponentTimes | null;
}

const CHILD = fileURLToPath(new URL('./library-child.ts', import.meta.url));

/**
 * Runs `job` in a child process of its own (with this process's loader flags) and returns its
 * report once it has exited: each run starts from a fresh heap, and its peak RSS is its own.
 *
 * @throws Error when the child fails or exits without a report.
 * @example
 * ```ts
 * const report = await runLibrary({ action: 'verify', url, partitioned: false, sealKey });
 * ```
 */
export function runLibrary(job: LibraryJob): Promise<LibraryReport> {
  const child = fork(CHILD, [JSON.stringify(job)], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let report: LibraryReport | null = null;
  child.on('message', (message) => {
    report = message as LibraryReport;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0 && report !== null) resolve(report);
      else reject(new Error(`the ${job.action} child exited with ${String(code)}${report === null ? ' without a report' : ''}`));
    });
  });
}
