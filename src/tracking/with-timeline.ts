import {
  DataTypes,
  Model,
  Utils,
  type ModelAttributeColumnOptions,
  type BulkCreateOptions,
  type DestroyOptions,
  type FindAttributeOptions,
  type FindOptions,
  type InstanceDestroyOptions,
  type InstanceUpdateOptions,
  type Transaction,
  type UpdateOptions,
} from 'sequelize';
import { ConfigurationError } from '../errors.js';
import { actorColumns, requestActorColumns, type ActorColumns } from '../model/actor.js';
import { buildLogRow, TimelineLog, type TimelineLogAttributes, type TimelineLogCreationAttributes } from '../model/timeline-log.js';
import type { AnyModelStatic } from '../options.js';
import { currentTimelineActor } from './actor-context.js';
import { createChanges, deleteChanges, updateChanges, type AttributeValues, type Changes, type TrackedField } from './change-set.js';
import { insertLogRows } from './insert-log-rows.js';
import { trackedFields } from './tracked-fields.js';
import { queueLogRows } from './transaction-log-buffer.js';

/** The events `withTimeline` can log. */
export type TimelineEvent = 'created' | 'updated' | 'deleted';

/** The fields masked unless `mask` says otherwise: any name containing one of these, ignoring case. */
export const DEFAULT_MASKED_FIELDS: readonly string[] = Object.freeze(['password', 'token', 'secret']);

/** Per-call tracking options: `Post.create(values, { timeline: { user: admin } })`. */
export interface TimelineCallOptions {
  /**
   * The acting user of this call (a user model instance or an object with an id; `null` for
   * none). Wins over the user of `timelineContext()` / `runWithTimelineUser`.
   */
  user?: object | null;
}

declare module 'sequelize' {
  interface Hookable {
    /** timeline-logger's per-call options (see `withTimeline`). */
    timeline?: TimelineCallOptions;
  }
}

/**
 * Options of {@link withTimeline}.
 *
 * @example
 * ```ts
 * withTimeline(User, { exclude: ['lastLoginAt'], mask: [...DEFAULT_MASKED_FIELDS, 'iban'] });
 * ```
 */
export interface WithTimelineOptions {
  /** Which events are logged. Defaults to `['created', 'updated', 'deleted']`. */
  events?: readonly TimelineEvent[];
  /** Track only these attributes (list a timestamp here to track it). Defaults to all but the timestamps. */
  only?: readonly string[];
  /** Never track these attributes. Defaults to `[]`. */
  exclude?: readonly string[];
  /**
   * Attributes whose values are stored as `"********"`: every attribute whose name contains one
   * of these, ignoring case. Replaces the default list; spread {@link DEFAULT_MASKED_FIELDS} to
   * extend it. Defaults to `['password', 'token', 'secret']` (so `apiToken` is masked).
   */
  mask?: readonly string[];
  /**
   * The message template per event. Defaults to `timeline_logger/created.ejs`,
   * `timeline_logger/updated.ejs` and `timeline_logger/deleted.ejs`.
   */
  templates?: Partial<Readonly<Record<TimelineEvent, string>>>;
  /** Write nothing for an update that changes no tracked attribute. Defaults to `true`. */
  skipEmpty?: boolean;
}

/** What `withTimeline` adds to the instances of a tracked model; declare it on your class. */
export interface TimelineTracked {
  /**
   * The instance's logs, newest first.
   *
   * @example
   * ```ts
   * class Post extends Model { declare getTimelineLogs: TimelineTracked['getTimelineLogs']; }
   * const history = await post.getTimelineLogs({ limit: 10 });
   * ```
   */
  getTimelineLogs(findOptions?: FindOptions<TimelineLogAttributes>): Promise<TimelineLog[]>;
}

const EVENTS: readonly TimelineEvent[] = ['created', 'updated', 'deleted'];
const HOOK_NAME = 'timeline-logger';
const PENDING = Symbol('timeline-logger.pendingBulk');
const NEW_VALUE_PREFIX = '__timeline_new_';
const HOOKS = [
  'afterCreate',
  'afterBulkCreate',
  'beforeBulkCreate',
  'afterUpdate',
  'beforeBulkUpdate',
  'afterBulkUpdate',
  'afterDestroy',
  'beforeBulkDestroy',
  'afterBulkDestroy',
] as const;

/** The resolved settings of one tracked model. */
interface Tracking {
  readonly model: AnyModelStatic;
  readonly events: ReadonlySet<TimelineEvent>;
  readonly fields: readonly TrackedField[];
  readonly templates: Readonly<Record<TimelineEvent, string>>;
  readonly skipEmpty: boolean;
}

/** What a bulk update or destroy read before running, for its after hook. */
interface PendingBulk {
  readonly rows: AttributeValues[];
  readonly values: AttributeValues;
  /** The attributes set to SQL expressions, whose new values the SELECT read. */
  readonly expressions: readonly string[];
}

