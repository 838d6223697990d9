import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

/**
 * Exit codes of `timeline-logger`: `0` success, `1` failure (or invalid rows in an import),
 * `2` usage error.
 *
 * @example
 * ```ts
 * return result.totals.invalid > 0 ? EXIT.failure : EXIT.success;
 * ```
 */
export const EXIT = Object.freeze({ success: 0, failure: 1, usage: 2 } as const);

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a command's `run` receives: its positional arguments and its own options, as commander parsed them. */
export interface CliInput {
  /** Positional arguments, in order. */
  readonly args: readonly string[];
  /** The command's options (camelCase keys), without the global ones (those are in the context). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A `timeline-logger` sub-command: a thin shell that parses its input, calls a library function
 * and reports the returned value. Register it by adding one line to `COMMANDS` in `src/cli/main.ts`.
 *
 * @example
 * ```ts
 * export const migrateCommand: CliCommand = {
 *   name: 'migrate',
 *   configure: (command) => command.description('Create or update the timeline_logs table.'),
 *   async run(context) {
 *     const session = await context.openSession();
 *     try { await migrateTimeline(session.sequelize); return EXIT.success; } finally { await session.close(); }
 *   },
 * };
 * ```
 */
export interface CliCommand {
  /** The sub-command's name, e.g. `export`. */
  readonly name: string;
  /** Declares the description, arguments and options on the (already named) commander command. */
  configure(command: Command): void;
  /** Does the work and resolves to the exit code. Throw a `UsageError` for bad input (exit 2). */
  run(context: CliContext, input: CliInput): Promise<ExitCode>;
}
