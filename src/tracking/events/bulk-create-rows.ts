import { DataTypes, Op, Utils, type BulkCreateOptions, type ModelAttributeColumnOptions } from 'sequelize';
import type { AnyModelStatic } from '../../options.js';
import type { AttributeValues } from '../change-set.js';
import type { HookCallOptions } from '../hook-call-options.js';

/** What Sequelize keeps of a model's unique keys and unique indexes. */
interface UniqueKeySources {
  readonly primaryKeyAttributes: readonly string[];
  readonly uniqueKeys?: Readonly<Record<string, { readonly fields: readonly unknown[] }>>;
  readonly _indexes?: readonly { readonly unique?: boolean; readonly where?: unknown; readonly fields: readonly unknown[] }[];
}

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
  const attributeOf = attributeNames(model);
  const toAttributes = (fields: readonly unknown[]): string[] | null => {
    const names = fields.map((field) => attributeOf.get(fieldName(field) ?? ''));
    return names.every((name): name is string => name !== undefined) ? names : null;
  };
  if (options.conflictAttributes !== undefined) return toAttributes(options.conflictAttributes);
  const sources = model as unknown as UniqueKeySources;
  const fields: unknown[] = [];
  for (const index of sources._indexes ?? []) if (index.unique === true && index.where === undefined) fields.push(...index.fields);
  const firstUnique = Object.values(sources.uniqueKeys ?? {}).find((key) => key.fields.length > 0);
  if (firstUnique !== undefined) fields.push(...firstUnique.fields);
  return fields.length > 0 ? toAttributes(fields) : [...sources.primaryKeyAttributes];
}

/**
 * Every key a row can be told apart by: the primary key, each unique key and each unique index
 * (as attribute names; an index on an expression is left out).
 *
 * @example
 * ```ts
 * identifyingKeys(Tag); // [['id'], ['slug']]
 * ```
 */
export function identifyingKeys(model: AnyModelStatic): string[][] {
  const attributeOf = attributeNames(model);
  const sources = model as unknown as UniqueKeySources;
  const keys: string[][] = [[...sources.primaryKeyAttributes]];
  const candidates = [
    ...Object.values(sources.uniqueKeys ?? {}).map((key) => key.fields),
    ...(sources._indexes ?? []).filter((index) => index.unique === true).map((index) => index.fields),
  ];
  for (const fields of candidates) {
    const names = fields.map((field) => attributeOf.get(fieldName(field) ?? ''));
    if (names.length > 0 && names.every((name): name is string => name !== undefined)) keys.push(names);
  }
  return keys;
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

/**
 * The names of every stored (not `VIRTUAL`) attribute.
 *
 * @example
 * ```ts
 * storedAttributeNames(Tag); // ['id', 'slug', 'label', 'createdAt', 'updatedAt']
 * ```
 */
export function storedAttributeNames(model: AnyModelStatic): string[] {
  const attributes = model.getAttributes() as Record<string, ModelAttributeColumnOptions>;
  return Object.keys(attributes).filter((name) => !((attributes[name] as ModelAttributeColumnOptions).type instanceof DataTypes.VIRTUAL));
}

/** An index field's column: a name, or `{ name }` / `{ attribute }`; null for an expression. */
function fieldName(field: unknown): string | null {
  if (typeof field === 'string') return field;
  if (field === null || typeof field !== 'object') return null;
  const { name, attribute } = field as { name?: unknown; attribute?: unknown };
  if (typeof name === 'string') return name;
  return typeof attribute === 'string' ? attribute : null;
}

/** Attribute names by column name and by their own name. */
function attributeNames(model: AnyModelStatic): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, attribute] of Object.entries(model.getAttributes() as Record<string, { field?: string }>)) {
    names.set(name, name);
    if (attribute.field !== undefined && !names.has(attribute.field)) names.set(attribute.field, name);
  }
  return names;
}
