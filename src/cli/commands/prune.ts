import { PRUNE_BATCH_SIZE, pruneTimelineLogs, type PruneOptions } from '../../model/prune.js';
import { pluralMsgid } from '../../render/translate.js';
import type { TimelineRuntime } from '../../model/timeline-log.js';
import { EXIT, type CliCommand, type ExitCode } from '../cli-command.js';
import type { CliContext } from '../cli-context.js';
import { confirmAtTerminal, type ConfirmIo } from '../confirm-at-terminal.js';
import type { ProgressReporter } from '../progress-reporter.js';
import { positiveIntegerOption } from '../cli-options.js';
import { UsageError } from '../usage-error.js';

/** The flags of `timeline-logger prune`, as commander parses them. */
export interface PruneCommandOptions {
  /** `--keep-days N`: delete logs at least N days old. */
  keepDays?: string;
  /** `--all`: delete every log (asks for confirmation unless `--no-input`). */
  all?: boolean;
  /** `--dry-run`: print how many logs would be deleted, delete nothing. */
  dryRun?: boolean;
  /** `false` with `--no-input`: never prompt. Defaults to `true`. */
  input?: boolean;
  /** `--archive-dir DIR`: write what is deleted to gzip ndjson files in DIR first. */
  archiveDir?: string;
  /** `--batch-size N`: logs per delete (and per archive file). */
  batchSize?: string;
}

/** A validated prune command line. */
export interface PruneRequest {
  /** What to delete (or, with `dryRun`, only count). */
  readonly prune: PruneOptions;
  /** Ask before deleting (`--all` without `--no-input`). */
  readonly confirm: boolean;
}

/** Where the command reads the answer and writes its report, and how it shows progress. */
export interface PruneIo extends ConfirmIo {
  /**
   * A progress display for deleting `total` logs (null: unknown). Defaults to none. The CLI
   * passes a bar on stderr when stderr is a terminal.
   */
  readonly progress?: ((total: number | null) => ProgressReporter) | undefined;
}

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

/**
 * `timeline-logger prune (--keep-days N | --all) [--no-input] [--dry-run] [--archive-dir DIR]
 * [--batch-size N]`: deletes old logs in batches and prints "Successfully deleted N timeline
 * logs."; with `--archive-dir`, each batch is first written to a gzip ndjson file in DIR (one
 * line per file written). `--all` asks first and goes ahead
 * only on `yes` typed at a terminal (a pipe or no stdin cancels) unless `--no-input`; so does `--keep-days 0`. Exit 0 done, 1 cancelled, 2 usage error.
 *
 * @example
 * ```sh
 * timeline-logger prune --keep-days 90
 * timeline-logger prune --all --no-input
 * timeline-logger prune --keep-days 365 --archive-dir /var/backups/timeline
 * ```
 */
export const pruneCommand: CliCommand = {
  name: 'prune',
  configure(command) {
    command
      .description('Delete old timeline logs, in batches.')
      .option('--keep-days <days>', 'delete the logs at least this many days old')
      .option('--all', 'delete every log (asks for confirmation)')
      .option('--no-input', 'do not ask for confirmation')
      .option('--dry-run', 'only print how many logs would be deleted')
      .option('--archive-dir <dir>', 'first write what is deleted to this existing folder, as gzip ndjson files (import reads them back)')
      .option('--batch-size <n>', `logs per delete and per archive file (default: ${PRUNE_BATCH_SIZE})`);
  },
  async run(context, input) {
    const request = parsePruneRequest(input.options, context.t);
    const session = await context.openSession();
    const progress =
      context.io.stderr.isTTY === true ? (total: number | null) => context.progress(context.t('Deleting'), total) : undefined;
    try {
      return await runPrune(request, session.TimelineLog.runtime, { ...context.io, progress }, context.t);
    } finally {
      await session.close();
    }
  },
};

/**
 * Validates the flags: exactly one of `--keep-days N` (a whole number, 0 or more) and `--all`;
 * `--batch-size` a whole number of at least 1; `--archive-dir` not empty (whether the folder is
 * usable is checked by the prune itself, as an ArchiveError, exit 1).
 *
 * @throws UsageError (exit 2) otherwise, with a translated message.
 * @example
 * ```ts
 * parsePruneRequest({ keepDays: '30' }, t); // { prune: { keepDays: 30, dryRun: false }, confirm: false }
 * parsePruneRequest({ keepDays: '30', archiveDir: 'archive', batchSize: '5000' }, t).prune; // { keepDays: 30, dryRun: false, batchSize: 5000, archiveDir: 'archive' }
 * ```
 */
