import {
  DataTypes,
  Model,
  Op,
  type FindOptions,
  type ModelAttributeColumnOptions,
  type Optional,
  type Sequelize,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import { ConfigurationError, describeValue } from '../errors.js';
import type { AnyModelStatic, ResolvedTimelineOptions } from '../options.js';
import { parseLocale } from '../render/i18n.js';
import { assertTimeZone } from '../render/date-format.js';
import { MessageRenderer, type EscapeMode } from '../render/message-renderer.js';
import { actorColumns, requestActorColumns, type ActorColumns } from './actor.js';
import { messageContext, type MessageSettings } from './message-context.js';
import { pruneTimelineLogs, type PruneOptions } from './prune.js';
import { loadRelatedRows } from './related-rows.js';
import type { TimelineRuntime } from './timeline-runtime.js';
import { toJsonValue, type JsonObject } from './to-json-value.js';

/** The columns of a timeline log, in their camelCase model form. */
export interface TimelineLogAttributes {
  /** BIGSERIAL primary key, as a string (PostgreSQL `bigint`). */
  id: string;
  /** The logged model's name (`Model.name`), or null for a log about nothing in particular. */
  contentType: string | null;
  /** `String(pk)` of the logged row. */
  objectId: string | null;
  /** The object's label when the log was written; shown once the row is gone. */
  objectRepr: string | null;
  /** When it happened. */
  timestamp: Date;
  /** The acting user's key, or null. */
  userId: string | number | null;
  /** The user's label when the log was written; shown once the user is gone. */
  userRepr: string | null;
  /** The message template, relative to a template folder. */
  template: string;
  /** The context (JSON object), or null when empty. */
  extraData: JsonObject | null;
  /** `created`, `updated`, `deleted`, or an app's own verb. */
  event: string | null;
}

/** Attributes that may be left out when creating a log. */
export type TimelineLogCreationAttributes = Optional<
  TimelineLogAttributes,
  'id' | 'contentType' | 'objectId' | 'objectRepr' | 'timestamp' | 'userId' | 'userRepr' | 'template' | 'extraData' | 'event'
>;

/** Options of {@link TimelineLog.log}. */
export interface LogOptions {
  /** The acting user: an instance of the user model or an object with an id. Defaults to none. */
  user?: object | null;
  /** Message template. Defaults to the setup's `defaultTemplate` (`timeline_logger/default.ejs`). */
  template?: string;
  /** Context stored as JSONB; must be JSON-serialisable. Empty or missing is stored as null. */
  extraData?: Readonly<Record<string, unknown>> | null;
  /** The verb (`created`, `updated`, `deleted` or the app's own). Defaults to null. */
  event?: string | null;
  /** When it happened. Defaults to the setup's clock (now). */
  timestamp?: Date;
  /** Write inside this transaction. */
  transaction?: Transaction | null;
}

/** Options of {@link TimelineLog.logFromRequest}: the user comes from `req.user`. */
export type RequestLogOptions = Omit<LogOptions, 'user'>;

/** The part of an HTTP request `logFromRequest` reads. */
export interface RequestWithUser {
  user?: unknown;
}

/** Options of {@link TimelineLog.getMessage} and {@link TimelineLog.renderMessages}. */
export interface MessageOptions {
  /** Render with this template instead of the log's own. */
  template?: string;
  /** `text` (default) leaves interpolated values as they are; `html` HTML-escapes them. */
  escape?: EscapeMode;
  /** Message language. Defaults to the setup's `locale`. */
  locale?: string;
  /** IANA time zone of the timestamp. Defaults to the setup's `timeZone`. */
  timeZone?: string;
  /** Extra template variables. */
  context?: Readonly<Record<string, unknown>>;
}

const MAX_TEMPLATE_LENGTH = 200;
const MAX_EVENT_LENGTH = 64;

/**
 * One entry of the timeline: who did what to which row, when. Set it up once with
 * {@link setupTimeline}; the table comes from {@link migrateTimeline}.
 *
 * @example
 * ```ts
 * const TimelineLog = setupTimeline(sequelize, { userModel: User });
 * const log = await TimelineLog.log(post, { user: ann, extraData: { reason: 'typo' } });
 * await log.getMessage(); // 'July 1, 2016, 9:08 a.m. - ann event on New blog entry\n'
 * ```
 */
export class TimelineLog extends Model<TimelineLogAttributes, TimelineLogCreationAttributes> implements TimelineLogAttributes {
  declare id: string;
  declare contentType: string | null;
  declare objectId: string | null;
  declare objectRepr: string | null;
  declare timestamp: Date;
  declare userId: string | number | null;
  declare userRepr: string | null;
  declare template: string;
  declare extraData: JsonObject | null;
  declare event: string | null;

  /** The live logged row, once loaded by `getContentObject`, `getMessage` or `renderMessages` (null when gone). */
  declare contentObject?: Model | null;
  /** The live user row, once loaded by `getUser`, `getMessage` or `renderMessages` (null when none or gone). */
  declare user?: Model | null;

  static #runtime: TimelineRuntime | undefined;

  /**
   * Binds the model to `sequelize` with resolved options. Called by `setupTimeline`; call that instead.
   *
   * @internal
   */
  static setup(sequelize: Sequelize, options: ResolvedTimelineOptions): typeof TimelineLog {
    TimelineLog.init(attributes(options.userModel), {
      sequelize,
      modelName: 'TimelineLog',
      tableName: options.tableName,
      timestamps: false,
      underscored: true,
    });
    TimelineLog.#runtime = Object.freeze({ sequelize, options, renderer: new MessageRenderer(options.templateDirs) });
    return TimelineLog;
  }

  /**
   * What `setupTimeline` resolved: the connection, options and renderer.
   *
   * @throws ConfigurationError when `setupTimeline` has not run.
   */
  static get runtime(): TimelineRuntime {
    if (TimelineLog.#runtime === undefined) throw ConfigurationError.notSetUp();
    return TimelineLog.#runtime;
  }

  /**
   * Records an event about `object` (a saved model instance, or null for none). The template
   * and the context are validated first: a bad one throws and writes nothing.
   *
   * @throws TemplateNotFoundError when the template does not exist.
   * @throws TypeError when `extraData` cannot be stored as JSON (the message names the path).
   * @example
   * ```ts
   * await TimelineLog.log(invoice, { user: req.user, event: 'paid', extraData: { amount: '12.50' } });
   * ```
   */
  static async log(object: Model | null, options: LogOptions = {}): Promise<TimelineLog> {
    const { options: resolved } = TimelineLog.runtime;
    return TimelineLog.#write(object, actorColumns(options.user, resolved), options);
  }

  /**
   * Like {@link TimelineLog.log}, with the user taken from `req.user` when it is a user with
   * an id; an anonymous or missing user logs no user.
   *
   * @example
   * ```ts
   * app.post('/posts', async (req, res) => {
   *   const post = await Post.create(req.body);
   *   await TimelineLog.logFromRequest(req, post, { template: 'blog/post_created.ejs' });
   * });
   * ```
   */
  static async logFromRequest(req: RequestWithUser, object: Model | null, options: RequestLogOptions = {}): Promise<TimelineLog> {
    const { options: resolved } = TimelineLog.runtime;
    return TimelineLog.#write(object, requestActorColumns(req?.user, resolved), options);
  }

  /**
   * The logs of one row, newest first (`timestamp DESC, id DESC`).
   *
   * @example
   * ```ts
   * const history = await TimelineLog.forObject(post, { limit: 10 });
   * ```
   */
  static async forObject(instance: Model, findOptions: FindOptions<TimelineLogAttributes> = {}): Promise<TimelineLog[]> {
    if (TimelineLog.#runtime === undefined) throw ConfigurationError.notSetUp();
    const { contentType, objectId } = objectColumns(instance);
    const where: WhereOptions<TimelineLogAttributes> = { contentType, objectId };
    return TimelineLog.findAll({
      order: [['timestamp', 'DESC'], ['id', 'DESC']],
      ...findOptions,
      where: findOptions.where ? { [Op.and]: [where, findOptions.where] } : where,
    });
  }

  /**
   * Renders many logs at once, in the input order, loading their objects with one query per
   * model type and their users with one query (no N+1).
   *
   * @example
   * ```ts
   * const logs = await TimelineLog.findAll({ limit: 25, order: [['timestamp', 'DESC'], ['id', 'DESC']] });
   * const lines = await TimelineLog.renderMessages(logs, { escape: 'html' });
   * ```
   */
  static async renderMessages(logs: readonly TimelineLog[], options: MessageOptions = {}): Promise<string[]> {
    const runtime = TimelineLog.runtime;
    const pending = logs.filter((log) => log.contentObject === undefined || log.user === undefined);
    if (pending.length > 0) await loadRelatedRows(pending, runtime.sequelize, runtime.options);
    const settings = messageSettings(options, runtime.options);
    return logs.map((log) =>
      runtime.renderer.render(
        options.template ?? log.template,
        messageContext(log, runtime.sequelize, runtime.options, settings, options.context),
        options.escape ?? 'text',
      ),
    );
  }

  /**
   * Deletes old logs in batches (so no statement holds a long lock) and returns how many.
   * `keepDays: N` deletes logs with `timestamp <= now - N days`; `all: true` deletes every log.
   *
   * @example
   * ```ts
   * const deleted = await TimelineLog.prune({ keepDays: 90 });
   * ```
   */
  static async prune(options: PruneOptions): Promise<number> {
    return pruneTimelineLogs(TimelineLog, TimelineLog.runtime.options.now(), options);
  }

  /** The live logged row, or null when it is gone (or its model is not registered with Sequelize). */
  async getContentObject(): Promise<Model | null> {
    if (this.contentObject === undefined) await this.#loadRelated();
    return this.contentObject ?? null;
  }

  /** The live user row, or null for no user or a deleted one. */
  async getUser(): Promise<Model | null> {
    if (this.user === undefined) await this.#loadRelated();
    return this.user ?? null;
  }

  /**
   * The log as a sentence, rendered with its template (or `options.template`).
   *
   * @example
   * ```ts
   * await log.getMessage();                               // 'July 1, 2016, 9:08 a.m. - Anonymous user event on New blog entry\n'
   * await log.getMessage({ locale: 'nl', timeZone: 'Europe/Amsterdam' });
   * ```
   */
  async getMessage(options: MessageOptions = {}): Promise<string> {
    const [message] = await TimelineLog.renderMessages([this], options);
    return message as string;
  }

  async #loadRelated(): Promise<void> {
    const { sequelize, options } = TimelineLog.runtime;
    await loadRelatedRows([this], sequelize, options);
  }

  static async #write(object: Model | null, actor: ActorColumns, options: RequestLogOptions): Promise<TimelineLog> {
    return TimelineLog.create(buildLogRow(object, actor, options), { transaction: options.transaction ?? null });
  }
}

/**
 * The validated row of one log, as `log()` writes it: the template must exist, the event and
 * template fit their columns, the timestamp is a valid Date and `extraData` is JSON. Shared by
 * `TimelineLog.log` and the `withTimeline` hooks, so both write exactly the same rows.
 *
 * @throws TemplateNotFoundError when the template does not exist.
 * @throws TypeError when a value cannot be stored (the message names it).
 * @internal
 * @example
 * ```ts
 * const row = buildLogRow(post, actorColumns(ann, TimelineLog.runtime.options), { event: 'created' });
 * // { contentType: 'Post', objectId: '1', objectRepr: 'Hello', userId: 7, userRepr: 'ann', template: 'timeline_logger/default.ejs', ... }
 * ```
 */
export function buildLogRow(object: Model | null, actor: ActorColumns, options: RequestLogOptions): TimelineLogCreationAttributes {
  const { options: resolved, renderer } = TimelineLog.runtime;
  const template = options.template ?? resolved.defaultTemplate;
  checkLength('template', template, MAX_TEMPLATE_LENGTH);
  renderer.resolve(template);
  const event = options.event ?? null;
  if (event !== null) checkLength('event', event, MAX_EVENT_LENGTH);
  const timestamp = options.timestamp ?? resolved.now();
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) {
    throw new TypeError(`timestamp must be a valid Date (got ${describeValue(timestamp)})`);
  }
  return {
    ...(object === null ? {} : { ...objectColumns(object), objectRepr: resolved.objectLabel(object) }),
    ...actor,
    timestamp,
    template,
    event,
    extraData: extraDataColumn(options.extraData),
  };
}

