import type { Model } from 'sequelize';
import { createChanges, updateChanges, type AttributeValues } from '../change-set.js';
import { HOOK_NAME } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';
import { conflictTarget, keyOf, matchReturnedRows, readRowsInConflict, type BulkCreateCallOptions } from './bulk-create-rows.js';
import { identifyingKeys, storedAttributeNames } from './model-keys.js';

/** The hooks `bulkCreate` with `ignoreDuplicates` or `updateOnDuplicate` tracking installs. */
export const BULK_CREATE_CONFLICT_HOOKS = ['beforeBulkCreate', 'afterBulkCreate'] as const;

/** PostgreSQL's system column: 0 on a row an `INSERT` has just written, set on one `ON CONFLICT DO UPDATE` wrote. */
const XMAX = 'xmax';
const PENDING = Symbol('timeline-logger.bulkCreateConflicts');

/** What the before hook leaves for the after hook. */
interface PendingBulkCreate {
  /** The given rows' values before the statement (Sequelize overwrites them by position). */
  readonly given: readonly AttributeValues[];
  /** The rows an `updateOnDuplicate` conflicts with, by their `keyOf` the conflict target; null when not read. */
  readonly old: ReadonlyMap<string, AttributeValues> | null;
  readonly target: readonly string[] | null;
}

type ConflictCallOptions = BulkCreateCallOptions & { [PENDING]?: PendingBulkCreate };

/**
 * Whether a `bulkCreate` call may leave rows out or update existing ones (`ignoreDuplicates`,
 * `updateOnDuplicate`), so its returned rows are not simply the given rows, created.
 *
 * @example
 * ```ts
 * if (!isConflictingBulkCreate(options)) return writeLogs(tracking, 'created', instances, options, changesOf);
 * ```
 */
export function isConflictingBulkCreate(options: BulkCreateCallOptions): boolean {
  return options.ignoreDuplicates === true || options.updateOnDuplicate !== undefined;
}

/**
 * Logs a `bulkCreate` with `ignoreDuplicates` or `updateOnDuplicate` exactly: `created` (changes
 * `[null, value]`) only for the rows it inserted, and for `updateOnDuplicate` `updated` with the
 * changes against the row each one replaced. PostgreSQL returns only the rows the statement
 * wrote, and Sequelize copies them onto the given instances by position; so the statement
 * returns every stored column plus `xmax` (0 on an inserted row), and each returned row is
 * logged with its own values, matched to the instance it came from by its keys. The before hook
 * reads and locks the rows an `updateOnDuplicate` conflicts with (by the statement's conflict
 * target, in the call's transaction: the call gets its own when made without one). A row another
 * session commits between that read and the statement is logged `updated` without changes
 * (also with `skipEmpty`). `created` and `updated` are each logged only when listed in `events`.
 *
 * The instances `bulkCreate` returns are the ones Sequelize itself returns (with its own
 * by-position copy), without `xmax`.
 *
 * @example
 * ```ts
 * if (tracking.events.has('created') || tracking.events.has('updated')) installBulkCreateConflictHooks(tracking);
 * ```
 */
export function installBulkCreateConflictHooks(tracking: Tracking): void {
  const { model } = tracking;
  model.addHook('beforeBulkCreate', HOOK_NAME, async (instances: Model[], options: ConflictCallOptions) => {
    if (options.individualHooks || !isConflictingBulkCreate(options)) return;
    const given = instances.map((instance) => ({ ...(instance.dataValues as AttributeValues) }));
    const target = options.updateOnDuplicate === undefined ? null : conflictTarget(model, options);
    let old: Map<string, AttributeValues> | null = null;
    if (target !== null && tracking.events.has('updated')) {
      old = new Map();
      for (const row of await readRowsInConflict(model, target, given, options)) {
        const key = keyOf(row, target);
        if (key !== null) old.set(key, row);
      }
    }
    Object.defineProperty(options, PENDING, { value: { given, old, target }, configurable: true, enumerable: false, writable: true });
    options.returning = [...storedAttributeNames(model), XMAX];
  });
  model.addHook('afterBulkCreate', HOOK_NAME, async (instances: Model[], options: ConflictCallOptions) => {
    const pending = options[PENDING];
    delete options[PENDING];
    if (pending === undefined) return;
    const stored = storedAttributeNames(model);
    const returned: AttributeValues[] = [];
    const inserted: boolean[] = [];
    for (const instance of instances) {
      const values = instance.dataValues as Record<string, unknown>;
      if (!Object.hasOwn(values, XMAX)) continue;
      inserted.push(String(values[XMAX]) === '0');
      delete values[XMAX];
      returned.push(Object.fromEntries(stored.map((name) => [name, values[name]])));
    }
    const matches = matchReturnedRows(identifyingKeys(model), pending.given, returned);
    const created: Model[] = [];
    const updated: Model[] = [];
    returned.forEach((row, index) => {
      const match = matches[index] ?? -1;
      // Sequelize copied row `index` onto instance `index`: when that is its own instance, log that one.
      const instance =
        match === index
          ? (instances[index] as Model)
          : model.build({ ...(match === -1 ? {} : pending.given[match]), ...row }, { raw: true, isNewRecord: false });
      (inserted[index] === true ? created : updated).push(instance);
    });
    if (tracking.events.has('created'))
      await writeLogs(tracking, 'created', created, options, (row) => createChanges(tracking.fields, row));
    if (tracking.events.has('updated')) await logUpdated(tracking, updated, pending, options);
  });
}

/** `updated` with the changes against the row read before, or without changes when none was. */
async function logUpdated(
  tracking: Tracking,
  rows: readonly Model[],
  pending: PendingBulkCreate,
  options: ConflictCallOptions,
): Promise<void> {
  const { old, target } = pending;
  const oldOf = (values: AttributeValues): AttributeValues | undefined => {
    const key = target === null ? null : keyOf(values, target);
    return key === null ? undefined : old?.get(key);
  };
  const seen = rows.filter((row) => oldOf(row.dataValues as AttributeValues) !== undefined);
  const unseen = rows.filter((row) => oldOf(row.dataValues as AttributeValues) === undefined);
  await writeLogs(tracking, 'updated', seen, options, (after) => updateChanges(tracking.fields, oldOf(after) ?? {}, after));
  await writeLogs({ ...tracking, skipEmpty: false }, 'updated', unseen, options, () => ({}));
}
