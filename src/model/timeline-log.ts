import { Model, Op, type FindOptions, type Sequelize, type WhereOptions } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { ResolvedTimelineOptions } from '../options.js';
import { MessageRenderer } from '../render/message-renderer.js';
import { renderLogMessages, type MessageOptions } from '../render/render-messages.js';
import { actorColumns, requestActorColumns, type ActorColumns } from './actor.js';
import { insertLog } from './insert-log.js';
import { extraDataColumn, logHeader, logRow, objectColumns } from './log-row.js';
import { convertToPartitioned, type ConversionResult, type ConvertToPartitionedOptions } from './convert-to-partitioned.js';
import { maintainPartitions, type MaintainPartitionsResult } from './maintain-partitions.js';
import { PartitionEdges } from './partition-edges.js';
import { pruneTimelineLogs, type PruneOptions } from './prune.js';
import { loadRelatedRows } from './related-rows.js';
import { sealTimeline, type SealOptions, type SealResult } from '../seal/seal-timeline.js';
import { verifyTimeline, type VerifyOptions } from '../seal/verify-timeline.js';
import type { VerifyResult } from '../seal/verify-result.js';
import { timelineAttributes, type TimelineLogAttributes, type TimelineLogCreationAttributes } from './timeline-attributes.js';
import type { JsonValue } from './to-json-value.js';
import type { LogOptions, RequestLogOptions, RequestWithUser } from './log-options.js';
import type { TimelineRuntime } from './timeline-runtime.js';

