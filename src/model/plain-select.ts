import { DataTypes, QueryTypes, type BuildOptions, type Model, type ModelStatic, type Options, type TableName } from 'sequelize';

/** The hooks `findAll` runs: a model with any of them, or a connection with any, is read through `findAll`. */
const FIND_HOOKS = ['beforeFind', 'beforeFindAfterExpandIncludeAll', 'beforeFindAfterOptions', 'afterFind'] as const;

/** A model's select list as `findAll` writes it, and the attribute names its instances are built with. */
export interface ModelColumns {
  /** `"id", "author_id" AS "authorId", ...`: every stored attribute, aliased to its name where the column differs. */
  readonly sql: string;
  /** Every attribute name (virtual ones too), as `findAll` hands them to `bulkBuild`. */
  readonly names: readonly string[];
}

const columnsByAttributes = new WeakMap<object, ModelColumns>();

/**
 * Whether `findAll` on `model` would do nothing but select its columns: no default scope, not
 * paranoid, no `rejectOnEmpty`, no find hooks on the model or its connection, identifiers quoted
 * and results not raw by default. Only then may {@link selectInstances} read its rows instead:
 * it skips `findAll`'s option processing (about a third of a small query's cost in Node) and
 * builds the same instances. Anything an app set up that changes what `findAll` reads keeps
 * `findAll`.
 *
 * @example
 * ```ts
 * const posts = selectsPlainly(Post) ? await selectInstances(Post, sql) : await Post.findAll({ where });
 * ```
 */
export function selectsPlainly(model: ModelStatic<Model>): boolean {
  const sequelize = model.sequelize;
  if (sequelize === undefined) return false;
  const { defaultScope, paranoid } = model.options;
  const { rejectOnEmpty } = model.options as { readonly rejectOnEmpty?: unknown };
  // Sequelize keeps its options on the instance; the typings do not declare them.
  const settings = (sequelize as unknown as { readonly options: Options }).options;
  return (
    (defaultScope === undefined || Object.keys(defaultScope).length === 0) &&
    paranoid !== true &&
    (rejectOnEmpty === undefined || rejectOnEmpty === false) &&
    settings.quoteIdentifiers !== false &&
    settings.query?.raw !== true &&
    FIND_HOOKS.every((hook) => !model.hasHook(hook) && !sequelize.hasHook(hook))
  );
}

/**
 * The columns `findAll` selects for `model` (computed once per attribute set: a model that is
 * initialised again gets a new one).
 *
 * @throws TypeError when the model is not initialised.
 * @example
 * ```ts
 * modelColumns(Post).sql; // '"id", "title", "body", "author_id" AS "authorId", "created_at" AS "createdAt", "updated_at" AS "updatedAt"'
 * ```
 */
export function modelColumns(model: ModelStatic<Model>): ModelColumns {
  const attributes = model.getAttributes();
  const known = columnsByAttributes.get(attributes);
  if (known !== undefined) return known;
  const queryInterface = model.sequelize?.getQueryInterface();
  if (queryInterface === undefined) throw new TypeError(`${model.name} is not initialised`);
  const columns: string[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.type instanceof DataTypes.VIRTUAL) continue;
    const field = attribute.field ?? name;
    const quoted = queryInterface.quoteIdentifier(field);
    columns.push(field === name ? quoted : `${quoted} AS ${queryInterface.quoteIdentifier(name)}`);
  }
  const made: ModelColumns = Object.freeze({ sql: columns.join(', '), names: Object.freeze(Object.keys(attributes)) });
  columnsByAttributes.set(attributes, made);
  return made;
}

/** The part of Sequelize's query generator used here (the typings leave it `unknown`). */
interface TableQuoter {
  quoteTable(table: TableName, alias: string): string;
}

/**
 * `model`'s table as `findAll` names it in FROM: quoted (with its schema) and aliased to the model's name.
 *
 * @throws TypeError when the model is not initialised.
 * @example
 * ```ts
 * fromTable(Post); // '"posts" AS "Post"'
 * ```
 */
export function fromTable(model: ModelStatic<Model>): string {
  const queryInterface = model.sequelize?.getQueryInterface();
  if (queryInterface === undefined) throw new TypeError(`${model.name} is not initialised`);
  return (queryInterface.queryGenerator as TableQuoter).quoteTable(model.getTableName(), model.name);
}

/**
 * Sends a SELECT of `model`'s {@link modelColumns} (plus `extraNames` selected under those
 * names) through Sequelize (its pool, read replicas, CLS transaction and logging) and builds
 * instances exactly as `findAll` does with the rows. Use it only where {@link selectsPlainly}.
 *
 * @example
 * ```ts
 * const sql = `SELECT ${modelColumns(Post).sql} FROM "posts" AS "Post" WHERE "Post"."id" IN ('1', '2');`;
 * const posts = await selectInstances(Post, sql);
 * ```
 */
export async function selectInstances<M extends Model>(
  model: ModelStatic<M>,
  sql: string,
  extraNames: readonly string[] = [],
): Promise<M[]> {
  const sequelize = model.sequelize;
  if (sequelize === undefined) throw new TypeError(`${model.name} is not initialised`);
  const rows = await sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT, raw: true });
  const names = modelColumns(model).names;
  // As findAll builds: with the selected attribute names (they decide which values and getters an instance has), no includes.
  const options: BuildOptions & { readonly attributes: readonly string[]; readonly includeValidated: true } = {
    raw: true,
    isNewRecord: false,
    includeValidated: true,
    attributes: extraNames.length === 0 ? [...names] : [...names, ...extraNames],
  };
  return model.bulkBuild(rows as M['_creationAttributes'][], options);
}
