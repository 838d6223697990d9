import {
  DataTypes,
  Op,
  Utils,
  type DestroyOptions,
  type FindAttributeOptions,
  type Model,
  type ModelAttributeColumnOptions,
  type RestoreOptions,
  type Sequelize,
  type UpdateOptions,
} from 'sequelize';
import type { AnyModelStatic } from '../options.js';
import type { AttributeValues } from './change-set.js';
import type { HookCallOptions } from './hook-call-options.js';
import type { Tracking } from './tracking-options.js';

/** What a bulk update or destroy read before running, for its after hook. */
export interface BulkSnapshot {
  /** The rows as they were, every stored attribute (plus the new values of expressions, prefixed). */
  readonly rows: AttributeValues[];
  /** The plain values the update sets. */
  readonly values: AttributeValues;
  /** The attributes set to SQL expressions, whose new values the SELECT read. */
  readonly expressions: readonly string[];
}

const SNAPSHOT = Symbol('timeline-logger.bulkSnapshot');
const NEW_VALUE_PREFIX = '__timeline_new_';

/** A bulk call's options, carrying the snapshot from its before hook to its after hook. */
export type BulkCallOptions = HookCallOptions & { [SNAPSHOT]?: BulkSnapshot };

/**
 * Reads the rows a bulk update is about to change with one SELECT (locked FOR UPDATE inside a
 * transaction), and narrows the statement to exactly those rows: their old values, and the new value of every attribute set to an SQL expression
 * (`sequelize.literal('stock - 1')`), computed by PostgreSQL on the same row. Kept on `options`
 * for {@link takeBulkSnapshot}.
 *
 * @example
 * ```ts
 * model.addHook('beforeBulkUpdate', HOOK_NAME, (options) => snapshotBulkUpdate(tracking, options));
 * ```
 */
export async function snapshotBulkUpdate(
  tracking: Tracking,
  options: UpdateOptions & BulkCallOptions & { attributes?: AttributeValues },
): Promise<void> {
  if (options.individualHooks) return;
  const values = options.attributes ?? {};
  const expressions = Object.entries(values).filter(([, value]) => value instanceof Utils.SequelizeMethod);
  const attributes: FindAttributeOptions = [
    ...storedAttributes(tracking.model),
    ...expressions.map(([name, value]) => [value, `${NEW_VALUE_PREFIX}${name}`] as [Utils.Literal, string]),
  ];
  const rows = await selectRows(tracking.model, options, attributes, false, statementLimit(tracking.model, options, false));
  pinToRows(tracking.model, options, rows);
  const plain = Object.fromEntries(Object.entries(values).filter(([, value]) => !(value instanceof Utils.SequelizeMethod)));
  keepSnapshot(options, { rows, values: plain, expressions: expressions.map(([name]) => name) });
}

/**
 * Reads the rows a bulk destroy is about to delete (a paranoid model's already deleted rows
 * excepted unless `force`), kept on `options` for {@link takeBulkSnapshot}.
 *
 * @example
 * ```ts
 * model.addHook('beforeBulkDestroy', HOOK_NAME, (options) => snapshotBulkDestroy(tracking, options));
 * ```
 */
export async function snapshotBulkDestroy(tracking: Tracking, options: DestroyOptions & BulkCallOptions): Promise<void> {
  if (options.individualHooks) return;
  const soft = options.force !== true && tracking.model.options.paranoid === true;
  const limit = statementLimit(tracking.model, options, !soft);
  const rows = await selectRows(tracking.model, options, storedAttributes(tracking.model), options.force !== true, limit);
  if (options.truncate !== true) pinToRows(tracking.model, options, rows);
  keepSnapshot(options, { rows, values: {}, expressions: [] });
}

/**
 * Reads the rows `where` matches, every stored attribute (locked FOR UPDATE inside a
 * transaction; a paranoid model's soft-deleted rows too), narrows the call's statement to them,
 * or to the rows `orElse` matches, and keeps them on `options` for {@link takeBulkSnapshot}: the
 * steps of a bulk before hook whose statement sets no values of the call's own.
 *
 * @example
 * ```ts
 * await snapshotMatchingRows(tracking, options, { [Op.and]: [options.where, deleted] }, { deleted_at: null });
 * ```
 */
export async function snapshotMatchingRows(
  tracking: Tracking,
  options: BulkCallOptions & { where?: unknown },
  where: unknown,
  orElse: object,
): Promise<void> {
  const read = { ...options, where } as RestoreOptions & HookCallOptions;
  const rows = await selectRows(tracking.model, read, storedAttributes(tracking.model), false, undefined);
  pinToRows(tracking.model, options, rows, orElse);
  keepSnapshot(options, { rows, values: {}, expressions: [] });
}

/**
 * Leaves the snapshot on the call's options as a non-enumerable property: Sequelize deep-copies
 * the options on their way to the query (lodash `cloneDeep`), which skips it instead of copying
 * every row read.
 */
function keepSnapshot(options: BulkCallOptions, snapshot: BulkSnapshot): void {
  Object.defineProperty(options, SNAPSHOT, { value: snapshot, configurable: true, enumerable: false, writable: true });
}

/**
 * The snapshot a before hook left on `options`, removed from it; undefined when there is none
 * (with `individualHooks`, or when the event is not tracked).
 *
 * @example
 * ```ts
 * const snapshot = takeBulkSnapshot(options);
 * ```
 */
export function takeBulkSnapshot(options: BulkCallOptions): BulkSnapshot | undefined {
  const snapshot = options[SNAPSHOT];
  delete options[SNAPSHOT];
  return snapshot;
}