export function parsePruneRequest(options: PruneCommandOptions, t: Translate): PruneRequest {
  const all = options.all === true;
  if ((options.keepDays !== undefined) === all) throw new UsageError(t('Give exactly one of --keep-days N and --all.'));
  const dryRun = options.dryRun === true;
  const batchSize = positiveIntegerOption(options.batchSize, '--batch-size');
  if (options.archiveDir !== undefined && options.archiveDir.trim() === '') throw new UsageError(t('--archive-dir needs a folder.'));
  const how = {
    dryRun,
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(options.archiveDir === undefined ? {} : { archiveDir: options.archiveDir }),
  };
  if (all) return { prune: { all: true, ...how }, confirm: options.input !== false };
  const keepDays = String(options.keepDays).trim();
  if (!/^\d+$/.test(keepDays)) {
    throw new UsageError(t('--keep-days must be a whole number of days, 0 or more (got "{value}").', { value: String(options.keepDays) }));
  }
  // --keep-days 0 deletes everything up to now, as --all does: it asks the same way.
  return { prune: { keepDays: Number(keepDays), ...how }, confirm: Number(keepDays) === 0 && options.input !== false };
}

/**
 * Carries out a validated prune with the setup's `runtime` and prints its outcome.
 *
 * @returns 0 when done (or counted), 1 when the confirmation was refused.
 * @example
 * ```ts
 * await runPrune(parsePruneRequest({ all: true }, t), TimelineLog.runtime, { stdin: process.stdin, stdout: process.stdout }, t);
 * ```
 */
export async function runPrune(request: PruneRequest, runtime: TimelineRuntime, io: PruneIo, t: Translate): Promise<ExitCode> {
  if (request.prune.dryRun === true) {
    const count = await pruneTimelineLogs(runtime, request.prune);
    io.stdout.write(
      `${t(pluralMsgid(count, '{count} timeline log would be deleted (dry run: nothing was deleted).', '{count} timeline logs would be deleted (dry run: nothing was deleted).'), { count })}\n`,
    );
    return EXIT.success;
  }
  if (request.confirm && !(await confirmPruneAll(request.prune, io, t))) {
    io.stdout.write(`${t('Prune cancelled: nothing was deleted.')}\n`);
    return EXIT.failure;
  }
  const prune: PruneOptions =
    request.prune.archiveDir === undefined
      ? request.prune
      : {
          ...request.prune,
          onArchive: (file) =>
            io.stdout.write(
              `${t(pluralMsgid(file.rows, 'Archived {count} timeline log to {file}', 'Archived {count} timeline logs to {file}'), { count: file.rows, file: file.path })}\n`,
            ),
        };
  const count = await deleteWithProgress(prune, runtime, io);
  io.stdout.write(
    `${t(pluralMsgid(count, 'Successfully deleted {count} timeline log.', 'Successfully deleted {count} timeline logs.'), { count })}\n`,
  );
  return EXIT.success;
}

/** Prunes, driving the progress display when there is one (its total costs one count query). */
async function deleteWithProgress(prune: PruneOptions, runtime: TimelineRuntime, io: PruneIo): Promise<number> {
  if (io.progress === undefined) return pruneTimelineLogs(runtime, prune);
  const progress = io.progress(await pruneTimelineLogs(runtime, { ...prune, dryRun: true }));
  try {
    return await pruneTimelineLogs(runtime, { ...prune, onBatch: (done) => progress.update(done) });
  } finally {
    progress.stop();
  }
}

async function confirmPruneAll(prune: PruneOptions, io: PruneIo, t: Translate): Promise<boolean> {
  const warning =
    prune.all === true
      ? t('You have specified "--all", meaning all timeline logs will be deleted.')
      : t('You have specified "--keep-days 0", meaning all timeline logs until now will be deleted.');
  return confirmAtTerminal(
    io,
    { warning, noTerminal: t('There is no terminal to confirm on: pass --no-input to prune without asking.') },
    t,
  );
}
