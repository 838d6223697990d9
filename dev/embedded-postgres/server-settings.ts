/**
 * The `-c name=value` settings a caller may pass to the embedded server, and the port among them.
 */

/** PostgreSQL's default port; the launcher's when `settings.port` is not given. */
export const DEFAULT_PORT = 5432;

const MAX_PORT = 65_535;
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Settings the launcher always sets itself. */
const RESERVED_SETTINGS = new Set(['listen_addresses', 'unix_socket_directories']);

/** Server settings by name, as in `EmbeddedPostgresOptions.settings`. */
export type ServerSettings = Readonly<Record<string, string>>;

/**
 * Returns `settings` when every name is a PostgreSQL setting name, every value a string and
 * `port` (when given) a port number, 1 to 65535.
 *
 * @throws {TypeError} naming the first bad setting.
 * @example
 * ```ts
 * validateSettings({ fsync: 'off' }); // { fsync: 'off' }
 * validateSettings({ port: 'high' }); // TypeError: settings.port must be a port number from 1 to 65535 (got "high")
 * ```
 */
export function validateSettings(settings: ServerSettings): ServerSettings {
  for (const [name, value] of Object.entries(settings)) {
    if (!SETTING_NAME.test(name)) throw new TypeError(`settings: ${JSON.stringify(name)} is not a PostgreSQL setting name`);
    if (typeof value !== 'string') throw new TypeError(`settings.${name} must be a string (got ${typeof value})`);
  }
  if (settings.port !== undefined && !isPortNumber(settings.port)) {
    throw new TypeError(`settings.port must be a port number from 1 to ${MAX_PORT} (got ${JSON.stringify(settings.port)})`);
  }
  return settings;
}

/**
 * The port the server will use: `settings.port`. Defaults to {@link DEFAULT_PORT}.
 *
 * @example
 * ```ts
 * settingsPort({ port: '5433' }); // 5433
 * ```
 */
export function settingsPort(settings: ServerSettings): number {
  return Number(settings.port ?? DEFAULT_PORT);
}

/**
 * The `postgres` arguments for `settings`: `-c name=value` pairs, leaving out `port` (passed as
 * `-p`) and the settings the launcher always sets itself.
 *
 * @example
 * ```ts
 * settingArgs({ fsync: 'off', port: '5433', listen_addresses: '*' }); // ['-c', 'fsync=off']
 * ```
 */
export function settingArgs(settings: ServerSettings): string[] {
  return Object.entries(settings)
    .filter(([name]) => !RESERVED_SETTINGS.has(name) && name !== 'port')
    .flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function isPortNumber(value: string): boolean {
  return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_PORT;
}
