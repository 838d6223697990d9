import path from 'node:path';
import type { Writable } from 'node:stream';
import type { TimelineRuntime } from '../../model/timeline-log.js';
import type { Locale } from '../../render/locale.js';
import { pluralMsgid } from '../../render/translate.js';
import { SEAL_BATCH_SIZE, SEAL_WAIT_MS, sealTimeline, type SealResult } from '../../seal/seal-timeline.js';
import type { SealBlocker } from '../../seal/settled-through.js';
import { openAnchorFile, type AnchorFileWriter } from '../anchor-file.js';
import { EXIT, type CliCommand, type ExitCode } from '../cli-command.js';
import type { CliContext } from '../cli-context.js';
import { positiveIntegerOption } from '../cli-options.js';
import { fileErrorReason } from '../file-error-reason.js';
import type { ProgressReporter } from '../progress-reporter.js';
import { UsageError } from '../usage-error.js';

/** The flags of `timeline-logger seal`, as commander parses them. */
export interface SealCommandOptions {
  /** `--wait SECONDS`: how long to wait for transactions open when sealing begins. */
  wait?: string;
  /** `--batch-size N`: logs per seal. */
  batchSize?: string;
  /** `--anchor-file FILE`: append the anchor to FILE as one JSON line. */
  anchorFile?: string;
}

/** A validated seal command line. */
export interface SealRequest {
  /** What to pass to `TimelineLog.seal()` (without `onSeal`, which the command sets). */
  readonly seal: { readonly waitMs: number; readonly batchSize?: number };
  /** The file to append the anchor to (relative to the working folder), or null. */
  readonly anchorFile: string | null;
}

/** Where the command writes its report (stdout) and the sessions it waited for (stderr). */
export interface SealIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The folder a relative `--anchor-file` is in. */
  readonly cwd: string;
  /** The language counts are written in (`12,345` or `12.345`). */
  readonly locale: Locale;
  /** A progress display for the logs sealed so far (total unknown). Defaults to none; the CLI passes a bar when stderr is a terminal. */
  readonly progress?: (() => ProgressReporter) | undefined;
}

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

/**
 * `timeline-logger seal [--wait SECONDS] [--batch-size N] [--anchor-file FILE]`: seals every
 * committed, unsealed log (`TimelineLog.seal()`) and prints how many, through which id, and the
 * chain's anchor (`Anchor: <id>:<mac>`) for the operator's own log; `--anchor-file` also appends
 * it to FILE as one JSON line. The key is the config's `sealKey`, else `TIMELINE_SEAL_KEY`. Exit
 * 0 sealed (or nothing new), 1 when transactions open since before the run were still open after
 * `--wait` (each is printed on stderr; nothing new was sealed) or the anchor file cannot be
 * written, 2 usage error.
 *
 * @example
 * ```sh
 * TIMELINE_SEAL_KEY=... timeline-logger seal --anchor-file /var/lib/timeline/anchors.ndjson
 * ```
 */
export const sealCommand: CliCommand = {
  name: 'seal',
  configure(command) {
    command
      .description(
        'Seal every committed, unsealed timeline log into the tamper-evident seal chain, and print its anchor (key: sealKey of the --config options, else TIMELINE_SEAL_KEY).',
      )
      .option('--wait <seconds>', `how long to wait for transactions open when sealing begins (default: ${SEAL_WAIT_MS / 1000})`)
      .option('--batch-size <n>', `logs per seal (default: ${SEAL_BATCH_SIZE})`)
      .option('--anchor-file <file>', 'also append the anchor to this file, one JSON line per run (created with mode 0600)');
  },
  async run(context, input) {
    const request = parseSealRequest(input.options, context.t);
    const session = await context.openSession();
    const progress = context.io.stderr.isTTY === true ? () => context.progress(context.t('Sealing'), null) : undefined;
    try {
      return await runSeal(request, session.TimelineLog.runtime, { ...context.io, locale: context.locale, progress }, context.t);
    } finally {
      await session.close();
    }
  },
};

/**
 * Validates the flags: `--wait` a number of seconds, 0 or more (fractions allowed); `--batch-size`
 * a whole number of at least 1; `--anchor-file` not empty (whether the file can be written is
 * checked before sealing, exit 1).
 *
 * @throws UsageError (exit 2) otherwise.
 * @example
 * ```ts
 * parseSealRequest({ wait: '2.5', anchorFile: 'anchors.ndjson' }, t); // { seal: { waitMs: 2500 }, anchorFile: 'anchors.ndjson' }
 * ```
 */
export function parseSealRequest(options: SealCommandOptions, t: Translate): SealRequest {
  const wait = options.wait === undefined ? null : options.wait.trim();
  if (wait !== null && !/^(\d+(\.\d*)?|\.\d+)$/.test(wait)) {
    throw new UsageError(t('--wait must be a number of seconds, 0 or more (got "{value}").', { value: String(options.wait) }));
  }
  const batchSize = positiveIntegerOption(options.batchSize, '--batch-size');
  if (options.anchorFile !== undefined && options.anchorFile.trim() === '') throw new UsageError(t('--anchor-file needs a file.'));
  return {
    seal: { waitMs: wait === null ? SEAL_WAIT_MS : Math.round(Number(wait) * 1000), ...(batchSize === undefined ? {} : { batchSize }) },
    anchorFile: options.anchorFile ?? null,
  };
}