export type { TimelineRuntime } from './timeline-runtime.js';

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
  declare extraData: JsonValue | null;
  declare event: string | null;
  declare correlationId: string | null;

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
  static setup(
    sequelize: Sequelize,
    options: ResolvedTimelineOptions,
    correlationId: () => string | null = noCorrelationId,
  ): typeof TimelineLog {
    TimelineLog.init(timelineAttributes(options.userModel), {
      sequelize,
      modelName: 'TimelineLog',
      tableName: options.tableName,
      timestamps: false,
      underscored: true,
    });
    TimelineLog.#runtime = Object.freeze({
      model: TimelineLog,
      sequelize,
      options,
      renderer: new MessageRenderer(options.templateDirs),
      correlationId,
      partitionEdges: options.partitioning === null ? null : new PartitionEdges(sequelize, options.tableName),
    });
    return TimelineLog;
  }

  /**
   * What `setupTimeline` resolved: the model, connection, options and renderer. Read once by
   * whatever is made from the model (router, tracking, resources, commands).
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
   * The log stores the correlation id of the current request or job (see `timelineContext()`
   * and `runWithTimelineContext`) unless `options.correlationId` names another one (or null).
   *
   * @throws TemplateNotFoundError when the template does not exist.
   * @throws TypeError when `extraData` cannot be stored as JSON (the message names the path), or
   * `correlationId` is malformed.
   * @example
   * ```ts
   * await TimelineLog.log(invoice, { user: req.user, event: 'paid', extraData: { amount: '12.50' } });
   * await TimelineLog.log(report, { event: 'sent', correlationId: `job-${job.id}` });
   * ```
   */
  static async log(object: Model | null, options: LogOptions = {}): Promise<TimelineLog> {
    const runtime = TimelineLog.runtime;
    return TimelineLog.#write(runtime, object, actorColumns(options.user, runtime.options), options);
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
    const runtime = TimelineLog.runtime;
    return TimelineLog.#write(runtime, object, requestActorColumns(req?.user, runtime.options), options);
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
    const { objectLabel } = TimelineLog.runtime.options;
    const { contentType, objectId } = objectColumns(instance, objectLabel);
    const where: WhereOptions<TimelineLogAttributes> = { contentType, objectId };
    return TimelineLog.findAll({
      order: [
        ['timestamp', 'DESC'],
        ['id', 'DESC'],
      ],
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
    return renderLogMessages(runtime, logs, options).map((rendered) => rendered.message);
  }

  /**
   * Deletes old logs in batches (so no statement holds a long lock) and returns how many.
   * `keepDays: N` deletes logs with `timestamp <= now - N days`; `all: true` deletes every log;
   * `dryRun: true` only counts them; `onBatch` reports progress. On a partitioned table it runs
   * `maintainPartitions()` first and drops the partitions wholly before the cut-off instead of
   * deleting their logs (docs/scaling.md, "Retention").
   *
   * @example
   * ```ts
   * const deleted = await TimelineLog.prune({ keepDays: 90 });
   * const wouldGo = await TimelineLog.prune({ all: true, dryRun: true });
   * ```
   */
  static async prune(options: PruneOptions): Promise<number> {
    return TimelineLog.#changingPartitions(() => pruneTimelineLogs(TimelineLog.runtime, options));
  }

  /**
   * Makes the partitioned table's partitions for the current interval and `premake` ahead, and
   * its DEFAULT partition, and moves logs out of the DEFAULT partition into partitions of their
   * own ranges (see docs/scaling.md). Run it from a daily job; `migrateTimeline` runs it too.
   *
   * @throws ConfigurationError when `partitioning` is not set or a lock is not granted within 5 seconds.
   * @example
   * ```ts
   * const { created, moved } = await TimelineLog.maintainPartitions(); // { created: ['timeline_logs_p2027_04'], moved: 0 }
   * ```
   */
  static async maintainPartitions(): Promise<MaintainPartitionsResult> {
    return TimelineLog.#changingPartitions(() => maintainPartitions(TimelineLog.runtime));
  }

  /**
   * Converts the plain timeline table, logs in it, to the partitioned layout of the
   * `partitioning` option (every row and id kept; see docs/scaling.md): writes wait while it
   * runs, reads go on. On a partitioned table it runs {@link TimelineLog.maintainPartitions}.
   * `dryRun: true` returns the plan and changes nothing.
   *
   * @throws ConfigurationError when `partitioning` is not set, the table cannot be converted as it is, or a lock is not granted in time.
   * @example
   * ```ts
   * const planned = await TimelineLog.convertToPartitioned({ dryRun: true }); // { kind: 'planned', plan: { rows, partitions, locks, ... } }
   * const result = await TimelineLog.convertToPartitioned(); // { kind: 'converted', plan, lockHeldMs, durationMs }
   * ```
   */
  static async convertToPartitioned(options: ConvertToPartitionedOptions = {}): Promise<ConversionResult> {
    return TimelineLog.#changingPartitions(() => convertToPartitioned(TimelineLog.runtime, options));
  }

  /**
   * Seals every committed, unsealed log into the seal chain (HMAC-SHA256 with `sealKey`, else
   * SHA-256; see docs/tamper-evidence.md). Logs of a transaction still open are sealed by a later
   * call. Never blocks writers; run it every minute from a job and keep `anchor` outside the database.
   *
   * @throws ConfigurationError when the seals table is missing (run `migrateTimeline`).
   * @example
   * ```ts
   * const { sealed, throughId, anchor } = await TimelineLog.seal(); // { sealed: 120, throughId: '5120', anchor: '42:9f86d0...', waitingFor: [] }
   * ```
   */
  static async seal(options: SealOptions = {}): Promise<SealResult> {
    return sealTimeline(TimelineLog.runtime, options);
  }

  /**
   * Recomputes the seal chain and compares every sealed log with its seal; names each
   * `modified`, `missing` or `unexpected` log. Logs after the last seal are `unsealed`, never
   * problems. Reads in constant memory; changes nothing.
   *
   * @throws ConfigurationError when the seals table is missing (run `migrateTimeline`).
   * @example
   * ```ts
   * const { intact, problems } = await TimelineLog.verify({ anchor: lastAnchor }); // problems: [{ id: '17', problem: 'modified' }]
   * ```
   */
  static async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    return verifyTimeline(TimelineLog.runtime, options);
  }

  /** Runs work that may make or drop partitions, then has the page read their bounds again. */
  static async #changingPartitions<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      TimelineLog.runtime.partitionEdges?.forget();
    }
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

  static async #write(
    runtime: TimelineRuntime,
    object: Model | null,
    actor: ActorColumns,
    options: RequestLogOptions,
  ): Promise<TimelineLog> {
    const correlationId = options.correlationId === undefined ? runtime.correlationId() : options.correlationId;
    const header = logHeader(runtime, actor, {
      template: options.template,
      event: options.event,
      timestamp: options.timestamp,
      correlationId,
    });
    const row = logRow(
      header,
      object === null ? null : objectColumns(object, runtime.options.objectLabel),
      extraDataColumn(options.extraData),
    );
    return insertLog(runtime, row, options.transaction);
  }
}

function noCorrelationId(): null {
  return null;
}
