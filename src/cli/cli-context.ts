import type { Readable, Writable } from 'node:stream';
import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import { createProgressReporter, type ProgressReporter } from './progress-reporter.js';
import { openTimelineSession, type TimelineSession } from './timeline-session.js';

/** A stream that may be a terminal. */
export type MaybeTty<S> = S & { isTTY?: boolean };

/** The process's streams and environment, injected so tests can run the CLI in-process. */
export interface CliIo {
  readonly stdin: MaybeTty<Readable>;
  readonly stdout: MaybeTty<Writable>;
  readonly stderr: MaybeTty<Writable>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The global options every command accepts. */
export interface GlobalOptions {
  /** `--config <file>`. */
  readonly config?: string | undefined;
  /** `--locale <locale>`, already parsed. */
  readonly locale: Locale;
}

/**
 * What a command works with: the streams (data to `stdout`, diagnostics and progress to
 * `stderr`), translated messages, and the database session.
 *
 * @example
 * ```ts
 * context.log(context.t('Imported {count} rows.', { count: 3 }));
 * ```
 */
export interface CliContext {
  readonly io: CliIo;
  readonly locale: Locale;
  /** `msgid` translated into the run's locale, with `{name}` placeholders filled. */
  readonly t: (msgid: string, params?: Readonly<Record<string, string | number>>) => string;
  /** Writes one diagnostic line to stderr. */
  log(message: string): void;
  /**
   * Opens the database (`--config`, else `DATABASE_URL`, else in a checkout the demo's) with the
   * library set up; `TIMELINE_SEAL_KEY` is the seal key when the config sets no `sealKey`.
   */
  openSession(): Promise<TimelineSession>;
  /** A progress bar on stderr, shown only when stderr is a terminal. */
  progress(label: string, total: number | null): ProgressReporter;
}

/**
 * Builds the context of one command run.
 *
 * @example
 * ```ts
 * const context = createCliContext(io, { locale: 'nl' });
 * ```
 */
export function createCliContext(io: CliIo, globals: GlobalOptions): CliContext {
  return {
    io,
    locale: globals.locale,
    t: (msgid, params) => translate(globals.locale, msgid, params),
    log: (message) => {
      io.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
    },
    openSession: () =>
      openTimelineSession({
        configFile: globals.config,
        databaseUrl: io.env.DATABASE_URL,
        sealKey: io.env.TIMELINE_SEAL_KEY,
        cwd: io.cwd,
      }),
    progress: (label, total) => createProgressReporter(io.stderr, label, total),
  };
}