/** The columns naming a row: its model's name and `String(pk)`. */
export function objectColumns(instance: Model): { contentType: string; objectId: string } {
  if (!(instance instanceof Model)) {
    throw new TypeError(`object must be a Sequelize model instance or null (got ${describeValue(instance)})`);
  }
  const model = instance.constructor as AnyModelStatic;
  const pk = instance.get(model.primaryKeyAttribute);
  if (pk === null || pk === undefined) {
    throw new TypeError(`${model.name} instance has no primary key yet: save it before logging about it`);
  }
  return { contentType: model.name, objectId: String(pk) };
}

function extraDataColumn(extraData: Readonly<Record<string, unknown>> | null | undefined): JsonObject | null {
  if (extraData === null || extraData === undefined) return null;
  if (typeof extraData !== 'object' || Array.isArray(extraData)) {
    throw new TypeError(`extraData must be a plain object (got ${describeValue(extraData)})`);
  }
  const json = toJsonValue(extraData) as JsonObject;
  return Object.keys(json).length === 0 ? null : json;
}

function checkLength(name: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new TypeError(`${name} must be a non-empty string of at most ${max} characters (got ${describeValue(value)})`);
  }
}

function messageSettings(options: MessageOptions, resolved: ResolvedTimelineOptions): MessageSettings {
  const locale = options.locale === undefined ? resolved.locale : parseLocale(options.locale);
  if (locale === null) throw ConfigurationError.invalidOption('locale', 'one of "en", "nl"', options.locale);
  return { locale, timeZone: options.timeZone === undefined ? resolved.timeZone : assertTimeZone(options.timeZone) };
}

