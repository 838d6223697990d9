import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { isJsonObject, type JsonValue } from '../model/to-json-value.js';
import { dateTimeFormatFor, formatDate } from './date-format.js';
import type { Locale } from './locale.js';
import { translate } from './translate.js';
import type { LogLabels } from './log-labels.js';

/** The fields of a log a message needs, with its related rows already loaded. */
export interface MessageSource {
  readonly contentType: string | null;
  readonly objectRepr: string | null;
  readonly userId: string | number | null;
  readonly userRepr: string | null;
  readonly timestamp: Date;
  readonly extraData: JsonValue | null;
  readonly contentObject?: Model | null;
  readonly user?: Model | null;
}

/** Where and how a message is being rendered. */
export interface MessageSettings {
  readonly locale: Locale;
  readonly timeZone: string;
}

/**
 * The variables every message template sees.
 *
 * @example
 * ```ejs
 * <%= timestamp %> - <%= user %> shipped <%= object %> (<%= log.extraData.carrier %>)
 * ```
 */
export interface MessageContext extends Record<string, unknown> {
  /** The log, with `contentObject`, `user` and `extraData` loaded. */
  log: MessageSource;
  /** The log's timestamp in the locale's DATETIME_FORMAT and the configured time zone. */
  timestamp: string;
  /** The user's live label, else the stored snapshot, else "Anonymous user" (translated). */
  user: string;
  /** The object's live label, else the stored snapshot, else "None" (translated). */
  object: string;
  /** Names of the fields in `extraData.changes`, in the model's attribute order. */
  changedFields: string[];
  /** The message locale. */
  locale: Locale;
  /** Translates an English message, interpolating `{name}` placeholders. */
  t: (msgid: string, params?: Readonly<Record<string, string | number>>) => string;
  /** Formats a date like Django's `date` filter; defaults to the locale's DATETIME_FORMAT. */
  formatDate: (date: Date | string | number, format?: string) => string;
}

/**
 * Builds the context a message template is rendered with, from the log's labels (see
 * {@link logLabels}). The caller's `extra` values come last and win.
 *
 * @example
 * ```ts
 * renderer.render(log.template, messageContext(log, labels, sequelize, { locale: 'en', timeZone: 'UTC' }));
 * ```
 */
export function messageContext(
  log: MessageSource,
  labels: LogLabels,
  sequelize: Sequelize,
  settings: MessageSettings,
  extra: Readonly<Record<string, unknown>> = {},
): MessageContext {
  const { locale, timeZone } = settings;
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>): string => translate(locale, msgid, params);
  const format = (date: Date | string | number, pattern = dateTimeFormatFor(locale)): string =>
    formatDate(date instanceof Date ? date : new Date(date), pattern, { locale, timeZone });
  return {
    log,
    timestamp: format(log.timestamp),
    user: labels.user ?? t('Anonymous user'),
    object: labels.object ?? t('None'),
    changedFields: changedFields(log, sequelize),
    locale,
    t,
    formatDate: format,
    ...extra,
  };
}

/** The changed fields in the model's attribute order (JSONB does not keep key order); unknown fields last. */
function changedFields(log: MessageSource, sequelize: Sequelize): string[] {
  const changes = isJsonObject(log.extraData) ? log.extraData.changes : undefined;
  if (!isJsonObject(changes)) return [];
  const fields = Object.keys(changes);
  if (fields.length < 2 || log.contentType === null || !sequelize.isDefined(log.contentType)) return fields;
  const ranks = attributeRanks(sequelize.model(log.contentType));
  const rank = (field: string): number => ranks.get(field) ?? ranks.size;
  return fields.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Each attribute's place in its model, per attribute set (a model initialised again gets a new one). */
const ranksByAttributes = new WeakMap<object, ReadonlyMap<string, number>>();

function attributeRanks(model: ModelStatic<Model>): ReadonlyMap<string, number> {
  const attributes = model.getAttributes();
  let ranks = ranksByAttributes.get(attributes);
  if (ranks === undefined) {
    ranks = new Map(Object.keys(attributes).map((name, index) => [name, index]));
    ranksByAttributes.set(attributes, ranks);
  }
  return ranks;
}
