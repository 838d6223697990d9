import type { Model } from 'sequelize';
import { createChanges } from '../change-set.js';
import { HOOK_NAME, type HookCallOptions } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';
import { isConflictingBulkCreate } from './bulk-create-conflicts.js';
import type { BulkCreateCallOptions } from './bulk-create-rows.js';

/** The hooks the `created` event installs. */
export const CREATED_HOOKS = ['afterCreate', 'beforeBulkCreate', 'afterBulkCreate'] as const;

/**
 * Logs `created` for `create`/`save` of a new row and for each row of a `bulkCreate`, with the
 * initial values as changes (`[null, value]`). A `bulkCreate` with `ignoreDuplicates` or
 * `updateOnDuplicate` is logged by `installBulkCreateConflictHooks` instead (only the rows it
 * inserted are created).
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
  model.addHook('beforeBulkCreate', HOOK_NAME, (_instances: Model[], options: BulkCreateCallOptions) => {
    // Without RETURNING the new rows have no keys to log them by.
    if (!options.individualHooks && options.returning === false && !isConflictingBulkCreate(options)) options.returning = true;
  });
  model.addHook('afterBulkCreate', HOOK_NAME, (instances: Model[], options: BulkCreateCallOptions) => {
    // afterCreate logged each row; installBulkCreateConflictHooks logs the rows such a call wrote.
    if (options.individualHooks || isConflictingBulkCreate(options)) return undefined;
    return writeLogs(tracking, 'created', instances, options, changesOf);
  });
}
