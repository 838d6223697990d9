import type { Model } from 'sequelize';
import { actorColumns, requestActorColumns, type ActorColumns } from '../model/actor.js';
import { logHeader, logRow, objectColumns, type LogHeader } from '../model/log-row.js';
import type { TimelineLogCreationAttributes } from '../model/timeline-attributes.js';
import type { TimelineRuntime } from '../model/timeline-log.js';
import { currentCorrelationId, currentTimelineActor } from './actor-context.js';
import type { AttributeValues, Changes } from './change-set.js';
import type { HookCallOptions } from './hook-call-options.js';
import { insertLogRows } from './insert-log-rows.js';
import type { TimelineEvent, Tracking } from './tracking-options.js';
import { queueLogRows } from './transaction-log-buffer.js';

/**
 * Builds one log per instance (skipping empty updates when `skipEmpty`) and writes them: queued
 * for the transaction's commit when there is one, else with one INSERT right away.
 *
 * The batch's shared columns (user, template, event, timestamp, and the correlation id of the
 * request or job making the change) are built and validated once by `logHeader` when the change
 * happens, so logs queued for a transaction's commit keep the id of the context that made them.
 * Each row then only adds its object columns and its changes, which `change-set.ts` already
 * produced as JSON (so they are not converted a second time).
 *
 * @example
 * ```ts
 * await writeLogs(tracking, 'created', [post], options, (row) => createChanges(tracking.fields, row));
 * ```
 */
export async function writeLogs(
  tracking: Tracking,
  event: TimelineEvent,
  instances: readonly Model[],
  options: HookCallOptions,
  changesOf: (values: AttributeValues, index: number) => Changes,
): Promise<void> {
  if (instances.length === 0) return;
  const { runtime } = tracking;
  const header = logHeader(runtime, actingUser(runtime, options), {
    template: tracking.templates[event],
    event,
    correlationId: currentCorrelationId(),
  });
  const rows = logRows(tracking, event, instances, header, changesOf);
  const transaction = options.transaction ?? null;
  if (transaction === null) await insertLogRows(runtime, rows, { logging: options.logging });
  else queueLogRows(runtime, transaction, rows, options.logging);
}

function logRows(
  tracking: Tracking,
  event: TimelineEvent,
  instances: readonly Model[],
  header: LogHeader,
  changesOf: (values: AttributeValues, index: number) => Changes,
): TimelineLogCreationAttributes[] {
  const { objectLabel } = tracking.runtime.options;
  const skipEmpty = event === 'updated' && tracking.skipEmpty;
  const pkName = tracking.model.primaryKeyAttribute;
  const rows: TimelineLogCreationAttributes[] = [];
  for (let index = 0; index < instances.length; index += 1) {
    const instance = instances[index] as Model;
    // bulkCreate with ignoreDuplicates returns no key for a skipped row: nothing was created.
    const pk: unknown = instance.get(pkName);
    if (pk === null || pk === undefined) continue;
    const changes = changesOf(instance.dataValues as AttributeValues, index);
    if (skipEmpty && isEmpty(changes)) continue;
    rows.push(logRow(header, objectColumns(instance, objectLabel), { changes }));
  }
  return rows;
}

function isEmpty(changes: Changes): boolean {
  for (const name in changes) if (Object.hasOwn(changes, name)) return false;
  return true;
}

/** The per-call user, else the async context's, else none. */
function actingUser(runtime: TimelineRuntime, options: HookCallOptions): ActorColumns {
  const resolved = runtime.options;
  const call = options.timeline;
  if (call !== undefined && call !== null && 'user' in call) return actorColumns(call.user, resolved);
  const context = currentTimelineActor();
  if (context === undefined) return actorColumns(null, resolved);
  return context.fromRequest ? requestActorColumns(context.user, resolved) : actorColumns(context.user, resolved);
}
