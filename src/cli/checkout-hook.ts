/**
 * The one place the CLI reaches into a checkout of the timeline-logger repository: the file
 * `dev/checkout-hook.ts` beside `src/` and `dist/`, which the published package does not contain.
 * In a checkout it gives the CLI the demo's embedded database (when neither `--config` nor
 * `DATABASE_URL` is given) and the demo schema (`seed --demo-schema`). It is imported by path at
 * run time (through tsx, a devDependency of the checkout), so `dist/` holds no reference to the
 * dev tooling's modules and an installed package finds no hook.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigurationError } from '../errors.js';
import { registerTypeScript } from './register-typescript.js';

/** A database the hook opened: its URL, and how to let go of it. */
export interface CheckoutDatabase {
  /** A `postgres://` URL for Sequelize. */
  readonly url: string;
  /** Stops the server when the hook started it; leaves a server it attached to running. */
  close(): Promise<void>;
}

/** What `dev/checkout-hook.ts` exports as `checkoutHook`. */
export interface CheckoutHook {
  /** Opens the demo's embedded database (the one `npm start` runs; attached to when it is running). */
  openDemoDatabase(): Promise<CheckoutDatabase>;
  /** The demo app's migrations folder (users, posts, items, invoices). */
  readonly demoSchemaDir: string;
}

/** Where a checkout keeps its hook: `dev/checkout-hook.ts` at the repository root. */
export const CHECKOUT_HOOK_FILE = fileURLToPath(new URL('../../dev/checkout-hook.ts', import.meta.url));

/**
 * The checkout's hook, or `null` when this CLI does not run from a checkout of the repository
 * (an installed package has no `dev/`).
 *
 * @throws {ConfigurationError} when the hook exists but cannot be loaded (tsx missing, or no `checkoutHook` export).
 * @example
 * ```ts
 * const hook = await loadCheckoutHook();
 * if (!hook) throw new UsageError('set DATABASE_URL or pass --config <file>');
 * ```
 */
export async function loadCheckoutHook(): Promise<CheckoutHook | null> {
  if (!existsSync(CHECKOUT_HOOK_FILE)) return null;
  if (!(await registerTypeScript())) {
    throw new ConfigurationError(`${CHECKOUT_HOOK_FILE} needs tsx to load: run npm install in the checkout`);
  }
  const loaded = (await import(pathToFileURL(CHECKOUT_HOOK_FILE).href)) as { checkoutHook?: CheckoutHook };
  if (!loaded.checkoutHook) throw new ConfigurationError(`${CHECKOUT_HOOK_FILE} must export checkoutHook`);
  return loaded.checkoutHook;
}
