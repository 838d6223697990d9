import { DataTypes, Op, Utils, type Model, type ModelAttributeColumnOptions, type UpsertOptions } from 'sequelize';
import type { AnyModelStatic } from '../../options.js';
import type { AttributeValues } from '../change-set.js';
import type { HookCallOptions } from '../hook-call-options.js';

/** What `ON CONFLICT` can name: the model's unique keys and unique indexes, as Sequelize keeps them. */
interface UniqueKeySources {
  readonly primaryKeyAttributes: readonly string[];
  readonly uniqueKeys?: Readonly<Record<string, { readonly fields: readonly unknown[] }>>;
  readonly _indexes?: readonly { readonly unique?: boolean; readonly fields: readonly unknown[] }[];
}

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

/**
 * The columns of every stored attribute, as `returning` names them.
 *
 * @example
 * ```ts
 * storedColumns(Tag); // ['id', 'slug', 'label', 'created_at', 'updated_at']
 * ```
 */
export function storedColumns(model: AnyModelStatic): string[] {
  const attributes = model.getAttributes() as Record<string, ModelAttributeColumnOptions & { field?: string }>;
  return storedAttributeNames(model).map((name) => attributes[name]?.field ?? name);
}

function storedAttributeNames(model: AnyModelStatic): string[] {
  const attributes = model.getAttributes() as Record<string, ModelAttributeColumnOptions>;
  return Object.keys(attributes).filter((name) => !((attributes[name] as ModelAttributeColumnOptions).type instanceof DataTypes.VIRTUAL));
}

/** Each key that can conflict, as attribute names: the call's `conflictFields`, else the primary key and every unique key. */
function conflictKeys(model: AnyModelStatic, options: UpsertOptions): string[][] {
  const attributeOf = attributeNames(model);
  const toAttributes = (fields: readonly unknown[]): string[] | null => {
    const names = fields.map((field) => attributeOf.get(fieldName(field) ?? ''));
    return names.every((name): name is string => name !== undefined) ? names : null;
  };
  if (options.conflictFields !== undefined) return [toAttributes(options.conflictFields)].filter((key) => key !== null);
  const sources = model as unknown as UniqueKeySources;
  const keys: (string[] | null)[] = [[...sources.primaryKeyAttributes]];
  for (const unique of Object.values(sources.uniqueKeys ?? {})) keys.push(toAttributes(unique.fields));
  for (const index of sources._indexes ?? []) if (index.unique === true) keys.push(toAttributes(index.fields));
  return keys.filter((key): key is string[] => key !== null && key.length > 0);
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