type CallOptions = {
  transaction?: Transaction | null;
  logging?: boolean | ((sql: string, timing?: number) => void);
  timeline?: TimelineCallOptions;
  individualHooks?: boolean;
  [PENDING]?: PendingBulk;
};

/**
 * Tracks every create, update and delete of `model` on the timeline: each writes a log with
 * the event (`created`, `updated`, `deleted`), its template and `extraData.changes`
 * (`{ field: [old, new] }`), inside the change's own transaction (explicit or CLS), by the
 * acting user (`{ timeline: { user } }` on the call, else `timelineContext()` /
 * `runWithTimelineUser`). Bulk `bulkCreate`, `Model.update` and `Model.destroy` are tracked
 * without `individualHooks`, one log per row in one multi-row INSERT. Calling it again replaces
 * the previous settings (never two logs per change). Call it after `setupTimeline`.
 *
 * @returns `model`, for chaining.
 * @throws ConfigurationError when `setupTimeline` has not run (or ran on another Sequelize
 *   instance), the model has no single-column primary key, or an option is invalid or names an
 *   unknown attribute.
 * @throws TemplateNotFoundError when a template of `templates` does not exist.
 * @example
 * ```ts
 * setupTimeline(sequelize, { userModel: User });
 * withTimeline(Post, { exclude: ['views'] });
 * await Post.create({ title: 'Hello' }, { timeline: { user: ann } });
 * // "July 1, 2016, 9:08 a.m. - ann created Hello"
 * ```
 */
export function withTimeline<M extends AnyModelStatic>(model: M, options: WithTimelineOptions = {}): M {
  if (typeof model !== 'function' || !(model.prototype instanceof Model)) {
    throw new TypeError('argument model must be a Sequelize model class (initialised with Model.init)');
  }
  if (model.primaryKeyAttributes.length !== 1) {
    throw new ConfigurationError(
      `withTimeline(${model.name}) needs a model with a single-column primary key (logs name their object by it); ` +
        `${model.name} has ${model.primaryKeyAttributes.length === 0 ? 'none' : `${model.primaryKeyAttributes.join(' + ')}`}.`,
    );
  }
  if (model.sequelize !== TimelineLog.runtime.sequelize) {
    throw new ConfigurationError(
      `withTimeline(${model.name}): the model is bound to another Sequelize instance than setupTimeline(); ` +
        'logs are written in the change\'s own transaction, so both must share one connection.',
    );
  }
  const tracking = resolveTracking(model, options);
  for (const template of Object.values(tracking.templates)) TimelineLog.runtime.renderer.resolve(template);
  for (const hook of HOOKS) model.removeHook(hook, HOOK_NAME);
  installHooks(tracking);
  Object.defineProperty(model.prototype, 'getTimelineLogs', {
    configurable: true,
    writable: true,
    value: function getTimelineLogs(this: Model, findOptions?: FindOptions<TimelineLogAttributes>): Promise<TimelineLog[]> {
      return TimelineLog.forObject(this, findOptions);
    },
  });
  return model;
}

function resolveTracking(model: AnyModelStatic, options: WithTimelineOptions): Tracking {
  if (options === null || typeof options !== 'object') throw ConfigurationError.invalidOption('options', 'an object', options);
  const events = options.events ?? EVENTS;
  if (!Array.isArray(events) || events.some((event) => !EVENTS.includes(event))) {
    throw ConfigurationError.invalidOption('events', 'an array of "created", "updated", "deleted"', events);
  }
  const mask = options.mask ?? DEFAULT_MASKED_FIELDS;
  if (!Array.isArray(mask) || mask.some((pattern) => typeof pattern !== 'string' || pattern === '')) {
    throw ConfigurationError.invalidOption('mask', 'an array of non-empty strings', mask);
  }
  const skipEmpty = options.skipEmpty ?? true;
  if (typeof skipEmpty !== 'boolean') throw ConfigurationError.invalidOption('skipEmpty', 'a boolean', skipEmpty);
  return Object.freeze({
    model,
    events: new Set(events),
    fields: Object.freeze(trackedFields(model, { only: options.only, exclude: options.exclude, mask })),
    templates: Object.freeze(resolveTemplates(options.templates)),
    skipEmpty,
  });
}

function resolveTemplates(templates: WithTimelineOptions['templates'] = {}): Record<TimelineEvent, string> {
  if (templates === null || typeof templates !== 'object') throw ConfigurationError.invalidOption('templates', 'an object', templates);
  const resolved = {} as Record<TimelineEvent, string>;
  for (const event of EVENTS) {
    const template = templates[event] ?? `timeline_logger/${event}.ejs`;
    if (typeof template !== 'string' || template === '') {
      throw ConfigurationError.invalidOption(`templates.${event}`, 'a template path', template);
    }
    resolved[event] = template;
  }
  return resolved;
}

