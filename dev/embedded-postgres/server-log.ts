/**
 * The server's log, `<dataDir>/log/server.log`, and the tail of it that error messages quote.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { chownToServerUser, type ServerUser } from './server-user.js';

const LOG_TAIL_LINES = 20;
/** Logs above this size are truncated when a server starts, so they never grow without bound. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;

/** The server log, opened for appending. */
export interface ServerLog {
  /** A file descriptor to hand to the server as stdout and stderr; the caller closes it. */
  readonly fd: number;
  /** The log's size when opened: what the server writes from now on starts here. */
  readonly offset: number;
}

/**
 * Opens `<dataDir>/log/server.log` for appending (creating it, owned by the server user),
 * truncating it first when it has grown above 8 MiB.
 *
 * @example
 * ```ts
 * const log = openServerLog(dataDir, user);
 * try { spawn(postgres, args, { stdio: ['ignore', log.fd, log.fd] }); } finally { fs.closeSync(log.fd); }
 * ```
 */
export function openServerLog(dataDir: string, user: ServerUser | null): ServerLog {
  const file = serverLogPath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  chownToServerUser(path.dirname(file), user);
  const fd = fs.openSync(file, 'a');
  if (fs.fstatSync(fd).size > MAX_LOG_BYTES) fs.ftruncateSync(fd, 0);
  chownToServerUser(file, user);
  return { fd, offset: fs.fstatSync(fd).size };
}

/**
 * The last 20 lines of the server log written after byte `offset`; `''` when there are none or
 * the log is unreadable.
 *
 * @param offset Defaults to `0` (the whole log).
 * @example
 * ```ts
 * readServerLogTail(dataDir, log.offset); // 'FATAL:  invalid value for parameter "shared_buffers": "banana"'
 * ```
 */
export function readServerLogTail(dataDir: string, offset = 0): string {
  const file = serverLogPath(dataDir);
  try {
    const size = fs.statSync(file).size;
    const start = Math.max(offset, size - 16 * 1024);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, buffer.length, start);
    } finally {
      fs.closeSync(fd);
    }
    return lastLines(buffer.toString('utf8'));
  } catch {
    return '';
  }
}

/**
 * The last 20 lines of `text` (program output), without trailing blank space.
 *
 * @example
 * ```ts
 * lastLines('a\nb\n'); // 'a\nb'
 * ```
 */
export function lastLines(text: string): string {
  return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
}

function serverLogPath(dataDir: string): string {
  return path.join(dataDir, 'log', 'server.log');
}
