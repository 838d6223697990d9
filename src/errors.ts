/**
 * Base class of every error timeline-logger throws on purpose.
 *
 * @example
 * ```ts
 * try { await TimelineLog.log(post, { template: 'nope.ejs' }); }
 * catch (err) { if (err instanceof TimelineLoggerError) console.error(err.message); }
 * ```
 */
export class TimelineLoggerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A message template could not be found in any of the searched folders.
 *
 * @example
 * ```ts
 * await TimelineLog.log(post, { template: 'timeline_logger/missing.ejs' });
 * // TemplateNotFoundError: Template "timeline_logger/missing.ejs" not found; searched: ...
 * ```
 */
export class TemplateNotFoundError extends TimelineLoggerError {
  /** The template name that was asked for. */
  readonly template: string;
  /** The folders that were searched, in order. */
  readonly searched: readonly string[];

  constructor(template: string, searched: readonly string[]) {
    super(
      `Template "${template}" not found; searched: ${searched.join(', ')}. ` +
        'Add the file to one of these folders or list its folder in the templateDirs option.',
    );
    this.template = template;
    this.searched = searched;
  }
}

/**
 * timeline-logger was used before it was set up, or set up with invalid options.
 *
 * @example
 * ```ts
 * setupTimeline(sequelize, { paginateBy: 0 });
 * // ConfigurationError: option paginateBy must be a positive integer (got 0)
 * ```
 */
export class ConfigurationError extends TimelineLoggerError {
  /** The model was used before `setupTimeline(sequelize, options)` ran. */
  static notSetUp(): ConfigurationError {
    return new ConfigurationError('TimelineLog is not set up: call setupTimeline(sequelize, options) once at start-up before using it.');
  }

  /** An option has a value of the wrong kind. */
  static invalidOption(name: string, expected: string, got: unknown): ConfigurationError {
    return new ConfigurationError(`option ${name} must be ${expected} (got ${describeValue(got)})`);
  }
}

/**
 * An import could not be carried out (unreadable file, unknown format, invalid rows with
 * `raiseErrors`). Nothing was written when it is thrown.
 */
export class ImportError extends TimelineLoggerError {}

/**
 * An archive file could not be written (`prune` with `archiveDir`): the folder is missing, not
 * a folder or not writable, a write failed, or a file of that name already holds other rows.
 * The prune's transaction is rolled back when it is thrown: the rows it was archiving are still
 * in the table, and no temporary file is left behind.
 *
 * @example
 * ```ts
 * await TimelineLog.prune({ keepDays: 90, archiveDir: '/missing' });
 * // ArchiveError: The archive folder /missing does not exist: create it, or pass another folder.
 * ```
 */
export class ArchiveError extends TimelineLoggerError {
  /** The folder or file the error is about. */
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }

  /** The archive folder cannot be used (missing, not a folder, not writable). */
  static unusableFolder(folder: string, reason: string, cause?: unknown): ArchiveError {
    return new ArchiveError(folder, `The archive folder ${folder} ${reason}: create it, or pass another folder.`, { cause });
  }

  /** A file of the archive's name exists and holds something else: it is never overwritten. */
  static fileExists(file: string): ArchiveError {
    return new ArchiveError(
      file,
      `${file} already exists with other contents: it is never overwritten. Move it away or archive into another folder; nothing was deleted.`,
    );
  }

  /** Writing, syncing or publishing an archive file failed. */
  static writeFailed(file: string, cause: unknown): ArchiveError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new ArchiveError(file, `Cannot write the archive file ${file} (${reason}); nothing was deleted.`, { cause });
  }
}

/** A short, safe description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
