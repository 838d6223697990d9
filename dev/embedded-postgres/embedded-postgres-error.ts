/**
 * The launcher's one error type, and the small helpers that turn other failures into it.
 */
import { TimelineLoggerError } from '../../src/errors.js';

/**
 * Starting, attaching to or using an embedded PostgreSQL failed. The message ends with the last
 * lines of PostgreSQL's own output, which usually name the cause; they are also in `logTail`.
 *
 * @example
 * ```ts
 * try {
 *   await EmbeddedPostgres.start({ dataDir: '.data/postgres', settings: { shared_buffers: 'banana' } });
 * } catch (error) {
 *   if (error instanceof EmbeddedPostgresError) console.error(error.logTail);
 *   // FATAL:  invalid value for parameter "shared_buffers": "banana"
 * }
 * ```
 */
export class EmbeddedPostgresError extends TimelineLoggerError {
  /** The last lines PostgreSQL wrote (server log or initdb output); `''` when it wrote nothing. */
  readonly logTail: string;

  constructor(message: string, logTail = '', options?: ErrorOptions) {
    const tail = logTail.trim();
    super(tail ? `${message}\nPostgreSQL said:\n${indent(tail)}` : message, options);
    this.logTail = tail;
  }
}

/**
 * `error` as an {@link EmbeddedPostgresError}: returned as is when it already is one (PostgreSQL's
 * own failures are wrapped with their log where they happen), otherwise an unexpected file system
 * or connection error wrapped with `dataDir` in its message and `error` as its `cause`.
 *
 * @example
 * ```ts
 * try { fs.mkdirSync(dataDir); } catch (error) { throw asEmbeddedPostgresError(error, dataDir); }
 * // EmbeddedPostgresError: Embedded PostgreSQL on /app/.data/postgres failed: EACCES: permission denied, ...
 * ```
 */
export function asEmbeddedPostgresError(error: unknown, dataDir: string): EmbeddedPostgresError {
  if (error instanceof EmbeddedPostgresError) return error;
  return new EmbeddedPostgresError(`Embedded PostgreSQL on ${dataDir} failed: ${errorMessage(error)}`, '', { cause: error });
}

/**
 * The message of an `Error`, or any other thrown value as a string.
 *
 * @example
 * ```ts
 * errorMessage(new Error('spawn EACCES')); // 'spawn EACCES'
 * errorMessage('boom'); // 'boom'
 * ```
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The string `code` of a Node system error (`'EPERM'`) or a `pg` error (a SQLSTATE such as
 * `'42P04'`); `undefined` for anything else.
 *
 * @example
 * ```ts
 * errorCode(Object.assign(new Error('kill EPERM'), { code: 'EPERM' })); // 'EPERM'
 * ```
 */
export function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
