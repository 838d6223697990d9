import type { FindOptions } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { TimelineLogAttributes } from '../model/timeline-attributes.js';
import type { TimelineLog, TimelineRuntime } from '../model/timeline-log.js';
import type { AnyModelStatic } from '../options.js';
import type { TrackedField } from './change-set.js';
import { trackedFields } from './tracked-fields.js';

/**
 * The events `withTimeline` can log. `restored` is logged by `restore()` (instance and bulk) of
 * a paranoid model; a model without `paranoid: true` has no `restore()`, so it never logs it.
 */
export type TimelineEvent = 'created' | 'updated' | 'deleted' | 'restored';

/** Every event `withTimeline` logs by default, in order. */
export const TIMELINE_EVENTS: readonly TimelineEvent[] = Object.freeze(['created', 'updated', 'deleted', 'restored']);

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
  // instance.restore() takes options that are not Hookable in Sequelize's types.
  interface InstanceRestoreOptions {
    /** timeline-logger's per-call options (see `withTimeline`). */
    timeline?: TimelineCallOptions;
  }
}

/**
 * Options of `withTimeline`.
 *
 * @example
 * ```ts
 * withTimeline(User, { exclude: ['lastLoginAt'], mask: [...DEFAULT_MASKED_FIELDS, 'iban'] });
 * ```
 */
export interface WithTimelineOptions {
  /**
   * Which events are logged. Defaults to `['created', 'updated', 'deleted', 'restored']` (all of
   * them; `restored` only ever happens on a paranoid model, so listing it elsewhere is harmless).
   * `upsert` logs `created` or `updated`, each only when that event is listed.
   */
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
   * `timeline_logger/updated.ejs`, `timeline_logger/deleted.ejs` and `timeline_logger/restored.ejs`.
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

/** The resolved settings of one tracked model, with the setup it writes through. */
export interface Tracking {
  readonly runtime: TimelineRuntime;
  readonly model: AnyModelStatic;
  readonly events: ReadonlySet<TimelineEvent>;
  readonly fields: readonly TrackedField[];
  readonly templates: Readonly<Record<TimelineEvent, string>>;
  readonly skipEmpty: boolean;
}

/**
 * Validates `withTimeline`'s options once and resolves them for `model`.
 *
 * @throws ConfigurationError when an option is invalid or names an unknown attribute.
 * @example
 * ```ts
 * resolveTracking(runtime, Post, { exclude: ['views'] }).fields.map((field) => field.name);
 * ```
 */
export function resolveTracking(runtime: TimelineRuntime, model: AnyModelStatic, options: WithTimelineOptions): Tracking {
  if (options === null || typeof options !== 'object') throw ConfigurationError.invalidOption('options', 'an object', options);
  const events = options.events ?? TIMELINE_EVENTS;
  if (!Array.isArray(events) || events.some((event: unknown) => !TIMELINE_EVENTS.includes(event as TimelineEvent))) {
    throw ConfigurationError.invalidOption('events', 'an array of "created", "updated", "deleted", "restored"', events);
  }
  const mask = options.mask ?? DEFAULT_MASKED_FIELDS;
  if (!Array.isArray(mask) || mask.some((pattern) => typeof pattern !== 'string' || pattern === '')) {
    throw ConfigurationError.invalidOption('mask', 'an array of non-empty strings', mask);
  }
  const skipEmpty = options.skipEmpty ?? true;
  if (typeof skipEmpty !== 'boolean') throw ConfigurationError.invalidOption('skipEmpty', 'a boolean', skipEmpty);
  return Object.freeze({
    runtime,
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
  for (const event of TIMELINE_EVENTS) {
    const template = templates[event] ?? `timeline_logger/${event}.ejs`;
    if (typeof template !== 'string' || template === '') {
      throw ConfigurationError.invalidOption(`templates.${event}`, 'a template path', template);
    }
    resolved[event] = template;
  }
  return resolved;
}
