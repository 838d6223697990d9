import { Model as ModelBase, type Model, type ModelStatic } from 'sequelize';
import { ConfigurationError } from './errors.js';
import { assertTimeZone } from './render/time-zone.js';
import { parseLocale, type Locale } from './render/locale.js';
import { resolveEventLabels, type EventLabels } from './render/event-label.js';
import { resolveMailOptions, type MailOptions, type ResolvedMailOptions } from './mail-options.js';
import { assertPartitionNamesFit } from './model/partition-range.js';
import { resolveSealKey, type SealKey } from './seal/seal-key.js';
import { assertSealsNameFits } from './seal/seal-store.js';
import { resolvePartitioning, type PartitioningOptions, type ResolvedPartitioning } from './partitioning-options.js';

/** A Sequelize model class of any attribute shape, as accepted for `userModel`. */
export type AnyModelStatic = ModelStatic<Model>;

/**
 * Options of {@link setupTimeline}. Every option is optional; defaults are documented per field.
 *
 * @example
 * ```ts
 * setupTimeline(sequelize, {
 *   userModel: User,
 *   userLabel: (user) => user.get('displayName') as string,
 *   templateDirs: [new URL('./views', import.meta.url).pathname],
 *   locale: 'nl',
 *   timeZone: 'Europe/Amsterdam',
 * });
 * ```
 */
export interface TimelineOptions {
  /** The app's user model; `user_id` references its table and key type. Defaults to none (no user foreign key). */
  userModel?: AnyModelStatic;
  /**
   * Label of a user in messages and in the `user_repr` snapshot. Defaults to the user's own
   * `toString()` when its class defines one, else its `username`, `name` or `email`, else `User #<id>`.
   */
  userLabel?: (user: object) => string;
  /**
   * Label of a logged object in messages and in the `object_repr` snapshot. Defaults to the
   * instance's own `toString()` when its class defines one, else its `username`, `name` or
   * `email`, else `<Model> #<pk>`.
   */
  objectLabel?: (instance: Model) => string;
  /** Folders searched for message templates before the package's own `views/`. Defaults to `[]`. */
  templateDirs?: readonly string[];
  /** Template of logs written without one. Defaults to `timeline_logger/default.ejs`. */
  defaultTemplate?: string;
  /** Language of messages and pages (`en` or `nl`). Defaults to `en`. */
  locale?: string;
  /** IANA time zone timestamps are shown in. Defaults to `UTC`. */
  timeZone?: string;
  /**
   * How the timeline page names your own events, per locale: its badges and the filter form's
   * suggestions, e.g. `{ purchased: { en: 'purchased', nl: 'gekocht' } }`. An event without a
   * label for the page's locale shows the package's translation (`created`, `updated`,
   * `deleted`), else its English label, else the event as stored. Defaults to `{}`.
   */
  eventLabels?: EventLabels;
  /** Logs per timeline page. Defaults to `25`. */
  paginateBy?: number;
  /** Table holding the logs. Defaults to `timeline_logs`. */
  tableName?: string;
  /** The clock used for new logs and for pruning; inject one in tests. Defaults to `() => new Date()`. */
  now?: () => Date;
  /** Recipients, sender and subject of the digest e-mail (`report-mailing`); see {@link MailOptions}. Defaults to `{}`. */
  mail?: MailOptions;
  /**
   * Store the logs in a table range-partitioned on `timestamp` (see {@link PartitioningOptions}
   * and docs/scaling.md): `migrateTimeline` creates it and `TimelineLog.maintainPartitions()`
   * makes partitions ahead. Defaults to none (a plain table).
   */
  partitioning?: PartitioningOptions;
  /**
   * Told when a log's template is missing or throws while rendering; the log is then shown with
   * its event's default template (see {@link RenderErrorContext}), so one bad row never fails a
   * page, its JSON, the digest or `renderMessages`. Defaults to one `console.warn` line naming
   * the log, the template and the error.
   */
  onRenderError?: (error: Error, context: RenderErrorContext) => void;
  /**
   * The secret `TimelineLog.seal()` chains its seals with (HMAC-SHA256), at least 32 bytes, e.g.
   * from `openssl rand -hex 32`. Keep it outside the database (an environment variable, a secret
   * store): whoever can write to the database without it cannot re-seal what they changed. See
   * docs/tamper-evidence.md. Defaults to none (plain SHA-256 seals, which catch changes only
   * together with an anchor kept outside the database).
   */
  sealKey?: string | Uint8Array;
}

/** What {@link TimelineOptions.onRenderError} is told besides the error. */
export interface RenderErrorContext {
  /** The log's id, or null for a log not read from the table. */
  readonly logId: string | null;
  /** The template that failed (the log's own). */
  readonly template: string;
  /** The template the log was rendered with instead, or null when every fallback failed too (a one-line message was used). */
  readonly fallback: string | null;
}

/** {@link TimelineOptions} with every default applied, validated and frozen. */
export interface ResolvedTimelineOptions {
  readonly userModel: AnyModelStatic | null;
  readonly userLabel: (user: object) => string;
  readonly objectLabel: (instance: Model) => string;
  readonly templateDirs: readonly string[];
  readonly defaultTemplate: string;
  readonly locale: Locale;
  readonly timeZone: string;
  readonly eventLabels: EventLabels;
  readonly paginateBy: number;
  readonly tableName: string;
  readonly now: () => Date;
  readonly mail: ResolvedMailOptions;
  /** Null: a plain table. */
  readonly partitioning: ResolvedPartitioning | null;
  readonly onRenderError: (error: Error, context: RenderErrorContext) => void;
  readonly sealKey: SealKey;
}

