import path from 'node:path';
import type { Writable } from 'node:stream';
import type { TimelineRuntime } from '../../model/timeline-log.js';
import type { Locale } from '../../render/locale.js';
import { parseAnchor } from '../../seal/chain-check.js';
import { verifyTimeline } from '../../seal/verify-timeline.js';
import { lastAnchorIn } from '../anchor-file.js';
import { EXIT, type CliCommand, type ExitCode } from '../cli-command.js';
import type { CliContext } from '../cli-context.js';
import { fileErrorReason } from '../file-error-reason.js';
import { UsageError } from '../usage-error.js';
import { describeLogProblem, describeSealProblem, describeVerification } from '../verify-report.js';

/** The flags of `timeline-logger verify`, as commander parses them. */
export interface VerifyCommandOptions {
  /** `--anchor ID:MAC`: the anchor `seal` printed. */
  anchor?: string;
  /** `--anchor-file FILE`: the anchor on FILE's last non-empty line. */
  anchorFile?: string;
  /** `--max-problems N`: print at most N problem logs. */
  maxProblems?: string;
}

/** A validated verify command line. */
export interface VerifyRequest {
  /** The anchor to check the chain against (`--anchor`, validated), or null. */
  readonly anchor: string | null;
  /** The file to read the anchor from (relative to the working folder), or null. */
  readonly anchorFile: string | null;
  /** Problem logs printed at most (all are counted); null prints every one. */
  readonly maxProblems: number | null;
}

/** Where the command writes its report, and how it reads paths and writes counts. */
export interface VerifyIo {
  readonly stdout: Writable;
  /** The folder a relative `--anchor-file` is in. */
  readonly cwd: string;
  /** The language counts are written in (`12,345` or `12.345`). */
  readonly locale: Locale;
}

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

/**
 * `timeline-logger verify [--anchor ID:MAC | --anchor-file FILE] [--max-problems N]`: recomputes
 * the seal chain (`TimelineLog.verify()`), prints each problem log as it is found (`log 17:
 * modified ...`), then each problem seal, then a summary (`Intact: ...` or `NOT intact: ...`).
 * The key is the config's `sealKey`, else `TIMELINE_SEAL_KEY`. Exit 0 intact, 1 not intact, 2
 * usage error (both anchor flags, a malformed anchor, an anchor file that cannot be read or holds
 * none, a bad `--max-problems`).
 *
 * @example
 * ```sh
 * TIMELINE_SEAL_KEY=... timeline-logger verify --anchor-file /var/lib/timeline/anchors.ndjson
 * ```
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  configure(command) {
    command
      .description(
        'Check the timeline against its seals: print every modified, missing or unexpected log and every problem seal (key: sealKey of the --config options, else TIMELINE_SEAL_KEY).',
      )
      .option('--anchor <id:mac>', 'the anchor seal printed: also catch seals removed from the end of the chain')
      .option('--anchor-file <file>', "the anchor on this file's last non-empty line (as seal --anchor-file writes it)")
      .option('--max-problems <n>', 'print at most this many problem logs (all are counted)');
  },
  async run(context, input) {
    const request = parseVerifyRequest(input.options, context.t);
    const session = await context.openSession();
    try {
      return await runVerify(request, session.TimelineLog.runtime, { ...context.io, locale: context.locale }, context.t);
    } finally {
      await session.close();
    }
  },
};

/**
 * Validates the flags: at most one of `--anchor` and `--anchor-file`; `--anchor` as `seal`
 * prints it (`<seal id>:<64 hex digits>`); `--anchor-file` not empty; `--max-problems` a whole
 * number, 0 or more.
 *
 * @throws UsageError (exit 2) otherwise, with a translated message.
 * @example
 * ```ts
 * parseVerifyRequest({ anchorFile: 'anchors.ndjson', maxProblems: '100' }, t); // { anchor: null, anchorFile: 'anchors.ndjson', maxProblems: 100 }
 * ```
 */
export function parseVerifyRequest(options: VerifyCommandOptions, t: Translate): VerifyRequest {
  if (options.anchor !== undefined && options.anchorFile !== undefined)
    throw new UsageError(t('Give at most one of --anchor and --anchor-file.'));
  if (options.anchorFile !== undefined && options.anchorFile.trim() === '') throw new UsageError(t('--anchor-file needs a file.'));
  const maxProblems = options.maxProblems === undefined ? null : options.maxProblems.trim();
  if (maxProblems !== null && !/^\d+$/.test(maxProblems)) {
    throw new UsageError(t('--max-problems must be a whole number, 0 or more (got "{value}").', { value: String(options.maxProblems) }));
  }
  return {
    anchor: options.anchor === undefined ? null : validAnchor(options.anchor, '--anchor', t),
    anchorFile: options.anchorFile ?? null,
    maxProblems: maxProblems === null ? null : Number(maxProblems),
  };
}

/**
 * Verifies with the setup's `runtime`, printing each problem log as it is found, then each
 * problem seal and the summary. The library keeps no list of problems here (they are printed),
 * so memory stays the same however many there are.
 *
 * @returns 0 when intact, 1 when not.
 * @throws UsageError when the anchor file cannot be read, holds no anchor, or its last line is not one.
 * @example
 * ```ts
 * await runVerify(parseVerifyRequest({}, t), TimelineLog.runtime, { stdout: process.stdout, cwd: process.cwd(), locale: 'en' }, t);
 * ```
 */
export async function runVerify(request: VerifyRequest, runtime: TimelineRuntime, io: VerifyIo, t: Translate): Promise<ExitCode> {
  const anchor = request.anchorFile === null ? request.anchor : await anchorFromFile(path.resolve(io.cwd, request.anchorFile), t);
  let printed = 0;
  const result = await verifyTimeline(runtime, {
    ...(anchor === null ? {} : { anchor }),
    maxProblems: 0,
    onProblem: (problem) => {
      if (request.maxProblems !== null && printed >= request.maxProblems) return;
      printed += 1;
      io.stdout.write(`${describeLogProblem(problem, t)}\n`);
    },
  });
  const lines = result.sealProblems.map((problem) => describeSealProblem(problem, t));
  io.stdout.write([...lines, ...describeVerification(result, printed, io.locale, t)].map((line) => `${line}\n`).join(''));
  return result.intact ? EXIT.success : EXIT.failure;
}

/** The anchor on the file's last non-empty line, validated. */
async function anchorFromFile(file: string, t: Translate): Promise<string> {
  let anchor: string | null;
  try {
    anchor = await lastAnchorIn(file);
  } catch (error) {
    throw new UsageError(t('Cannot read the anchor file {file}: {reason}.', { file, reason: fileErrorReason(error, t) }), { cause: error });
  }
  if (anchor === null) throw new UsageError(t('The anchor file {file} holds no anchor.', { file }));
  return validAnchor(anchor, t('the last line of {file}', { file }), t);
}

function validAnchor(anchor: string, source: string, t: Translate): string {
  try {
    parseAnchor(anchor);
  } catch {
    throw new UsageError(
      t('{source} must be an anchor as seal prints it, <seal id>:<64 hex digits> (got "{value}").', { source, value: anchor.slice(0, 80) }),
    );
  }
  return anchor.trim();
}
