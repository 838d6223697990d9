import type { DestroyOptions, InstanceDestroyOptions, Model } from 'sequelize';
import { snapshotBulkDestroy, snapshotInstance, takeBulkSnapshot, type BulkCallOptions } from '../bulk-snapshot.js';
import { deleteChanges } from '../change-set.js';
import { HOOK_NAME, type HookCallOptions } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';

/** The hooks the `deleted` event installs. */
export const DELETED_HOOKS = ['afterDestroy', 'beforeBulkDestroy', 'afterBulkDestroy'] as const;

/**
 * Logs `deleted` for `destroy()` of an instance and for each row a `Model.destroy` deletes,
 * with the last values as changes (`[value, null]`).
 *
 * @example
 * ```ts
 * if (tracking.events.has('deleted')) installDeletedHooks(tracking);
 * ```
 */
export function installDeletedHooks(tracking: Tracking): void {
  const { model } = tracking;
  const changesOf = (row: Parameters<typeof deleteChanges>[1]) => deleteChanges(tracking.fields, row);
  model.addHook('afterDestroy', HOOK_NAME, (instance: Model, options: HookCallOptions & InstanceDestroyOptions) =>
    writeLogs(tracking, 'deleted', [instance], options, changesOf),
  );
  model.addHook('beforeBulkDestroy', HOOK_NAME, (options: DestroyOptions & BulkCallOptions) => snapshotBulkDestroy(tracking, options));
  model.addHook('afterBulkDestroy', HOOK_NAME, async (options: BulkCallOptions) => {
    const snapshot = takeBulkSnapshot(options);
    if (snapshot === undefined) return;
    const instances = snapshot.rows.map((row) => snapshotInstance(tracking.model, row));
    await writeLogs(tracking, 'deleted', instances, options, changesOf);
  });
}
