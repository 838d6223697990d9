import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Sequelize } from 'sequelize';
import { createSequelize, openDatabase } from '../db/connection.js';
import { ConfigurationError } from '../errors.js';
import type { TimelineLog } from '../model/timeline-log.js';
import type { TimelineOptions } from '../options.js';
import { setupTimeline } from '../setup.js';

/** The library, set up on the database a CLI run works with. Close it when done. */
export interface TimelineSession {
  /** The connection (from `--config`, `DATABASE_URL` or the embedded default database). */
  readonly sequelize: Sequelize;
  /** The set-up model. */
  readonly TimelineLog: typeof TimelineLog;
  /** The options `setupTimeline` received (the config's `options`, else `{}`). */
  readonly options: TimelineOptions;
  /** Closes the connection, and stops the embedded server when this session started it. */
  close(): Promise<void>;
}

/** Where {@link openTimelineSession} finds the database. */
export interface SessionSource {
  /** A JS/TS module whose default export is `{ sequelize, options }`; wins over everything else. */
  readonly configFile?: string | undefined;
  /** The server URL. Defaults to none: the embedded database in `<cwd>/.data/postgres`. */
  readonly databaseUrl?: string | undefined;
  /** The folder the config path and the embedded data folder are relative to. */
  readonly cwd: string;
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
 * `{ sequelize, options }` when given, else `DATABASE_URL`, else the embedded default database
 * (the same one `npm start` uses, attached to when it is already running).
 *
 * @throws ConfigurationError when the config module does not export `{ sequelize, options }`.
 * @example
 * ```ts
 * const session = await openTimelineSession({ configFile: 'timeline.config.js', cwd: process.cwd() });
 * try { console.log(await session.TimelineLog.count()); } finally { await session.close(); }
 * ```
 */
export async function openTimelineSession(source: SessionSource): Promise<TimelineSession> {
  if (source.configFile) return openFromConfig(path.resolve(source.cwd, source.configFile));
  const database = await openDatabase({
    ...(source.databaseUrl ? { databaseUrl: source.databaseUrl } : {}),
    dataDir: path.join(source.cwd, '.data', 'postgres'),
  });
  const sequelize = createSequelize(database.url);
  try {
    const Timeline = setupTimeline(sequelize, {});
    return {
      sequelize,
      TimelineLog: Timeline,
      options: {},
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

async function openFromConfig(file: string): Promise<TimelineSession> {
  const config = await loadConfig(file);
  const options = config.options ?? {};
  const Timeline = setupTimeline(config.sequelize, options);
  return { sequelize: config.sequelize, TimelineLog: Timeline, options, close: () => config.sequelize.close() };
}

async function loadConfig(file: string): Promise<TimelineCliConfig> {
  if (/\.[cm]?ts$/.test(file)) await registerTypeScript(file);
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

/** TypeScript config files need tsx's loader, unless the process already runs under it. */
async function registerTypeScript(file: string): Promise<void> {
  try {
    const specifier = 'tsx/esm/api';
    const tsx = (await import(specifier)) as { register: () => unknown };
    tsx.register();
  } catch {
    throw new ConfigurationError(
      `${file} is TypeScript: install tsx (npm install --save-dev tsx) so the CLI can load it, or point --config at a compiled .js file`,
    );
  }
}
