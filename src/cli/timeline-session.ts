import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Sequelize } from 'sequelize';
import { createSequelize } from '../db/connection.js';
import { ConfigurationError, TimelineLoggerError } from '../errors.js';
import type { TimelineLog } from '../model/timeline-log.js';
import type { TimelineOptions } from '../options.js';
import { resolveSealKey } from '../seal/seal-key.js';
import { setupTimeline } from '../setup.js';
import { type CheckoutDatabase, loadCheckoutHook } from './checkout-hook.js';
import { isTypeScriptFile, registerTypeScript } from './register-typescript.js';
import { UsageError } from './usage-error.js';

/** The library, set up on the database a CLI run works with. Close it when done. */
export interface TimelineSession {
  /** The connection (from `--config`, `DATABASE_URL`, or in a checkout the demo's database). */
  readonly sequelize: Sequelize;
  /** The set-up model. */
  readonly TimelineLog: typeof TimelineLog;
  /** The options `setupTimeline` received (the config's `options`, else `{}`; `sealKey` filled from {@link SessionSource.sealKey}). */
  readonly options: TimelineOptions;
  /** Closes the connection, and stops the demo's embedded server when this session started it. */
  close(): Promise<void>;
}

/** Where {@link openTimelineSession} finds the database. */
export interface SessionSource {
  /** A JS/TS module whose default export is `{ sequelize, options }`; wins over everything else. */
  readonly configFile?: string | undefined;
  /** The server URL (`DATABASE_URL`); blank counts as unset. Defaults to none. */
  readonly databaseUrl?: string | undefined;
  /** The folder the config path is relative to. */
  readonly cwd: string;
  /**
   * The seal key (`TIMELINE_SEAL_KEY`) used when the config's `options` set no `sealKey`, or
   * there is no config; empty counts as unset. Defaults to none.
   */
  readonly sealKey?: string | undefined;
}

/** What a `--config` module exports by default. */
export interface TimelineCliConfig {
  /** The app's connection (PostgreSQL). */
  readonly sequelize: Sequelize;
  /** `setupTimeline`'s options (user model, labels, template folders...). Defaults to `{}`. */
  readonly options?: TimelineOptions;
}

/**
 * Opens the database for a CLI run and sets the library up on it: the `--config` module's
 * `{ sequelize, options }` when given, else `DATABASE_URL`. Without either, a checkout of the
 * repository falls back to the demo's embedded database (the one `npm start` uses, attached to
 * when it is already running; see `checkout-hook.ts`); anywhere else that is a usage error.
 * The seal key is the config's `options.sealKey`, else `source.sealKey` (`TIMELINE_SEAL_KEY`).
 *
 * @throws UsageError when neither `--config` nor `DATABASE_URL` is given outside a checkout.
 * @throws ConfigurationError when `source.sealKey` is used and shorter than 32 bytes.
 * @throws ConfigurationError when the config module does not export `{ sequelize, options }`.
 * @example
 * ```ts
 * const session = await openTimelineSession({ configFile: 'timeline.config.js', cwd: process.cwd() });
 * try { console.log(await session.TimelineLog.count()); } finally { await session.close(); }
 * ```
 */
export async function openTimelineSession(source: SessionSource): Promise<TimelineSession> {
  if (source.configFile) return openFromConfig(path.resolve(source.cwd, source.configFile), source.sealKey);
  const options = withSealKeyFallback({}, source.sealKey);
  const database = await openSessionDatabase(source.databaseUrl);
  const sequelize = createSequelize(database.url);
  try {
    const Timeline = setupTimeline(sequelize, options);
    return {
      sequelize,
      TimelineLog: Timeline,
      options,
      close: async () => {
        await sequelize.close();
        await database.close();
      },
    };
  } catch (error) {
    await sequelize.close();
    await database.close();
    throw error;
  }
}

/** `DATABASE_URL`, else the checkout's demo database; neither is a usage error naming both settings. */
async function openSessionDatabase(databaseUrl: string | undefined): Promise<CheckoutDatabase> {
  const url = databaseUrl?.trim();
  if (url) return { url, close: () => Promise.resolve() };
  const hook = await loadCheckoutHook();
  if (!hook) {
    throw new UsageError(
      'no database: set DATABASE_URL to a PostgreSQL URL, or pass --config <file> (a module exporting { sequelize, options })',
    );
  }
  try {
    return await hook.openDemoDatabase();
  } catch (error) {
    // The hook's errors come from the checkout's own copy of the library's classes.
    if (error instanceof TimelineLoggerError) throw error;
    throw new TimelineLoggerError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

async function openFromConfig(file: string, sealKey: string | undefined): Promise<TimelineSession> {
  const config = await loadConfig(file);
  const options = withSealKeyFallback(config.options ?? {}, sealKey);
  const Timeline = setupTimeline(config.sequelize, options);
  return { sequelize: config.sequelize, TimelineLog: Timeline, options, close: () => config.sequelize.close() };
}

/**
 * The one place the CLI's seal key comes from: the config's `options.sealKey` when it sets one,
 * else `TIMELINE_SEAL_KEY` (so a DATABASE_URL-only run, and a config that leaves the key out,
 * still seal, verify and prune with it). Every command gets it: `prune` records its cut-off in
 * the seal chain with the key too. A malformed key is reported under the variable's name,
 * never quoting it.
 */
function withSealKeyFallback(options: TimelineOptions, sealKey: string | undefined): TimelineOptions {
  if (options.sealKey !== undefined || sealKey === undefined || sealKey === '') return options;
  try {
    resolveSealKey(sealKey);
  } catch (error) {
    throw new ConfigurationError(`TIMELINE_SEAL_KEY: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { ...options, sealKey };
}

async function loadConfig(file: string): Promise<TimelineCliConfig> {
  if (isTypeScriptFile(file) && !(await registerTypeScript())) {
    throw new ConfigurationError(
      `${file} is TypeScript: install tsx (npm install --save-dev tsx) so the CLI can load it, or point --config at a compiled .js file`,
    );
  }
  const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const config = loaded.default as Partial<TimelineCliConfig> | undefined;
  if (!config || typeof config !== 'object' || !(config.sequelize instanceof Sequelize)) {
    throw new ConfigurationError(
      `${file} must export default { sequelize, options }: sequelize a Sequelize instance, options setupTimeline's options`,
    );
  }
  if (config.options !== undefined && (typeof config.options !== 'object' || config.options === null)) {
    throw ConfigurationError.invalidOption('options (in the config file)', "an object of setupTimeline's options", config.options);
  }
  return config as TimelineCliConfig;
}