/**
 * Seals with the setup's `runtime` and prints the outcome. With an anchor file, the file is
 * opened (flag `a`, never truncated) before anything is sealed and the anchor appended after.
 *
 * @returns 0 when sealed (or nothing was new); 1 when open transactions kept the run from sealing,
 * or the anchor file could not be opened (nothing sealed) or written (then the logs are sealed,
 * and the message says so).
 * @example
 * ```ts
 * await runSeal(parseSealRequest({}, t), TimelineLog.runtime, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), locale: 'en' }, t);
 * ```
 */
export async function runSeal(request: SealRequest, runtime: TimelineRuntime, io: SealIo, t: Translate): Promise<ExitCode> {
  let writer: AnchorFileWriter | null = null;
  if (request.anchorFile !== null) {
    const file = path.resolve(io.cwd, request.anchorFile);
    try {
      writer = await openAnchorFile(file);
    } catch (error) {
      io.stderr.write(
        `timeline-logger: ${t('Cannot write the anchor file {file}: {reason}. Nothing was sealed.', { file, reason: fileErrorReason(error, t) })}\n`,
      );
      return EXIT.failure;
    }
  }
  try {
    const result = await sealWithProgress(request.seal, runtime, io);
    io.stdout.write(describeSeal(result, io.locale, t));
    const appended = writer === null || result.anchor === null ? EXIT.success : await appendAnchor(writer, result, runtime, io, t);
    if (result.waitingFor.length > 0) {
      io.stderr.write(describeBlockers(result.waitingFor, request.seal.waitMs, io.locale, t));
      return EXIT.failure;
    }
    return appended;
  } finally {
    await writer?.close();
  }
}

/** Seals, drawing the progress display (when there is one) from the first seal on: no bar while it only waits. */
async function sealWithProgress(seal: SealRequest['seal'], runtime: TimelineRuntime, io: SealIo): Promise<SealResult> {
  const { progress } = io;
  if (progress === undefined) return sealTimeline(runtime, seal);
  const bar: { shown: ProgressReporter | null } = { shown: null };
  const onSeal = (sealedSoFar: number): void => {
    bar.shown ??= progress();
    bar.shown.update(sealedSoFar);
  };
  try {
    return await sealTimeline(runtime, { ...seal, onSeal });
  } finally {
    bar.shown?.stop();
  }
}

/** Appends the run's anchor; a failure is reported (the logs are sealed all the same), not thrown. */
async function appendAnchor(
  writer: AnchorFileWriter,
  result: SealResult,
  runtime: TimelineRuntime,
  io: SealIo,
  t: Translate,
): Promise<ExitCode> {
  try {
    await writer.append({
      anchor: result.anchor as string,
      throughId: result.throughId,
      sealed: result.sealed,
      at: runtime.options.now().toISOString(),
    });
    return EXIT.success;
  } catch (error) {
    io.stderr.write(
      `timeline-logger: ${t('The logs are sealed, but the anchor could not be appended to {file}: {reason}. Keep the anchor printed above.', { file: writer.file, reason: fileErrorReason(error, t) })}\n`,
    );
    return EXIT.failure;
  }
}

/** What was sealed, through which id, and the anchor line. */
function describeSeal(result: SealResult, locale: Locale, t: Translate): string {
  const lines: string[] = [];
  const id = result.throughId;
  if (result.sealed > 0) {
    const count = result.sealed.toLocaleString(locale);
    lines.push(
      t(pluralMsgid(result.sealed, 'Sealed {count} timeline log through id {id}.', 'Sealed {count} timeline logs through id {id}.'), {
        count,
        id: String(id),
      }),
    );
  } else if (id !== null) {
    lines.push(t('Nothing new to seal; sealed through id {id}.', { id }));
  } else {
    lines.push(result.waitingFor.length > 0 ? t('Nothing is sealed yet.') : t('Nothing to seal: the timeline has no logs yet.'));
  }
  if (result.anchor !== null) lines.push(t('Anchor: {anchor}', { anchor: result.anchor }));
  return lines.map((line) => `${line}\n`).join('');
}

/** Why nothing new was sealed: the sessions still open after the wait, one line each. */
function describeBlockers(blockers: readonly SealBlocker[], waitMs: number, locale: Locale, t: Translate): string {
  const count = blockers.length;
  const head = t(
    pluralMsgid(
      count,
      'Nothing new was sealed: {count} transaction open when sealing began was still open after {seconds} s. Its logs and the ones after them will be sealed by a later run once it ends:',
      'Nothing new was sealed: {count} transactions open when sealing began were still open after {seconds} s. Their logs and the ones after them will be sealed by a later run once they end:',
    ),
    { count, seconds: (waitMs / 1000).toLocaleString(locale) },
  );
  const rows = blockers.map((blocker) => {
    const since = blocker.since === null ? t('unknown') : new Date(blocker.since).toISOString();
    return blocker.pid === null
      ? t('  a prepared transaction, since {since}', { since })
      : t('  pid {pid}, open since {since}, {state}', { pid: blocker.pid, since, state: blocker.state ?? t('unknown') });
  });
  return [head, ...rows].map((line) => `${line}\n`).join('');
}
