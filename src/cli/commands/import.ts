import type { Command } from 'commander';
import { ConfigurationError } from '../../errors.js';
import { FORMAT_NAMES } from '../../transfer/formats/format-registry.js';
import { DjangoTimelineLogResource, parseContentTypeMap } from '../../transfer/django-timeline-log-resource.js';
import type { ImportResult } from '../../transfer/import-result.js';
import type { ImportSource } from '../../transfer/import-source.js';
import { TimelineLogResource } from '../../transfer/timeline-log-resource.js';
import type { TimelineSession } from '../timeline-session.js';
import { EXIT, type CliCommand } from '../cli-command.js';
import type { CliContext } from '../cli-context.js';
import { formatOption, positiveIntegerOption } from '../cli-options.js';
import { UsageError } from '../usage-error.js';

/** Problem rows listed in the human report; `--json-report` lists them all. */
const LISTED_PROBLEMS = 50;

/**
 * `timeline-logger import FILE`: imports logs from a file (or `-` for stdin), exported by
 * timeline-logger or (with `--from django`) by django-timeline-logger. Exits 1 when any row is
 * invalid or failed (nothing is written then, unless `--no-transactions`).
 *
 * @example
 * ```sh
 * npx timeline-logger import logs.csv --dry-run
 * npx timeline-logger import django-logs.csv --from django --content-type-map 3=Group,4=User
 * ```
 */
export const importCommand: CliCommand = {
  name: 'import',
  configure(command: Command): void {
    command
      .description('Import timeline logs from a file (csv, tsv, json, ndjson, yaml, xlsx; "-" reads stdin). Rows are matched by id.')
      .argument('<file>', 'the file to import, or - for stdin (then --format is required)')
      .option('-f, --format <format>', `${FORMAT_NAMES.join(', ')} (default: from the file's extension)`)
      .option('--dry-run', 'validate and write inside a transaction, then roll everything back')
      .option('--from <source>', 'timeline-logger (default) or django (django-timeline-logger exports)', 'timeline-logger')
      .option('--content-type-map <map>', 'with --from django: content type id=Model pairs, e.g. 3=Group,4=User')
      .option('--strict-content-types', 'accept only content types that are models registered with the configured Sequelize')
      .option('--no-transactions', 'keep good rows batch by batch instead of rolling everything back on an invalid row')
      .option(
        '--build-indexes-after-load',
        'into an empty table: drop its secondary indexes and user foreign key, load, build them again (faster; locks the table meanwhile)',
      )
      .option('--batch-size <n>', 'rows per INSERT/UPDATE statement (default: 2000)')
      .option('--max-bytes <n>', 'refuse input larger than this; for xlsx also what it unpacks to (default: 1073741824, 1 GiB)')
      .option('--no-formula-guard', "keep a leading ' in cells (files exported with --no-formula-guard)")
      .option('--json-report', 'print the result (totals and problem rows) as JSON on stdout');
  },
  async run(context, { args, options }) {
    const file = args[0] as string;
    const format = formatOption(options.format, '--format');
    if (file === '-' && format === undefined) throw new UsageError('reading stdin (-) needs --format');
    const batchSize = positiveIntegerOption(options.batchSize, '--batch-size');
    const maxBytes = positiveIntegerOption(options.maxBytes, '--max-bytes');
    const session = await context.openSession();
    try {
      const resource = createResource(options, session);
      const source: ImportSource = file === '-' ? context.io.stdin : file;
      const progress = context.progress(context.t('Importing'), null);
      let result: ImportResult;
      try {
        result = await resource.import(source, {
          ...(format ? { format } : {}),
          ...(batchSize ? { batchSize } : {}),
          ...(maxBytes ? { maxBytes } : {}),
          dryRun: options.dryRun === true,
          useTransactions: options.transactions !== false,
          buildIndexesAfterLoad: options.buildIndexesAfterLoad === true,
          formulaGuard: options.formulaGuard !== false,
          rowDetails: 'problems',
          onProgress: (rows) => progress.update(rows),
        });
      } finally {
        progress.stop();
      }
      if (options.jsonReport === true) context.io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else report(context, result);
      return result.totals.invalid > 0 || result.totals.error > 0 ? EXIT.failure : EXIT.success;
    } finally {
      await session.close();
    }
  },
};

function createResource(options: Readonly<Record<string, unknown>>, session: TimelineSession): TimelineLogResource {
  const contentTypes =
    options.strictContentTypes === true ? Object.keys(session.sequelize.models).filter((name) => name !== 'TimelineLog') : undefined;
  const common = contentTypes ? { contentTypes } : {};
  if (options.from === 'timeline-logger') {
    if (options.contentTypeMap !== undefined) throw new UsageError('--content-type-map only applies with --from django');
    return new TimelineLogResource(common);
  }
  if (options.from !== 'django') throw new UsageError(`--from must be timeline-logger or django (got ${JSON.stringify(options.from)})`);
  try {
    const contentTypeMap = typeof options.contentTypeMap === 'string' ? parseContentTypeMap(options.contentTypeMap) : {};
    return new DjangoTimelineLogResource({ ...common, contentTypeMap });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`--content-type-map: ${error.message}`);
    throw error;
  }
}

function report(context: CliContext, result: ImportResult): void {
  const { t } = context;
  const lines: string[] = [t('{new} new, {update} updated, {skip} unchanged, {invalid} invalid, {error} failed.', { ...result.totals })];
  const problems = result.rows.filter((row) => row.status === 'invalid' || row.status === 'error');
  for (const row of problems.slice(0, LISTED_PROBLEMS)) {
    for (const error of row.errors)
      lines.push(t('Row {row}: {field}: {message}', { row: row.row, field: error.field, message: error.message }));
  }
  if (problems.length > LISTED_PROBLEMS)
    lines.push(t('... and {count} more rows with problems (use --json-report to see all).', { count: problems.length - LISTED_PROBLEMS }));
  if (result.dryRun) lines.push(t('Dry run: nothing was written.'));
  else if (!result.committed) lines.push(t('Nothing was written: fix the rows above and import again.'));
  context.io.stdout.write(`${lines.join('\n')}\n`);
}