function installHooks(tracking: Tracking): void {
  const { model, events } = tracking;
  if (events.has('created')) {
    model.addHook('afterCreate', HOOK_NAME, (instance: Model, options: CallOptions) =>
      writeLogs(tracking, 'created', [instance], options, (row) => createChanges(tracking.fields, row)),
    );
    model.addHook('beforeBulkCreate', HOOK_NAME, (_instances: Model[], options: BulkCreateOptions) => {
      // Without RETURNING the new rows have no keys to log them by.
      if (!options.individualHooks && options.returning === false) options.returning = true;
    });
    model.addHook('afterBulkCreate', HOOK_NAME, (instances: Model[], options: CallOptions) => {
      if (options.individualHooks) return undefined; // afterCreate logged each row
      return writeLogs(tracking, 'created', instances, options, (row) => createChanges(tracking.fields, row));
    });
  }
  if (events.has('updated')) {
    model.addHook('afterUpdate', HOOK_NAME, (instance: Model, options: CallOptions & InstanceUpdateOptions) =>
      logInstanceUpdate(tracking, instance, options),
    );
    model.addHook('beforeBulkUpdate', HOOK_NAME, (options: UpdateOptions & CallOptions & { attributes?: AttributeValues }) =>
      readBulkUpdate(tracking, options),
    );
    model.addHook('afterBulkUpdate', HOOK_NAME, (options: CallOptions) => logBulkUpdate(tracking, options));
  }
  if (events.has('deleted')) {
    model.addHook('afterDestroy', HOOK_NAME, (instance: Model, options: CallOptions & InstanceDestroyOptions) =>
      writeLogs(tracking, 'deleted', [instance], options, (row) => deleteChanges(tracking.fields, row)),
    );
    model.addHook('beforeBulkDestroy', HOOK_NAME, (options: DestroyOptions & CallOptions) => readBulkDestroy(tracking, options));
    model.addHook('afterBulkDestroy', HOOK_NAME, (options: CallOptions) => logBulkDestroy(tracking, options));
  }
}

async function logInstanceUpdate(tracking: Tracking, instance: Model, options: CallOptions & InstanceUpdateOptions): Promise<void> {
  const written = options.fields ?? (instance.changed() || []);
  const candidates = new Set(written.map(String));
  const previous = instance as unknown as { previous(key: string): unknown };
  const before: Record<string, unknown> = {};
  for (const name of candidates) before[name] = previous.previous(name);
  const after = instance.dataValues as AttributeValues;
  await writeLogs(tracking, 'updated', [instance], options, () => updateChanges(tracking.fields, before, after, candidates));
}

/**
 * Reads the rows a bulk update is about to change with one SELECT (locked FOR UPDATE inside a
 * transaction): their old values, and the new value of every attribute set to an SQL expression
 * (`sequelize.literal('stock - 1')`), computed by PostgreSQL on the same row.
 */
async function readBulkUpdate(tracking: Tracking, options: UpdateOptions & CallOptions & { attributes?: AttributeValues }): Promise<void> {
  if (options.individualHooks) return;
  const values = options.attributes ?? {};
  const expressions = Object.entries(values).filter(([, value]) => value instanceof Utils.SequelizeMethod);
  const attributes: FindAttributeOptions = [
    ...selectedAttributes(tracking),
    ...expressions.map(([name, value]) => [value, `${NEW_VALUE_PREFIX}${name}`] as [Utils.Literal, string]),
  ];
  const rows = await selectRows(tracking, options, attributes, false);
  const plain = Object.fromEntries(Object.entries(values).filter(([, value]) => !(value instanceof Utils.SequelizeMethod)));
  options[PENDING] = { rows, values: plain, expressions: expressions.map(([name]) => name) };
}

async function logBulkUpdate(tracking: Tracking, options: CallOptions): Promise<void> {
  const pending = options[PENDING];
  if (pending === undefined) return;
  delete options[PENDING];
  const candidates = new Set([...Object.keys(pending.values), ...pending.expressions]);
  const instances = pending.rows.map((row) => buildInstance(tracking.model, afterBulkUpdate(row, pending)));
  await writeLogs(tracking, 'updated', instances, options, (after, index) =>
    updateChanges(tracking.fields, pending.rows[index] as AttributeValues, after, candidates),
  );
}

/** A row as the bulk update left it: its old values, the expressions' computed values, the plain values. */
function afterBulkUpdate(row: AttributeValues, pending: PendingBulk): Record<string, unknown> {
  if (pending.expressions.length === 0) return { ...row, ...pending.values };
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (!key.startsWith(NEW_VALUE_PREFIX)) {
      if (!(key in after)) after[key] = value;
      continue;
    }
    after[key.slice(NEW_VALUE_PREFIX.length)] = value;
  }
  return Object.assign(after, pending.values);
}

