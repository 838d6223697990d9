#!/usr/bin/env node
/**
 * `timeline-logger <command>`: argv → command. Each command lives in `commands/` as a thin shell
 * over a library function; registering one is one line in {@link COMMANDS}.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { TimelineLoggerError } from '../errors.js';
import { parseLocale, SUPPORTED_LOCALES, type Locale } from '../render/locale.js';
import { EXIT, type CliCommand, type ExitCode } from './cli-command.js';
import { createCliContext, type CliIo } from './cli-context.js';
import { UsageError } from './usage-error.js';
import { migrateCommand } from './commands/migrate.js';
import { seedCommand } from './commands/seed.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { pruneCommand } from './commands/prune.js';
import { partitionCommand } from './commands/partition.js';
import { sealCommand } from './commands/seal.js';
import { verifyCommand } from './commands/verify.js';
import { reportMailingCommand } from './commands/report-mailing.js';

/** Every sub-command, in the order `--help` lists them. Add a command here (one line). */
export const COMMANDS: readonly CliCommand[] = [
  migrateCommand,
  seedCommand,
  exportCommand,
  importCommand,
  pruneCommand,
  partitionCommand,
  sealCommand,
  verifyCommand,
  reportMailingCommand,
];

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code:
 * `0` success, `1` failure or invalid rows, `2` usage error. Never calls `process.exit`.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['export', '--format', 'csv'], processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<ExitCode> {
  const fallbackLocale = localeFromEnvironment(io.env);
  let exitCode: ExitCode = EXIT.success;
  const program = buildProgram(io, fallbackLocale);
  for (const command of commands) {
    const sub = program.command(command.name);
    command.configure(sub);
    sub.action(async (...received: unknown[]) => {
      const self = received[received.length - 1] as Command;
      const globals = self.optsWithGlobals<{ config?: string; locale?: Locale }>();
      const context = createCliContext(io, { config: globals.config, locale: globals.locale ?? fallbackLocale });
      exitCode = await command.run(context, { args: [...self.args], options: self.opts() });
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function buildProgram(io: CliIo, fallbackLocale: Locale): Command {
  return new Command('timeline-logger')
    .description('Manage, export and import timeline logs.')
    .addOption(
      new Option(
        '--config <file>',
        'JS/TS module whose default export is { sequelize, options } (else DATABASE_URL; one of them is required outside a checkout of the repository)',
      ),
    )
    .addOption(
      new Option('--locale <locale>', `language of messages (${SUPPORTED_LOCALES.join(', ')})`)
        .default(fallbackLocale, 'from LC_ALL/LC_MESSAGES/LANG, else en')
        .argParser(parseLocaleOption),
    )
    .showHelpAfterError('(run timeline-logger --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
}

function parseLocaleOption(value: string): Locale {
  const locale = parseLocale(value);
  if (locale === null) throw new UsageError(`--locale must be one of ${SUPPORTED_LOCALES.join(', ')} (got "${value}")`);
  return locale;
}

function localeFromEnvironment(env: CliIo['env']): Locale {
  return parseLocale(env.LC_ALL) ?? parseLocale(env.LC_MESSAGES) ?? parseLocale(env.LANG) ?? 'en';
}

function reportError(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are successes.
    return error.exitCode === 0 ? EXIT.success : EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`timeline-logger: ${error.message}\n(run timeline-logger --help for usage)\n`);
    return EXIT.usage;
  }
  if (error instanceof TimelineLoggerError) {
    io.stderr.write(`timeline-logger: ${error.message}\n`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`timeline-logger: unexpected error: ${message}\n`);
  return EXIT.failure;
}

/**
 * The real process's streams and environment.
 *
 * @example
 * ```ts
 * await runCli(process.argv.slice(2), processIo());
 * ```
 */
export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}
