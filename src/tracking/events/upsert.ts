import type { Model, UpsertOptions } from 'sequelize';
import { createChanges, updateChanges, type AttributeValues } from '../change-set.js';
import { HOOK_NAME, type HookCallOptions } from '../hook-call-options.js';
import { writeLogs } from '../log-writer.js';
import type { Tracking } from '../tracking-options.js';
import { storedColumns } from './model-keys.js';
import { readConflictingRows } from './upsert-rows.js';

/** The hooks `upsert` tracking installs. */
export const UPSERT_HOOKS = ['beforeUpsert', 'afterUpsert'] as const;

/**
 * PostgreSQL's system column holding the deleting or locking transaction of a row version: 0 on
 * a row an `INSERT` has just written, set on the version `ON CONFLICT DO UPDATE` wrote (the
 * row it updated stays locked). Sequelize's upsert reports `created` as null on PostgreSQL, so
 * this column, returned with the row, is how the statement itself says what it did.
 */
const XMAX = 'xmax';
const EXISTING = Symbol('timeline-logger.upsertExisting');

type UpsertCallOptions = UpsertOptions & HookCallOptions & { instance?: Model; [EXISTING]?: readonly AttributeValues[] };

/**
 * Logs `created` for an `upsert` that inserted its row (changes `[null, value]`, as a create)
 * and `updated` for one that updated an existing row, with the changed fields as `[old, new]`
 * (`skipEmpty` applies). The before hook reads and locks the rows the upsert could conflict
 * with in the call's transaction (the upsert gets one of its own when called without), so the
 * old values are exactly the ones the statement replaced. A row another session commits between
 * that read and the statement is still logged as `updated`, with no changes (its old values
 * were never seen). `created` and `updated` are each logged only when listed in `events`.
 *
 * The statement returns every stored column (as `returning: true` does) plus `xmax`, which
 * the after hook removes from the instance again.
 *
 * @example
 * ```ts
 * if (tracking.events.has('created') || tracking.events.has('updated')) installUpsertHooks(tracking);
 * ```
 */
export function installUpsertHooks(tracking: Tracking): void {
  const { model } = tracking;
  model.addHook('beforeUpsert', HOOK_NAME, async (_values: unknown, options: UpsertCallOptions) => {
    if (options.instance === undefined) return;
    const existing = await readConflictingRows(model, options.instance, options);
    Object.defineProperty(options, EXISTING, { value: existing, configurable: true, enumerable: false, writable: true });
    options.returning = [...storedColumns(model), XMAX];
  });
  model.addHook('afterUpsert', HOOK_NAME, async (result: [Model, boolean | null], options: UpsertCallOptions) => {
    const existing = options[EXISTING];
    delete options[EXISTING];
    const [record] = result;
    if (existing === undefined || record === undefined) return;
    const values = record.dataValues as Record<string, unknown>;
    const xmax = values[XMAX];
    delete values[XMAX];
    // No row returned: ON CONFLICT DO NOTHING met an existing row, which stays as it was.
    if (xmax === undefined) return;
    if (String(xmax) === '0') {
      if (tracking.events.has('created'))
        await writeLogs(tracking, 'created', [record], options, (row) => createChanges(tracking.fields, row));
      return;
    }
    if (!tracking.events.has('updated')) return;
    const old = existing.find((row) => samePrimaryKey(model.primaryKeyAttribute, row, values));
    if (old === undefined) await writeLogs({ ...tracking, skipEmpty: false }, 'updated', [record], options, () => ({}));
    else await writeLogs(tracking, 'updated', [record], options, (row) => updateChanges(tracking.fields, old, row));
  });
}

function samePrimaryKey(pk: string, a: AttributeValues, b: AttributeValues): boolean {
  return a[pk] !== null && a[pk] !== undefined && String(a[pk]) === String(b[pk]);
}
