import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { TimelineLog } from '../../model/timeline-log.js';
import { countPrunableTimelineLogs, type PruneOptions } from '../../model/prune.js';
import { translate, type Locale } from '../../render/i18n.js';

/** The flags of `timeline-logger prune`, as commander parses them. */
export interface PruneCommandOptions {
  /** `--keep-days N`: delete logs older than N days. */
  keepDays?: string;
  /** `--all`: delete every log (asks for confirmation unless `--no-input`). */
  all?: boolean;
  /** `--dry-run`: print how many logs would be deleted, delete nothing. */
  dryRun?: boolean;
  /** `false` with `--no-input`: never prompt. Defaults to `true`. */
  input?: boolean;
}

/** Where a command reads and writes, and in which language. */
export interface PruneCommandIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly locale: Locale;
}

type Translate = (msgid: string, params?: Readonly<Record<string, string | number>>) => string;

/** The only answer that confirms `prune --all` (surrounding spaces ignored): as upstream, exactly `yes`. */
export const PRUNE_CONFIRMATION = 'yes';

/**
 * `timeline-logger prune (--keep-days N | --all) [--no-input] [--dry-run]`: deletes old logs in
 * batches and prints "Successfully deleted N timeline logs.". `--all` asks for confirmation and
 * goes ahead only on `yes` (a closed stdin cancels) unless `--no-input`.
 *
 * @returns the exit code: 0 done, 1 cancelled, 2 usage error.
 * @example
 * ```ts
 * const code = await runPruneCommand({ keepDays: '90' }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, locale: 'en' });
 * ```
 */
export async function runPruneCommand(options: PruneCommandOptions, io: PruneCommandIo): Promise<number> {
  const t: Translate = (msgid, params) => translate(io.locale, msgid, params);
  const parsed = pruneOptionsOf(options, t);
  if (typeof parsed === 'string') {
    io.stderr.write(`${parsed}\n`);
    return 2;
  }
  if (options.dryRun === true) {
    const count = await countPrunableTimelineLogs(TimelineLog, TimelineLog.runtime.options.now(), parsed);
    io.stdout.write(`${t('{count} timeline logs would be deleted (dry run: nothing was deleted).', { count })}\n`);
    return 0;
  }
  if (parsed.all === true && options.input !== false && !(await confirmPruneAll(io, t))) {
    io.stdout.write(`${t('Prune cancelled: nothing was deleted.')}\n`);
    return 1;
  }
  const count = await TimelineLog.prune(parsed);
  io.stdout.write(`${t('Successfully deleted {count} timeline logs.', { count })}\n`);
  return 0;
}

/** The library's prune options, or the usage error to print. */
function pruneOptionsOf(options: PruneCommandOptions, t: Translate): PruneOptions | string {
  const hasKeepDays = options.keepDays !== undefined;
  if (hasKeepDays === (options.all === true)) return t('Give exactly one of --keep-days N and --all.');
  if (options.all === true) return { all: true };
  const keepDays = String(options.keepDays).trim();
  if (!/^\d+$/.test(keepDays)) return t('--keep-days must be a whole number of days, 0 or more (got "{value}").', { value: String(options.keepDays) });
  return { keepDays: Number(keepDays) };
}

async function confirmPruneAll(io: PruneCommandIo, t: Translate): Promise<boolean> {
  io.stdout.write(
    `${t('You have specified "--all", meaning all timeline logs will be deleted.')}\n` +
      `${t('Are you sure you want to do this?')}\n\n` +
      `${t("Type 'yes' to continue, or 'no' to cancel:")} `,
  );
  const answer = await readLine(io.stdin);
  if (answer === null) io.stdout.write('\n');
  return answer !== null && answer.trim() === PRUNE_CONFIRMATION;
}

/** The next line of `input`, or null when it ends first (no stdin counts as "not confirmed"). */
async function readLine(input: Readable): Promise<string | null> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return null;
  } finally {
    lines.close();
  }
}