function attributes(userModel: AnyModelStatic | null): Record<keyof TimelineLogAttributes, ModelAttributeColumnOptions> {
  return {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    contentType: { type: DataTypes.STRING(255), allowNull: true },
    objectId: { type: DataTypes.TEXT, allowNull: true },
    objectRepr: { type: DataTypes.TEXT, allowNull: true },
    timestamp: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    userId: { ...userColumn(userModel), allowNull: true },
    userRepr: { type: DataTypes.TEXT, allowNull: true },
    template: { type: DataTypes.STRING(MAX_TEMPLATE_LENGTH), allowNull: false },
    extraData: { type: DataTypes.JSONB, allowNull: true },
    event: { type: DataTypes.STRING(MAX_EVENT_LENGTH), allowNull: true },
  };
}

/** `user_id` takes the user key's type and references the user table, so the migration can build the foreign key. */
function userColumn(userModel: AnyModelStatic | null): ModelAttributeColumnOptions {
  if (userModel === null) return { type: DataTypes.BIGINT };
  const pk = userModel.getAttributes()[userModel.primaryKeyAttribute];
  if (pk === undefined) throw ConfigurationError.invalidOption('userModel', 'a model with a primary key', userModel.name);
  return {
    type: pk.type,
    references: { model: userModel.getTableName() as string, key: pk.field ?? userModel.primaryKeyAttribute },
    onDelete: 'SET NULL',
    onUpdate: 'CASCADE',
  };
}
