import type { InstanceRestoreOptions, Model, RestoreOptions } from 'sequelize';
import { deletedAtColumn, snapshotBulkRestore, type DeletedAtColumn } from '../bulk-restore-snapshot.js';
import { snapshotInstance, takeBulkSnapshot, type BulkCallOptions } from '../bulk-snapshot.js';
import { updateChanges, type AttributeValues } from '../change-set.js';
import { HOOK_NAME, type HookCallOptions } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';

/** The hooks the `restored` event installs. */
export const RESTORED_HOOKS = ['beforeRestore', 'afterRestore', 'beforeBulkRestore', 'afterBulkRestore'] as const;

/** The `deletedAt` an instance had when its restore began, kept on it until its after hook. */
const DELETED_AT = Symbol('timeline-logger.deletedAtBeforeRestore');
type RestoringInstance = Model & { [DELETED_AT]?: unknown };

/**
 * Logs `restored` for `restore()` of a soft-deleted instance and for each soft-deleted row a
 * `Model.restore({ where })` brings back (rows that were live are not restored, so get no log).
 * The change set is `{ deletedAt: [when, null] }` when `deletedAt` is tracked (list it in
 * `only`), else empty: the row's values are the ones it had when deleted. Does nothing for a
 * model that is not paranoid (it has no `restore()`).
 *
 * @example
 * ```ts
 * if (tracking.events.has('restored')) installRestoredHooks(tracking);
 * ```
 */
export function installRestoredHooks(tracking: Tracking): void {
  const { model } = tracking;
  const column = deletedAtColumn(model);
  if (column === undefined) return;
  model.addHook('beforeRestore', HOOK_NAME, (instance: RestoringInstance) => {
    // restore() saves the instance, so its previous deletedAt is gone by the after hook.
    if (!instance.isSoftDeleted()) return;
    Object.defineProperty(instance, DELETED_AT, { value: instance.get(column.attribute), configurable: true, enumerable: false });
  });
  model.addHook('afterRestore', HOOK_NAME, async (instance: RestoringInstance, options: HookCallOptions & InstanceRestoreOptions) => {
    if (!Object.hasOwn(instance, DELETED_AT)) return;
    const deletedAt = instance[DELETED_AT];
    delete instance[DELETED_AT];
    // With individualHooks, Model.restore leaves the instances it read as they were.
    const after = { ...(instance.dataValues as AttributeValues), [column.attribute]: column.live };
    await writeLogs(tracking, 'restored', [instance], options, () => restoreChanges(tracking, column, deletedAt, after));
  });
  model.addHook('beforeBulkRestore', HOOK_NAME, (options: RestoreOptions & BulkCallOptions) => snapshotBulkRestore(tracking, options));
  model.addHook('afterBulkRestore', HOOK_NAME, async (options: BulkCallOptions) => {
    const snapshot = takeBulkSnapshot(options);
    if (snapshot === undefined) return;
    const instances = snapshot.rows.map((row) => snapshotInstance(model, { ...row, [column.attribute]: column.live }));
    await writeLogs(tracking, 'restored', instances, options, (after, index) =>
      restoreChanges(tracking, column, snapshot.rows[index]?.[column.attribute], after),
    );
  });
}

/** `{ deletedAt: [when, live] }` when `deletedAt` is a tracked field (masked as any other), else `{}`. */
function restoreChanges(tracking: Tracking, column: DeletedAtColumn, deletedAt: unknown, after: AttributeValues) {
  return updateChanges(tracking.fields, { [column.attribute]: deletedAt }, after, new Set([column.attribute]));
}
