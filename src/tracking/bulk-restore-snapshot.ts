import { Op, type ModelAttributeColumnOptions, type RestoreOptions } from 'sequelize';
import type { AnyModelStatic } from '../options.js';
import { snapshotMatchingRows, type BulkCallOptions } from './bulk-snapshot.js';
import type { Tracking } from './tracking-options.js';

/** Where a paranoid model keeps its deletion time. */
export interface DeletedAtColumn {
  /** The attribute, e.g. `deletedAt`. */
  readonly attribute: string;
  /** Its column, e.g. `deleted_at`. */
  readonly field: string;
  /** Its value on a live row: `null` unless the attribute declares a `defaultValue`. */
  readonly live: unknown;
}

/**
 * The `deletedAt` column of a paranoid model (Sequelize's own record of it), or undefined for a
 * model that is not paranoid.
 *
 * @example
 * ```ts
 * deletedAtColumn(Memo); // { attribute: 'deletedAt', field: 'deleted_at', live: null }
 * ```
 */
export function deletedAtColumn(model: AnyModelStatic): DeletedAtColumn | undefined {
  const attribute = (model as unknown as { _timestampAttributes: { deletedAt?: string } })._timestampAttributes.deletedAt;
  if (attribute === undefined) return undefined;
  const column = model.getAttributes()[attribute] as ModelAttributeColumnOptions & { field?: string };
  return { attribute, field: column.field ?? attribute, live: Object.hasOwn(column, 'defaultValue') ? column.defaultValue : null };
}

/**
 * Reads the soft-deleted rows a bulk `Model.restore` is about to restore (locked FOR UPDATE),
 * kept on `options` for `takeBulkSnapshot`. Sequelize's restore statement sets `deletedAt` back
 * on every row its `where` matches, live rows included (a no-op for them), so the statement is
 * narrowed to the rows read *or* live rows: it still touches (and counts) what it did untracked,
 * but a row another session soft-deletes in the meantime is left alone, so every row it
 * restores gets a log. (Sequelize ignores `limit` on PostgreSQL, so it is not read either.)
 *
 * @example
 * ```ts
 * model.addHook('beforeBulkRestore', HOOK_NAME, (options) => snapshotBulkRestore(tracking, options));
 * ```
 */
export async function snapshotBulkRestore(tracking: Tracking, options: RestoreOptions & BulkCallOptions): Promise<void> {
  const column = deletedAtColumn(tracking.model);
  if (options.individualHooks || column === undefined) return;
  // Sequelize has mapped the call's where to column names before this hook: name the column.
  const { field, live } = column;
  const deleted = { [field]: { [Op.ne]: live } };
  const where = options.where === undefined ? deleted : { [Op.and]: [options.where, deleted] };
  await snapshotMatchingRows(tracking, options, where, { [field]: live });
}
