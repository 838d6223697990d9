import type { BulkCreateOptions, Model } from 'sequelize';
import { createChanges } from '../change-set.js';
import { HOOK_NAME, type HookCallOptions } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';

/** The hooks the `created` event installs. */
export const CREATED_HOOKS = ['afterCreate', 'beforeBulkCreate', 'afterBulkCreate'] as const;

/**
 * Logs `created` for `create`/`save` of a new row and for each row of a `bulkCreate`, with the
 * initial values as changes (`[null, value]`).
 *
 * @example
 * ```ts
 * if (tracking.events.has('created')) installCreatedHooks(tracking);
 * ```
 */
export function installCreatedHooks(tracking: Tracking): void {
  const { model } = tracking;
  const changesOf = (row: Parameters<typeof createChanges>[1]) => createChanges(tracking.fields, row);
  model.addHook('afterCreate', HOOK_NAME, (instance: Model, options: HookCallOptions) =>
    writeLogs(tracking, 'created', [instance], options, changesOf),
  );
  model.addHook('beforeBulkCreate', HOOK_NAME, (_instances: Model[], options: BulkCreateOptions) => {
    // Without RETURNING the new rows have no keys to log them by.
    if (!options.individualHooks && options.returning === false) options.returning = true;
  });
  model.addHook('afterBulkCreate', HOOK_NAME, (instances: Model[], options: HookCallOptions) => {
    if (options.individualHooks) return undefined; // afterCreate logged each row
    return writeLogs(tracking, 'created', instances, options, changesOf);
  });
}
