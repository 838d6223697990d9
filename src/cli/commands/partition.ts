import type { Writable } from 'node:stream';
import { convertToPartitioned, type ConversionResult, type ConversionStep } from '../../model/convert-to-partitioned.js';
import type { TimelineRuntime } from '../../model/timeline-log.js';
import { EXIT, type CliCommand, type ExitCode } from '../cli-command.js';
import type { CliContext } from '../cli-context.js';
import { confirmAtTerminal, type ConfirmIo } from '../confirm-at-terminal.js';
import { describeConversion, describeMaintenance, describePlan, describeStep } from '../conversion-report.js';

/** A validated `timeline-logger partition` command line. */
export interface PartitionRequest {
  /** `--dry-run`: print the plan, change nothing. */
  readonly dryRun: boolean;
  /** Ask before converting (unless `--no-input`). */
  readonly confirm: boolean;
}

/** Where the command asks, reports (stdout) and shows its steps (stderr). */
export interface PartitionIo extends ConfirmIo {
  readonly stderr: Writable;
}

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

/**
 * `timeline-logger partition [--no-input] [--dry-run]`, with a config whose options set
 * `partitioning`: converts a plain timeline table holding logs to the partitioned layout
 * (`TimelineLog.convertToPartitioned`) after printing the plan (logs, span, partitions, locks)
 * and asking (only `yes` typed at a terminal goes ahead; a pipe or no stdin cancels), then prints
 * the time it took and how long writes waited. On a partitioned table it makes the partitions
 * ahead (`maintainPartitions`). Exit 0 done (or planned), 1 cancelled or failed, 2 when the
 * config sets no `partitioning`.
 *
 * @example
 * ```sh
 * timeline-logger --config timeline.config.js partition --dry-run
 * timeline-logger --config timeline.config.js partition --no-input
 * ```
 */
export const partitionCommand: CliCommand = {
  name: 'partition',
  configure(command) {
    command
      .description(
        'Convert the timeline table to the partitioned layout of the partitioning option (asks first; writes wait while it runs), or make its partitions ahead when it is partitioned already.',
      )
      .option('--no-input', 'do not ask for confirmation')
      .option('--dry-run', 'only print the plan: logs, partitions and locks');
  },
  async run(context, input) {
    const request: PartitionRequest = { dryRun: input.options.dryRun === true, confirm: input.options.input !== false };
    const session = await context.openSession();
    try {
      return await runPartition(request, session.TimelineLog.runtime, context.io, context.t);
    } finally {
      await session.close();
    }
  },
};

/**
 * Carries out `timeline-logger partition` with the setup's `runtime` and prints what it did.
 *
 * @returns 0 when converted, maintained or planned; 1 when the confirmation was refused; 2 when
 * the setup has no `partitioning` option.
 * @example
 * ```ts
 * await runPartition({ dryRun: true, confirm: false }, TimelineLog.runtime, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, t);
 * ```
 */
export async function runPartition(request: PartitionRequest, runtime: TimelineRuntime, io: PartitionIo, t: Translate): Promise<ExitCode> {
  const table = runtime.options.tableName;
  if (runtime.options.partitioning === null) {
    io.stderr.write(
      `timeline-logger: ${t("The configuration sets no partitioning option: add partitioning: { interval: 'month' } to the options of the --config file, then run partition again.")}\n`,
    );
    return EXIT.usage;
  }
  const planned = await convertToPartitioned(runtime, { dryRun: true });
  if (planned.kind !== 'planned') {
    if (request.dryRun) {
      io.stdout.write(
        `${t('The table {table} is already partitioned: without --dry-run, partition makes its partitions ahead (dry run: nothing was changed).', { table })}\n`,
      );
      return EXIT.success;
    }
    return report(table, await convertToPartitioned(runtime), io, t);
  }
  io.stdout.write(describePlan(planned.plan, t));
  if (request.dryRun) {
    io.stdout.write(`${t('Dry run: nothing was changed.')}\n`);
    return EXIT.success;
  }
  const noTerminal = t('There is no terminal to confirm on: pass --no-input to convert without asking.');
  const warning = t('The table {table} will be converted as planned above.', { table });
  if (request.confirm && !(await confirmAtTerminal(io, { warning, noTerminal }, t))) {
    io.stdout.write(`${t('Conversion cancelled: nothing was changed.')}\n`);
    return EXIT.failure;
  }
  const onProgress = (step: ConversionStep): void => void io.stderr.write(`${describeStep(step, t)}\n`);
  return report(table, await convertToPartitioned(runtime, { onProgress }), io, t);
}

function report(table: string, result: ConversionResult, io: PartitionIo, t: Translate): ExitCode {
  if (result.kind === 'converted') io.stdout.write(describeConversion(result.plan, result, t));
  if (result.kind === 'maintained') io.stdout.write(describeMaintenance(table, result.maintained, t));
  return EXIT.success;
}