async function readBulkDestroy(tracking: Tracking, options: DestroyOptions & CallOptions): Promise<void> {
  if (options.individualHooks) return;
  const rows = await selectRows(tracking, options, selectedAttributes(tracking), options.force !== true);
  options[PENDING] = { rows, values: {}, expressions: [] };
}

async function logBulkDestroy(tracking: Tracking, options: CallOptions): Promise<void> {
  const pending = options[PENDING];
  if (pending === undefined) return;
  delete options[PENDING];
  const instances = pending.rows.map((row) => buildInstance(tracking.model, row));
  await writeLogs(tracking, 'deleted', instances, options, (row) => deleteChanges(tracking.fields, row));
}

/**
 * Every stored attribute, not only the tracked ones: the log's label (`objectLabel`, by default
 * the model's `toString()`) may read any of them.
 */
function selectedAttributes(tracking: Tracking): string[] {
  const attributes = tracking.model.getAttributes() as Record<string, ModelAttributeColumnOptions>;
  return Object.keys(attributes).filter((name) => !((attributes[name] as ModelAttributeColumnOptions).type instanceof DataTypes.VIRTUAL));
}

async function selectRows(
  tracking: Tracking,
  options: (UpdateOptions | DestroyOptions) & CallOptions,
  attributes: FindAttributeOptions,
  paranoid: boolean,
): Promise<AttributeValues[]> {
  const transaction = options.transaction ?? null;
  const limit = (options as { limit?: number }).limit;
  return tracking.model.unscoped().findAll({
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

function buildInstance(model: AnyModelStatic, row: AttributeValues): Model {
  return model.build(row as Record<string, unknown>, { raw: true, isNewRecord: false });
}

/**
 * Builds one log per instance (skipping empty updates when `skipEmpty`) and writes them: queued
 * for the transaction's commit when there is one, else with one INSERT right away.
 *
 * The batch's shared columns (user, template, event, timestamp) are built and validated once by
 * `buildLogRow`; each row then only adds its object columns and its changes, which
 * `change-set.ts` already produced as JSON (so they are not converted a second time).
 */
async function writeLogs(
  tracking: Tracking,
  event: TimelineEvent,
  instances: readonly Model[],
  options: CallOptions,
  changesOf: (values: AttributeValues, index: number) => Changes,
): Promise<void> {
  if (instances.length === 0) return;
  const shared = buildLogRow(null, actingUser(options), {
    template: tracking.templates[event],
    event,
    timestamp: TimelineLog.runtime.options.now(),
  });
  const rows = logRows(tracking, event, instances, shared, changesOf);
  const transaction = options.transaction ?? null;
  if (transaction === null) await insertLogRows(rows, { logging: options.logging });
  else queueLogRows(transaction, rows, options.logging);
}

function logRows(
  tracking: Tracking,
  event: TimelineEvent,
  instances: readonly Model[],
  shared: TimelineLogCreationAttributes,
  changesOf: (values: AttributeValues, index: number) => Changes,
): TimelineLogCreationAttributes[] {
  const { objectLabel } = TimelineLog.runtime.options;
  const { userId, userRepr, timestamp, template } = shared;
  const skipEmpty = event === 'updated' && tracking.skipEmpty;
  const pkName = tracking.model.primaryKeyAttribute;
  const rows: TimelineLogCreationAttributes[] = [];
  for (let index = 0; index < instances.length; index += 1) {
    const instance = instances[index] as Model;
    const pk: unknown = instance.get(pkName);
    // bulkCreate with ignoreDuplicates returns no key for a skipped row: nothing was created.
    if (pk === null || pk === undefined) continue;
    const changes = changesOf(instance.dataValues as AttributeValues, index);
    if (skipEmpty && isEmpty(changes)) continue;
    rows.push({
      contentType: (instance.constructor as AnyModelStatic).name,
      objectId: String(pk),
      objectRepr: objectLabel(instance),
      userId,
      userRepr,
      timestamp,
      template,
      event,
      extraData: { changes },
    });
  }
  return rows;
}

function isEmpty(changes: Changes): boolean {
  for (const name in changes) if (Object.hasOwn(changes, name)) return false;
  return true;
}

/** The per-call user, else the async context's, else none. */
function actingUser(options: CallOptions): ActorColumns {
  const resolved = TimelineLog.runtime.options;
  const call = options.timeline;
  if (call !== undefined && call !== null && 'user' in call) return actorColumns(call.user, resolved);
  const context = currentTimelineActor();
  if (context === undefined) return actorColumns(null, resolved);
  return context.fromRequest ? requestActorColumns(context.user, resolved) : actorColumns(context.user, resolved);
}
