/**
 * What a checkout of the repository adds to the `timeline-logger` CLI. The CLI imports this file
 * by path when it exists (see `src/cli/checkout-hook.ts`); the published package does not
 * contain `dev/`, so an installed CLI never loads the embedded PostgreSQL launcher.
 */
import { fileURLToPath } from 'node:url';
import type { CheckoutHook } from '../src/cli/checkout-hook.js';
import { openEmbeddedDatabase } from './open-database.js';

/**
 * The demo's embedded database (the one `npm start` runs, in `.data/postgres`; attached to when
 * it is running) and the demo app's schema (`examples/migrations/`).
 *
 * @example
 * ```ts
 * const database = await checkoutHook.openDemoDatabase();
 * try { console.log(database.url); } finally { await database.close(); }
 * ```
 */
export const checkoutHook: CheckoutHook = Object.freeze({
  openDemoDatabase: () => openEmbeddedDatabase(),
  demoSchemaDir: fileURLToPath(new URL('../examples/migrations/', import.meta.url)),
});
