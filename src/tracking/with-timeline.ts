import { Model, type FindOptions } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { TimelineLogAttributes } from '../model/timeline-attributes.js';
import { TimelineLog } from '../model/timeline-log.js';
import type { AnyModelStatic } from '../options.js';
import { BULK_CREATE_CONFLICT_HOOKS, installBulkCreateConflictHooks } from './events/bulk-create-conflicts.js';
import { CREATED_HOOKS, installCreatedHooks } from './events/created.js';
import { DELETED_HOOKS, installDeletedHooks } from './events/deleted.js';
import { installRestoredHooks, RESTORED_HOOKS } from './events/restored.js';
import { installUpdatedHooks, UPDATED_HOOKS } from './events/updated.js';
import { installUpsertHooks, UPSERT_HOOKS } from './events/upsert.js';
import { HOOK_NAME } from './hook-call-options.js';
import { deletedAtColumn } from './bulk-restore-snapshot.js';
import { runBulkCallsInTransactions, type BulkMethod } from './bulk-transaction.js';
import { resolveTracking, type TimelineEvent, type WithTimelineOptions } from './tracking-options.js';

const ALL_HOOKS = [...CREATED_HOOKS, ...UPDATED_HOOKS, ...DELETED_HOOKS, ...RESTORED_HOOKS, ...UPSERT_HOOKS, ...BULK_CREATE_CONFLICT_HOOKS];
const BULK_METHODS: readonly (readonly [TimelineEvent, BulkMethod])[] = [
  ['updated', 'update'],
  ['deleted', 'destroy'],
  ['restored', 'restore'],
  ['created', 'upsert'],
  ['updated', 'upsert'],
  ['updated', 'bulkCreate'],
];

/**
 * Tracks every create, update, delete and restore of `model` on the timeline: each writes a log
 * with the event (`created`, `updated`, `deleted`, `restored`), its template and
 * `extraData.changes` (`{ field: [old, new] }`), inside the change's own transaction (explicit
 * or CLS), by the acting user (`{ timeline: { user } }` on the call, else `timelineContext()` /
 * `runWithTimelineUser`). Bulk `bulkCreate`, `Model.update`, `Model.destroy` and
 * `Model.restore` are tracked without `individualHooks`, one log per row in one multi-row
 * INSERT, for exactly the rows the statement changed (a bulk `update`/`destroy`/`restore`
 * called without a transaction gets one of its own, so its rows are locked while read and
 * commit with their logs). `upsert`, and `bulkCreate` with `updateOnDuplicate`, log `created`
 * or `updated` (with the changes against the row replaced); `bulkCreate` with `ignoreDuplicates`
 * logs `created` for the rows it inserted. Calling it again replaces the previous settings (never two logs per
 * change). Call it after `setupTimeline`.
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
  const runtime = TimelineLog.runtime;
  if (model.sequelize !== runtime.sequelize) {
    throw new ConfigurationError(
      `withTimeline(${model.name}): the model is bound to another Sequelize instance than setupTimeline(); ` +
        "logs are written in the change's own transaction, so both must share one connection.",
    );
  }
  const tracking = resolveTracking(runtime, model, options);
  for (const template of Object.values(tracking.templates)) runtime.renderer.resolve(template);
  for (const hook of ALL_HOOKS) model.removeHook(hook, HOOK_NAME);
  if (tracking.events.has('created')) installCreatedHooks(tracking);
  if (tracking.events.has('updated')) installUpdatedHooks(tracking);
  if (tracking.events.has('deleted')) installDeletedHooks(tracking);
  if (tracking.events.has('restored')) installRestoredHooks(tracking);
  if (tracking.events.has('created') || tracking.events.has('updated')) {
    installUpsertHooks(tracking);
    installBulkCreateConflictHooks(tracking);
  }
  // A model that is not paranoid has no restore to wrap (Sequelize's own throws at once).
  const paranoid = deletedAtColumn(model) !== undefined;
  const methods = BULK_METHODS.filter(([event, method]) => tracking.events.has(event) && (method !== 'restore' || paranoid));
  runBulkCallsInTransactions(model, [...new Set(methods.map(([, method]) => method))]);
  Object.defineProperty(model.prototype, 'getTimelineLogs', {
    configurable: true,
    writable: true,
    value: function getTimelineLogs(this: Model, findOptions?: FindOptions<TimelineLogAttributes>): Promise<TimelineLog[]> {
      return runtime.model.forObject(this, findOptions);
    },
  });
  return model;
}