/** The template used when a log names none. */
export const DEFAULT_TEMPLATE = 'timeline_logger/default.ejs';

/**
 * Applies defaults to `options` and validates them once, at setup time.
 *
 * @throws ConfigurationError when an option has a value of the wrong kind.
 * @example
 * ```ts
 * resolveOptions({ paginateBy: 50 }).paginateBy; // 50
 * ```
 */
export function resolveOptions(options: TimelineOptions = {}): ResolvedTimelineOptions {
  const userModel = options.userModel ?? null;
  if (userModel !== null && typeof userModel !== 'function') {
    throw ConfigurationError.invalidOption('userModel', 'a Sequelize model class', userModel);
  }
  const tableName = nonEmptyString('tableName', options.tableName ?? 'timeline_logs');
  assertSealsNameFits(tableName);
  return Object.freeze({
    userModel,
    userLabel: optionalFunction('userLabel', options.userLabel) ?? defaultUserLabel,
    objectLabel: optionalFunction('objectLabel', options.objectLabel) ?? defaultObjectLabel,
    templateDirs: Object.freeze(resolveTemplateDirs(options.templateDirs)),
    defaultTemplate: nonEmptyString('defaultTemplate', options.defaultTemplate ?? DEFAULT_TEMPLATE),
    locale: resolveLocaleOption(options.locale),
    timeZone: assertTimeZone(options.timeZone ?? 'UTC'),
    eventLabels: resolveEventLabels(options.eventLabels),
    paginateBy: positiveInteger('paginateBy', options.paginateBy ?? 25),
    tableName,
    now: optionalFunction('now', options.now) ?? (() => new Date()),
    mail: resolveMailOptions(options.mail),
    partitioning: partitioningFor(tableName, options.partitioning),
    onRenderError: optionalFunction('onRenderError', options.onRenderError) ?? warnRenderError,
    sealKey: resolveSealKey(options.sealKey),
  });
}

/**
 * The default label of a user: its own `toString()`, `username`, `name` or `email`, else `User #<id>`.
 *
 * @example
 * ```ts
 * defaultUserLabel({ id: 7 }); // 'User #7'
 * ```
 */
export function defaultUserLabel(user: object): string {
  return ownLabel(user) ?? `User #${String((user as { id?: unknown }).id ?? '?')}`;
}

/**
 * The default label of a logged object: its own `toString()`, `username`, `name` or `email`,
 * else `<Model> #<pk>`.
 *
 * @example
 * ```ts
 * defaultObjectLabel(post); // 'Post #12' when Post defines no toString() and has no name
 * ```
 */
export function defaultObjectLabel(instance: Model): string {
  const ctor = instance.constructor as AnyModelStatic;
  const pk = instance.get(ctor.primaryKeyAttribute);
  return ownLabel(instance) ?? `${ctor.name} #${String(pk)}`;
}

/**
 * The default `onRenderError`: one warning line on stderr.
 *
 * @example
 * ```ts
 * warnRenderError(new Error('x is not defined'), { logId: '7', template: 'shop/sold.ejs', fallback: 'timeline_logger/default.ejs' });
 * // timeline-logger: log 7: template shop/sold.ejs failed (x is not defined); shown with timeline_logger/default.ejs
 * ```
 */
export function warnRenderError(error: Error, context: RenderErrorContext): void {
  const shown = context.fallback === null ? 'shown as a plain line' : `shown with ${context.fallback}`;
  console.warn(`timeline-logger: log ${context.logId ?? '(unsaved)'}: template ${context.template} failed (${error.message}); ${shown}`);
}

const LABEL_FIELDS = ['username', 'name', 'email'] as const;

function ownLabel(value: object): string | null {
  if (definesToString(value)) return String(value);
  const read = (field: string): unknown => (value instanceof ModelBase ? value.get(field) : (value as Record<string, unknown>)[field]);
  for (const field of LABEL_FIELDS) {
    const label = read(field);
    if (typeof label === 'string' && label !== '') return label;
  }
  return null;
}

/** True when a class between the value and the generic base (Object or Sequelize's Model) defines `toString`. */
function definesToString(value: object): boolean {
  for (let proto = Object.getPrototypeOf(value) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const next = Object.getPrototypeOf(proto) as object | null;
    if (next === null) return false; // reached Object.prototype
    if (proto === ModelBase.prototype) return false;
    if (Object.prototype.hasOwnProperty.call(proto, 'toString')) return true;
  }
  return false;
}

function partitioningFor(tableName: string, options: TimelineOptions['partitioning']): ResolvedPartitioning | null {
  const partitioning = resolvePartitioning(options);
  if (partitioning !== null) assertPartitionNamesFit(tableName, partitioning.interval);
  return partitioning;
}

function resolveTemplateDirs(dirs: readonly string[] | undefined): string[] {
  if (dirs === undefined) return [];
  if (!Array.isArray(dirs) || dirs.some((dir) => typeof dir !== 'string' || dir === '')) {
    throw ConfigurationError.invalidOption('templateDirs', 'an array of folder paths', dirs);
  }
  return [...(dirs as readonly string[])];
}

function resolveLocaleOption(value: string | undefined): Locale {
  const locale = parseLocale(value ?? 'en');
  if (locale === null) throw ConfigurationError.invalidOption('locale', 'one of "en", "nl"', value);
  return locale;
}

function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw ConfigurationError.invalidOption(name, 'a function', value);
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw ConfigurationError.invalidOption(name, 'a positive integer', value);
  return value;
}

function nonEmptyString(name: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw ConfigurationError.invalidOption(name, 'a non-empty string', value);
  return value;
}