/**
 * A row as the bulk update left it: its old values, the expressions' computed values, the plain values.
 *
 * @example
 * ```ts
 * const after = rowAfterUpdate(snapshot.rows[0], snapshot);
 * ```
 */
export function rowAfterUpdate(row: AttributeValues, snapshot: BulkSnapshot): Record<string, unknown> {
  if (snapshot.expressions.length === 0) return { ...row, ...snapshot.values };
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (!key.startsWith(NEW_VALUE_PREFIX)) {
      if (!(key in after)) after[key] = value;
      continue;
    }
    after[key.slice(NEW_VALUE_PREFIX.length)] = value;
  }
  return Object.assign(after, snapshot.values);
}

/**
 * A stored row as an instance of `model` (for labels, which may read any attribute).
 *
 * @example
 * ```ts
 * const instance = snapshotInstance(Post, row);
 * ```
 */
export function snapshotInstance(model: AnyModelStatic, row: AttributeValues): Model {
  return model.build(row as Record<string, unknown>, { raw: true, isNewRecord: false });
}

/**
 * Narrows the statement to the rows just read, so it changes exactly the rows that get a log.
 * Inside a transaction they are locked (`FOR UPDATE`): none of them can change or go away
 * before the statement runs, but in READ COMMITTED the statement would also see a matching row
 * that another session committed in between, and change it without a log. Pinned by key, such
 * a row is left alone, as if it had been committed just after the statement.
 *
 * The keys travel as one array literal, `pk = ANY('{1,2,...}')` (PostgreSQL types it as an
 * array of the key column's type), not as `pk IN (1, 2, ...)`. Measured on 10,000 rows, the
 * `Model.update` call took 100-120 ms pinned by an IN list, 45 ms pinned by the literal and 42 ms
 * not pinned: Sequelize builds and escapes each key of an IN list (35-45 ms of Node time) and
 * PostgreSQL parses 10,000 constants (about 25 ms more than one array). Keys that are neither
 * numbers nor strings (e.g. a `Date` or `Buffer` key) keep the IN list, which Sequelize escapes
 * by type. `orElse` lets other rows through too (the live rows a restore also touches).
 */
function pinToRows(model: AnyModelStatic, options: { where?: unknown }, rows: readonly AttributeValues[], orElse?: object): void {
  const pk = model.primaryKeyAttribute;
  const keys = rows.map((row) => row[pk]);
  const byKey = { [pk]: keyArrayLiteral(model, keys) ?? { [Op.in]: keys } };
  const pinned = orElse === undefined ? byKey : { [Op.or]: [byKey, orElse] };
  options.where = options.where === undefined ? pinned : { [Op.and]: [options.where, pinned] };
}

/** `{ [Op.eq]: ANY('{...}') }` for number and string keys; null when a key is of another type. */
function keyArrayLiteral(model: AnyModelStatic, keys: readonly unknown[]): { [Op.eq]: Utils.Literal } | null {
  const elements = new Array<string>(keys.length);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index];
    if (typeof key === 'number' && Number.isFinite(key)) elements[index] = String(key);
    else if (typeof key === 'bigint') elements[index] = key.toString();
    // Inside an array literal a quoted element escapes only `"` and `\`.
    else if (typeof key === 'string') elements[index] = `"${key.replace(/["\\]/g, '\\$&')}"`;
    else return null;
  }
  const sequelize = model.sequelize as Sequelize;
  return { [Op.eq]: sequelize.literal(`ANY(${sequelize.escape(`{${elements.join(',')}}`)})`) };
}

/**
 * Every stored attribute, not only the tracked ones: the log's label (`objectLabel`, by default
 * the model's `toString()`) may read any of them.
 */
function storedAttributes(model: AnyModelStatic): string[] {
  const attributes = model.getAttributes() as Record<string, ModelAttributeColumnOptions>;
  return Object.keys(attributes).filter((name) => !((attributes[name] as ModelAttributeColumnOptions).type instanceof DataTypes.VIRTUAL));
}

/**
 * The call's `limit` when its statement honours it, else undefined. PostgreSQL has no `UPDATE
 * ... LIMIT`, and Sequelize drops `limit` from every UPDATE there (its dialect says `LIMIT ON
 * UPDATE: false`): `Model.update`, a paranoid `Model.destroy` (an UPDATE of `deletedAt`) and
 * `Model.restore` change every matching row whatever the limit. Only a real DELETE applies it.
 * Reading just `limit` rows and pinning the statement to them would change fewer rows than the
 * same call untracked.
 */
function statementLimit(model: AnyModelStatic, options: { limit?: number }, deletes: boolean): number | undefined {
  if (deletes) return options.limit;
  const { supports } = (model.sequelize as unknown as { dialect: { supports: Readonly<Record<string, unknown>> } }).dialect;
  return supports['LIMIT ON UPDATE'] === true ? options.limit : undefined;
}

async function selectRows(
  model: AnyModelStatic,
  options: (UpdateOptions | DestroyOptions | RestoreOptions) & HookCallOptions,
  attributes: FindAttributeOptions,
  paranoid: boolean,
  limit: number | undefined,
): Promise<AttributeValues[]> {
  const transaction = options.transaction ?? null;
  return model.unscoped().findAll({
    attributes,
    where: options.where,
    transaction,
    raw: true,
    paranoid,
    ...(transaction === null ? {} : { lock: true }),
    ...(limit === undefined ? {} : { limit }),
    ...(options.logging === undefined ? {} : { logging: options.logging }),
  }) as unknown as Promise<AttributeValues[]>;
}
