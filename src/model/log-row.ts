import { Model } from 'sequelize';
import { describeValue } from '../errors.js';
import type { AnyModelStatic, ResolvedTimelineOptions } from '../options.js';
import type { ActorColumns } from './actor.js';
import { checkCorrelationId } from './correlation-id.js';
import type { TimelineLogCreationAttributes } from './timeline-attributes.js';
import { MAX_EVENT_LENGTH, MAX_TEMPLATE_LENGTH } from './timeline-columns.js';
import type { MessageRenderer } from '../render/message-renderer.js';
import { isJsonObject, toJsonValue, type JsonValue } from './to-json-value.js';

/** What a log says besides its object: who, with which template and verb, when. */
export interface LogHeaderOptions {
  /** Message template. Defaults to the setup's `defaultTemplate`. */
  readonly template?: string | undefined;
  /** The verb. Defaults to null. */
  readonly event?: string | null | undefined;
  /** When it happened. Defaults to the setup's clock (now). */
  readonly timestamp?: Date | undefined;
  /** The request or job the log belongs to (SPEC §12), or null. Defaults to null. */
  readonly correlationId?: string | null | undefined;
}

/** What building a row needs of the setup (a `TimelineRuntime` is one). */
export interface LogRowSetup {
  readonly options: Pick<ResolvedTimelineOptions, 'defaultTemplate' | 'now'>;
  readonly renderer: Pick<MessageRenderer, 'resolve'>;
}

/** The validated columns a log shares with the other logs of one call (user, template, event, time). */
export interface LogHeader {
  readonly userId: string | number | null;
  readonly userRepr: string | null;
  readonly template: string;
  readonly event: string | null;
  readonly timestamp: Date;
  readonly correlationId: string | null;
}

/** The columns naming a logged row. */
export interface ObjectColumns {
  readonly contentType: string;
  readonly objectId: string;
  readonly objectRepr: string;
}

/**
 * Validates the shared columns of a log once: the template must exist and fit its column, the
 * event fit its column, the timestamp be a valid Date and the correlation id well-formed. `log()` builds one per log, a tracked
 * bulk operation one per batch.
 *
 * @throws TemplateNotFoundError when the template does not exist.
 * @throws TypeError when a value cannot be stored (the message names it).
 * @example
 * ```ts
 * const header = logHeader(runtime, actorColumns(ann, runtime.options), { event: 'created' });
 * ```
 */
export function logHeader(runtime: LogRowSetup, actor: ActorColumns, options: LogHeaderOptions): LogHeader {
  const template = options.template ?? runtime.options.defaultTemplate;
  checkLength('template', template, MAX_TEMPLATE_LENGTH);
  runtime.renderer.resolve(template);
  const event = options.event ?? null;
  if (event !== null) checkLength('event', event, MAX_EVENT_LENGTH);
  const timestamp = options.timestamp ?? runtime.options.now();
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) {
    throw new TypeError(`timestamp must be a valid Date (got ${describeValue(timestamp)})`);
  }
  const correlationId = options.correlationId ?? null;
  if (correlationId !== null) checkCorrelationId(correlationId, 'correlationId');
  return { userId: actor.userId, userRepr: actor.userRepr, template, event, timestamp, correlationId };
}

/**
 * One log row: the shared header, the object (or null for none) and the context. The one place
 * rows are assembled, for `log()` and the tracking hooks alike.
 *
 * @example
 * ```ts
 * logRow(header, objectColumns(post, runtime.options.objectLabel), { changes });
 * ```
 */
export function logRow(header: LogHeader, object: ObjectColumns | null, extraData: JsonValue | null): TimelineLogCreationAttributes {
  // Written out, not spread: an object spread per row was the largest cost of building 10,000 logs.
  return {
    contentType: object === null ? null : object.contentType,
    objectId: object === null ? null : object.objectId,
    objectRepr: object === null ? null : object.objectRepr,
    userId: header.userId,
    userRepr: header.userRepr,
    template: header.template,
    event: header.event,
    timestamp: header.timestamp,
    extraData,
    correlationId: header.correlationId,
  };
}

/**
 * The columns naming a saved row: its model's name, `String(pk)` and its label.
 *
 * @throws TypeError when `instance` is not a saved model instance.
 * @example
 * ```ts
 * objectColumns(post, runtime.options.objectLabel); // { contentType: 'Post', objectId: '1', objectRepr: 'Hello' }
 * ```
 */
export function objectColumns(instance: Model, label: (instance: Model) => string): ObjectColumns {
  if (!(instance instanceof Model)) {
    throw new TypeError(`object must be a Sequelize model instance or null (got ${describeValue(instance)})`);
  }
  const model = instance.constructor as AnyModelStatic;
  const pk: unknown = instance.get(model.primaryKeyAttribute);
  if (pk === null || pk === undefined) {
    throw new TypeError(`${model.name} instance has no primary key yet: save it before logging about it`);
  }
  return { contentType: model.name, objectId: String(pk), objectRepr: label(instance) };
}

/**
 * `extraData` as stored: any JSON value (an object, a list, a string, a number or a boolean, as
 * Django's JSONField holds), with a missing value, JSON `null` and an empty object stored as null.
 *
 * @throws TypeError when it cannot be stored as JSON (the message names the path).
 * @example
 * ```ts
 * extraDataColumn({ when: new Date(0) }); // { when: '1970-01-01T00:00:00.000Z' }
 * extraDataColumn(['a', 'b']);            // ['a', 'b']
 * extraDataColumn({});                    // null
 * ```
 */
export function extraDataColumn(extraData: unknown): JsonValue | null {
  const json = toJsonValue(extraData);
  return isJsonObject(json) && Object.keys(json).length === 0 ? null : json;
}

function checkLength(name: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new TypeError(`${name} must be a non-empty string of at most ${max} characters (got ${describeValue(value)})`);
  }
}
