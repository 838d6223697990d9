/** Debian's chromium, as the browser tests and the screenshot script drive it (playwright-core, no downloads). */

/** Where Debian installs chromium (`apt-get install chromium`). */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

/**
 * Flags for a quiet headless run in a container: no sandbox (root), no GPU, no first-run
 * screens, and no background traffic (these machines reach nothing but the package registries).
 *
 * @example
 * ```ts
 * await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_EXECUTABLE, headless: true, args: CHROMIUM_ARGS });
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
