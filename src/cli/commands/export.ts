import type { Command } from 'commander';
import { ConfigurationError } from '../../errors.js';
import { isCorrelationId } from '../../model/correlation-id.js';
import { FORMAT_NAMES, formatFromFileName, loadFormat } from '../../transfer/formats/format-registry.js';
import type { ExportFilter } from '../../transfer/export-filter.js';
import { TimelineLogResource } from '../../transfer/timeline-log-resource.js';
import { EXIT, type CliCommand } from '../cli-command.js';
import { dateTimeOption, formatOption, listOption } from '../cli-options.js';
import { openExportOutput } from '../export-output.js';
import { pluralMsgid } from '../../render/translate.js';
import { UsageError } from '../usage-error.js';

/**
 * `timeline-logger export`: streams the logs to stdout (or `--output`) in any format.
 *
 * @example
 * ```sh
 * npx timeline-logger export --format csv --since 2024-01-01 > logs.csv
 * npx timeline-logger export --output logs.xlsx --content-type Invoice
 * ```
 */
export const exportCommand: CliCommand = {
  name: 'export',
  configure(command: Command): void {
    command
      .description('Write the timeline logs to stdout (or --output) as csv, tsv, json, ndjson, yaml or xlsx.')
      .option('-f, --format <format>', `${FORMAT_NAMES.join(', ')} (default: from --output's extension, else csv)`)
      .option('-o, --output <file>', 'write to this file instead of stdout')
      .option('--since <date>', 'only logs at or after this date or ISO date-time (UTC)')
      .option('--until <date>', 'only logs at or before this ISO date-time, or through this whole date (UTC)')
      .option('--content-type <model>', 'only logs about this model')
      .option('--object-id <id>', 'only logs about this object id')
      .option('--user <id>', 'only logs by this user id')
      .option('--event <verb>', 'only logs with this event')
      .option('--correlation-id <id>', 'only logs of this request or job (its correlation id)')
      .option('--fields <columns>', 'only these columns, comma-separated, in this order')
      .option('--exclude <columns>', 'leave these columns out, comma-separated')
      .option('--no-formula-guard', "do not prefix ' to cells a spreadsheet could run as formulas (csv, tsv, xlsx)")
      .option('--bom', 'start text output with a UTF-8 byte order mark (for Excel)');
  },
  async run(context, { options }) {
    const output = typeof options.output === 'string' ? options.output : undefined;
    const format = formatOption(options.format, '--format') ?? (output ? formatFromFileName(output) : null) ?? 'csv';
    const adapter = await loadFormat(format);
    if (adapter.binary && output === undefined && context.io.stdout.isTTY) {
      throw new UsageError(
        context.t('Refusing to write {format} to a terminal: use --output FILE or redirect stdout to a file.', { format }),
      );
    }
    const filter = exportFilter(options);
    const resource = createResource(options);
    const session = await context.openSession();
    try {
      const file = output === undefined ? null : await openExportOutput(output);
      const total = context.io.stderr.isTTY
        ? await resource.count(filter).catch(async (error: unknown) => {
            await file?.discard();
            throw error;
          })
        : null;
      const progress = context.progress(context.t('Exporting'), total);
      const target = file?.stream ?? context.io.stdout;
      try {
        const summary = await resource.exportTo(target, {
          format,
          filter,
          formulaGuard: options.formulaGuard !== false,
          bom: options.bom === true,
          onProgress: (rows) => progress.update(rows),
        });
        await file?.close();
        progress.stop();
        context.log(
          context.t(pluralMsgid(summary.rows, 'Exported {count} timeline log ({format}).', 'Exported {count} timeline logs ({format}).'), {
            count: summary.rows,
            format,
          }),
        );
        return EXIT.success;
      } catch (error) {
        progress.stop();
        // The reader of stdout went away (`| head`): not a failure of the export.
        if (output === undefined && (error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.success;
        await file?.discard();
        throw error;
      }
    } finally {
      await session.close();
    }
  },
};

function exportFilter(options: Readonly<Record<string, unknown>>): ExportFilter {
  const text = (name: string): string | undefined => (typeof options[name] === 'string' ? options[name] : undefined);
  const filter: Record<string, string> = {};
  const entries: [keyof ExportFilter, string | undefined][] = [
    ['since', dateTimeOption(options.since, '--since')],
    ['until', dateTimeOption(options.until, '--until')],
    ['contentType', text('contentType')],
    ['objectId', text('objectId')],
    ['user', text('user')],
    ['event', text('event')],
    ['correlationId', correlationIdOption(text('correlationId'))],
  ];
  for (const [key, value] of entries) if (value !== undefined) filter[key] = value;
  return filter;
}

/** `--correlation-id`: 1-64 characters of `A-Za-z0-9._:-`, as stored. */
function correlationIdOption(value: string | undefined): string | undefined {
  if (value === undefined || isCorrelationId(value)) return value;
  throw new UsageError(`--correlation-id: ${JSON.stringify(value)} is not a correlation id (1-64 characters of A-Z a-z 0-9 . _ : -)`);
}

function createResource(options: Readonly<Record<string, unknown>>): TimelineLogResource {
  const fields = listOption(options.fields);
  const exclude = listOption(options.exclude);
  try {
    return new TimelineLogResource({ ...(fields ? { fields } : {}), ...(exclude ? { exclude } : {}) });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`--fields/--exclude: ${error.message}`);
    throw error;
  }
}
