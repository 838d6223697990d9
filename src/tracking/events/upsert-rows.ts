import { Op, Utils, type Model, type UpsertOptions } from 'sequelize';
import type { AnyModelStatic } from '../../options.js';
import type { AttributeValues } from '../change-set.js';
import type { HookCallOptions } from '../hook-call-options.js';
import { fieldAttributes, identifyingKeys, storedAttributeNames } from './model-keys.js';

/**
 * The stored rows an upsert of `instance` could meet in its `ON CONFLICT`, read with every
 * stored attribute and locked (`FOR UPDATE`, inside the call's transaction), so none of them
 * can change or disappear before the statement: the rows whose primary key or any unique key
 * (or the call's `conflictFields`) has the values the upsert inserts. Sequelize picks one of
 * those keys for the statement by rules of its own; reading them all means the row the
 * statement updates is among these whichever it picks (it is found after the statement by its
 * primary key). Keys with a missing value are skipped: NULL never conflicts.
 *
 * @example
 * ```ts
 * const rows = await readConflictingRows(Tag, options.instance, options); // [{ id: 3, slug: 'news', ... }]
 * ```
 */
export async function readConflictingRows(
  model: AnyModelStatic,
  instance: Model,
  options: UpsertOptions & HookCallOptions,
): Promise<AttributeValues[]> {
  const values = instance.dataValues as AttributeValues;
  const conditions: Record<string, unknown>[] = [];
  for (const key of conflictKeys(model, options)) {
    const condition = Object.fromEntries(key.map((attribute) => [attribute, values[attribute]]));
    if (Object.values(condition).some((value) => value === null || value === undefined || value instanceof Utils.SequelizeMethod)) continue;
    conditions.push(condition);
  }
  if (conditions.length === 0) return [];
  const transaction = options.transaction ?? null;
  return model.unscoped().findAll({
    attributes: storedAttributeNames(model),
    where: { [Op.or]: conditions },
    transaction,
    raw: true,
    paranoid: false,
    ...(transaction === null ? {} : { lock: true }),
    ...(options.logging === undefined ? {} : { logging: options.logging }),
  }) as unknown as Promise<AttributeValues[]>;
}

/** Each key that can conflict, as attribute names: the call's `conflictFields`, else the primary key and every unique key. */
function conflictKeys(model: AnyModelStatic, options: UpsertOptions): string[][] {
  if (options.conflictFields === undefined) return identifyingKeys(model);
  const key = fieldAttributes(model)(options.conflictFields);
  return key === null || key.length === 0 ? [] : [key];
}
