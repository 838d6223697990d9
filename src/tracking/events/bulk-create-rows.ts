import { Op, Utils, type BulkCreateOptions } from 'sequelize';
import type { AnyModelStatic } from '../../options.js';
import type { AttributeValues } from '../change-set.js';
import type { HookCallOptions } from '../hook-call-options.js';
import { fieldAttributes, storedAttributeNames, type UniqueKeySources } from './model-keys.js';

/** A `bulkCreate` call's options as its hooks see them (`updateOnDuplicate` already in attribute names). */
export type BulkCreateCallOptions = BulkCreateOptions & HookCallOptions & { conflictAttributes?: readonly string[] };

/**
 * The attributes of the `ON CONFLICT (...)` target Sequelize 6 writes for `updateOnDuplicate`
 * on PostgreSQL (`Model.bulkCreate` in its `lib/model.js`): the call's `conflictAttributes`,
 * else the fields of every unique index without a `where` followed by those of the first unique
 * key, else the primary key. Null when a field is not a plain column of the model (an
 * expression), so the rows it conflicts with cannot be read by it.
 *
 * @example
 * ```ts
 * conflictTarget(Tag, { updateOnDuplicate: ['label'] }); // ['slug'] (Tag's slug is unique: true)
 * ```
 */
export function conflictTarget(model: AnyModelStatic, options: BulkCreateCallOptions): string[] | null {
  const toAttributes = fieldAttributes(model);
  if (options.conflictAttributes !== undefined) return toAttributes(options.conflictAttributes);
  const sources = model as unknown as UniqueKeySources;
  const fields: unknown[] = [];
  for (const index of sources._indexes ?? []) if (index.unique === true && index.where === undefined) fields.push(...index.fields);
  const firstUnique = Object.values(sources.uniqueKeys ?? {}).find((key) => key.fields.length > 0);
  if (firstUnique !== undefined) fields.push(...firstUnique.fields);
  return fields.length > 0 ? toAttributes(fields) : [...sources.primaryKeyAttributes];
}

/**
 * The values of `key` in `row` as one comparable string, or null when one of them is missing
 * (NULL never conflicts) or is an SQL expression. Dates compare by instant, buffers by bytes.
 *
 * @example
 * ```ts
 * keyOf({ code: 'NL', name: 'Nederland' }, ['code']); // '["NL"]'
 * ```
 */
export function keyOf(row: AttributeValues, key: readonly string[]): string | null {
  const parts: string[] = [];
  for (const attribute of key) {
    const value = row[attribute];
    if (value === null || value === undefined || value instanceof Utils.SequelizeMethod) return null;
    if (value instanceof Date) parts.push(String(value.getTime()));
    else if (Buffer.isBuffer(value)) parts.push(value.toString('hex'));
    else parts.push(typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return JSON.stringify(parts);
}

/**
 * Reads the stored rows `rows` conflict with on `target`, every stored attribute, locked
 * (`FOR UPDATE`) when the call runs in a transaction: the old values of the rows an
 * `updateOnDuplicate` statement then updates. Rows with a missing target value are skipped.
 *
 * @example
 * ```ts
 * const old = await readRowsInConflict(Tag, ['slug'], [{ slug: 'news', label: 'Latest' }], options);
 * ```
 */
export async function readRowsInConflict(
  model: AnyModelStatic,
  target: readonly string[],
  rows: readonly AttributeValues[],
  options: HookCallOptions,
): Promise<AttributeValues[]> {
  const conditions = rows
    .filter((row) => keyOf(row, target) !== null)
    .map((row) => Object.fromEntries(target.map((name) => [name, row[name]])));
  if (conditions.length === 0) return [];
  const [single] = target;
  const where =
    target.length === 1 && single !== undefined
      ? { [single]: { [Op.in]: conditions.map((condition) => condition[single]) } }
      : { [Op.or]: conditions };
  const transaction = options.transaction ?? null;
  return model.unscoped().findAll({
    attributes: storedAttributeNames(model),
    where,
    transaction,
    raw: true,
    paranoid: false,
    ...(transaction === null ? {} : { lock: true }),
    ...(options.logging === undefined ? {} : { logging: options.logging }),
  }) as unknown as Promise<AttributeValues[]>;
}

/**
 * Which given row each returned row belongs to. PostgreSQL returns the rows of an `INSERT ...
 * ON CONFLICT DO NOTHING` in the order they were given, leaving the skipped ones out, so the
 * returned rows are a subsequence of the given ones: each is matched to the first remaining
 * given row whose own key values (primary key, unique keys) all agree with it. With as many
 * rows returned as given, the match is by position. An entry is -1 where no given row agrees.
 *
 * @example
 * ```ts
 * matchReturnedRows([['code']], [{ code: 'AT' }, { code: 'BE' }], [{ code: 'BE', name: 'Belgium' }]); // [1]
 * ```
 */
export function matchReturnedRows(
  keys: readonly string[][],
  given: readonly AttributeValues[],
  returned: readonly AttributeValues[],
): number[] {
  if (returned.length === given.length) return returned.map((_row, index) => index);
  const matches: number[] = [];
  let next = 0;
  for (const row of returned) {
    let index = next;
    while (index < given.length && !agrees(keys, given[index] as AttributeValues, row)) index += 1;
    if (index === given.length) {
      matches.push(-1);
      continue;
    }
    matches.push(index);
    next = index + 1;
  }
  return matches;
}

/** Whether every key `given` has all values of agrees with `row`'s. */
function agrees(keys: readonly string[][], given: AttributeValues, row: AttributeValues): boolean {
  for (const key of keys) {
    const own = keyOf(given, key);
    if (own !== null && own !== keyOf(row, key)) return false;
  }
  return true;
}
