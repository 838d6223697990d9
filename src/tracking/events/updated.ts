import type { InstanceUpdateOptions, Model, UpdateOptions } from 'sequelize';
import { rowAfterUpdate, snapshotBulkUpdate, snapshotInstance, takeBulkSnapshot, type BulkCallOptions } from '../bulk-snapshot.js';
import { updateChanges, type AttributeValues } from '../change-set.js';
import { HOOK_NAME, type HookCallOptions } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';

/** The hooks the `updated` event installs. */
export const UPDATED_HOOKS = ['afterUpdate', 'beforeBulkUpdate', 'afterBulkUpdate'] as const;

/**
 * Logs `updated` for `update`/`save` of an instance and for each row a `Model.update` changes,
 * with the changed tracked fields as `[old, new]`.
 *
 * @example
 * ```ts
 * if (tracking.events.has('updated')) installUpdatedHooks(tracking);
 * ```
 */
export function installUpdatedHooks(tracking: Tracking): void {
  const { model } = tracking;
  model.addHook('afterUpdate', HOOK_NAME, (instance: Model, options: HookCallOptions & InstanceUpdateOptions) =>
    logInstanceUpdate(tracking, instance, options),
  );
  model.addHook('beforeBulkUpdate', HOOK_NAME, (options: UpdateOptions & BulkCallOptions & { attributes?: AttributeValues }) =>
    snapshotBulkUpdate(tracking, options),
  );
  model.addHook('afterBulkUpdate', HOOK_NAME, (options: BulkCallOptions) => logBulkUpdate(tracking, options));
}

async function logInstanceUpdate(tracking: Tracking, instance: Model, options: HookCallOptions & InstanceUpdateOptions): Promise<void> {
  const written = options.fields ?? (instance.changed() || []);
  const candidates = new Set(written.map(String));
  const previous = instance as unknown as { previous(key: string): unknown };
  const before: Record<string, unknown> = {};
  for (const name of candidates) before[name] = previous.previous(name);
  const after = instance.dataValues as AttributeValues;
  await writeLogs(tracking, 'updated', [instance], options, () => updateChanges(tracking.fields, before, after, candidates));
}

async function logBulkUpdate(tracking: Tracking, options: BulkCallOptions): Promise<void> {
  const snapshot = takeBulkSnapshot(options);
  if (snapshot === undefined) return;
  const candidates = new Set([...Object.keys(snapshot.values), ...snapshot.expressions]);
  const instances = snapshot.rows.map((row) => snapshotInstance(tracking.model, rowAfterUpdate(row, snapshot)));
  await writeLogs(tracking, 'updated', instances, options, (after, index) =>
    updateChanges(tracking.fields, snapshot.rows[index] as AttributeValues, after, candidates),
  );
}
