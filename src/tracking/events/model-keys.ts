import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import type { AnyModelStatic } from '../../options.js';

/** What Sequelize keeps of a model's unique keys and unique indexes. */
export interface UniqueKeySources {
  readonly primaryKeyAttributes: readonly string[];
  readonly uniqueKeys?: Readonly<Record<string, { readonly fields: readonly unknown[] }>>;
  readonly _indexes?: readonly { readonly unique?: boolean; readonly where?: unknown; readonly fields: readonly unknown[] }[];
}

/**
 * Turns index or key fields (column names, attribute names, `{ name }` or `{ attribute }`) into
 * the model's attribute names; null when one of them is not a plain column of the model (an
 * expression).
 *
 * @example
 * ```ts
 * fieldAttributes(Tag)(['slug', { name: 'created_at' }]); // ['slug', 'createdAt']
 * ```
 */
export function fieldAttributes(model: AnyModelStatic): (fields: readonly unknown[]) => string[] | null {
  const attributeOf = new Map<string, string>();
  for (const [name, attribute] of Object.entries(model.getAttributes() as Record<string, { field?: string }>)) {
    attributeOf.set(name, name);
    if (attribute.field !== undefined && !attributeOf.has(attribute.field)) attributeOf.set(attribute.field, name);
  }
  return (fields) => {
    const names = fields.map((field) => attributeOf.get(fieldName(field) ?? ''));
    return names.every((name): name is string => name !== undefined) ? names : null;
  };
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
  const toAttributes = fieldAttributes(model);
  const sources = model as unknown as UniqueKeySources;
  const keys: string[][] = [[...sources.primaryKeyAttributes]];
  const candidates = [
    ...Object.values(sources.uniqueKeys ?? {}).map((key) => key.fields),
    ...(sources._indexes ?? []).filter((index) => index.unique === true).map((index) => index.fields),
  ];
  for (const fields of candidates) {
    const names = toAttributes(fields);
    if (names !== null && names.length > 0) keys.push(names);
  }
  return keys;
}

/**
 * The model's attributes that are stored (not `VIRTUAL`).
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

/** An index field's column: a name, or `{ name }` / `{ attribute }`; null for an expression. */
function fieldName(field: unknown): string | null {
  if (typeof field === 'string') return field;
  if (field === null || typeof field !== 'object') return null;
  const { name, attribute } = field as { name?: unknown; attribute?: unknown };
  if (typeof name === 'string') return name;
  return typeof attribute === 'string' ? attribute : null;
}
