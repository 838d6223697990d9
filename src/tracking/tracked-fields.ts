import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { AnyModelStatic } from '../options.js';
import { isMaskedField, type TrackedField, type ValueKind } from './change-set.js';

/** Which attributes of a model are tracked, and which are masked. */
export interface FieldSelection {
  /** Track only these attributes (timestamps included if listed). */
  readonly only?: readonly string[];
  /** Never track these attributes. */
  readonly exclude?: readonly string[];
  /** Substrings (case-insensitive) of attribute names whose values are masked. */
  readonly mask: readonly string[];
}

/**
 * The tracked attributes of `model`, in its attribute order: every stored attribute except the
 * timestamps (`createdAt`, `updatedAt`, `deletedAt`) and virtual ones, narrowed by `only` and
 * `exclude`.
 *
 * @throws ConfigurationError when `only` or `exclude` names an attribute the model does not have.
 * @example
 * ```ts
 * trackedFields(Post, { mask: ['password'] }).map((field) => field.name); // ['id', 'title', 'body', 'authorId']
 * ```
 */
export function trackedFields(model: AnyModelStatic, selection: FieldSelection): TrackedField[] {
  const attributes = model.getAttributes() as Record<string, ModelAttributeColumnOptions>;
  checkNames(model, attributes, 'only', selection.only);
  checkNames(model, attributes, 'exclude', selection.exclude);
  const timestamps = timestampAttributes(model);
  const only = selection.only === undefined ? null : new Set(selection.only);
  const exclude = new Set(selection.exclude ?? []);
  const fields: TrackedField[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.type instanceof DataTypes.VIRTUAL || exclude.has(name)) continue;
    if (only === null ? timestamps.has(name) : !only.has(name)) continue;
    const array = attribute.type instanceof DataTypes.ARRAY;
    const elementType = array ? (attribute.type as unknown as { type: unknown }).type : attribute.type;
    fields.push({
      name,
      kind: valueKind(elementType),
      array,
      masked: isMaskedField(name, selection.mask),
      primaryKey: attribute.primaryKey === true,
    });
  }
  return fields;
}

/**
 * How values of a Sequelize data type are serialised.
 *
 * @example
 * ```ts
 * valueKind(DataTypes.DECIMAL(10, 2)); // 'decimal'
 * ```
 */
export function valueKind(type: unknown): ValueKind {
  if (type instanceof DataTypes.JSON || type instanceof DataTypes.JSONB || type instanceof DataTypes.HSTORE) return 'json';
  if (type instanceof DataTypes.DATEONLY) return 'dateonly';
  if (type instanceof DataTypes.DATE) return 'date';
  if (type instanceof DataTypes.DECIMAL) return 'decimal';
  if (type instanceof DataTypes.BIGINT) return 'bigint';
  if (type instanceof DataTypes.FLOAT || type instanceof DataTypes.DOUBLE || type instanceof DataTypes.REAL) return 'float';
  if (type instanceof DataTypes.BLOB) return 'binary';
  return 'plain';
}

/** The model's timestamp attributes (Sequelize keeps them in a private field; this reads the public options). */
function timestampAttributes(model: AnyModelStatic): Set<string> {
  const options = model.options;
  const names = new Set<string>();
  if (options.timestamps === false) return names;
  const add = (setting: string | boolean | undefined, fallback: string, enabled = true): void => {
    if (!enabled || setting === false) return;
    names.add(typeof setting === 'string' ? setting : fallback);
  };
  add(options.createdAt, 'createdAt');
  add(options.updatedAt, 'updatedAt');
  add(options.deletedAt, 'deletedAt', options.paranoid === true);
  return names;
}

function checkNames(
  model: AnyModelStatic,
  attributes: Record<string, unknown>,
  option: 'only' | 'exclude',
  names: readonly string[] | undefined,
): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
    throw ConfigurationError.invalidOption(option, 'an array of attribute names', names);
  }
  const unknown = names.filter((name) => !(name in attributes));
  if (unknown.length > 0) {
    throw ConfigurationError.invalidOption(
      option,
      `names of ${model.name} attributes (${Object.keys(attributes).join(', ')})`,
      unknown.join(', '),
    );
  }
}
