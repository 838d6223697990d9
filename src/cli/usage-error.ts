import { TimelineLoggerError } from '../errors.js';

/**
 * The command line was used wrongly (a missing or malformed argument or option). The CLI prints
 * the message and exits with code 2.
 *
 * @example
 * ```ts
 * if (!['csv', 'json'].includes(format)) throw new UsageError(`--format must be csv or json (got "${format}")`);
 * ```
 */
export class UsageError extends TimelineLoggerError {}
