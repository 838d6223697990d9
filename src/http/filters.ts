import { DataTypes } from 'sequelize';
import type { AnyModelStatic } from '../options.js';
import { TimelineRequestError } from './timeline-request-error.js';
import { zonedTimeToInstant } from '../render/time-zone.js';

/** The filter parameters of the timeline, in the order links and forms list them. */
export const FILTER_PARAMETERS = ['user', 'contentType', 'objectId', 'event', 'since', 'until'] as const;

/** One of {@link FILTER_PARAMETERS}. */
export type FilterParameter = (typeof FILTER_PARAMETERS)[number];

/** The filters of a request as given (trimmed; empty ones left out), for links and the form. */
export type TimelineFilterValues = Readonly<Partial<Record<FilterParameter, string>>>;

/** A bound on `timestamp`. */
export interface TimeBound {
  readonly at: Date;
  /** Whether a log exactly `at` is included. */
  readonly inclusive: boolean;
}

/** What the filters select, ready for a query. */
export interface TimelineCriteria {
  readonly userId?: string;
  readonly contentType?: string;
  readonly objectId?: string;
  readonly event?: string;
  /** Logs at or after this instant. */
  readonly since?: TimeBound;
  /** Logs before (or at, when inclusive) this instant. */
  readonly until?: TimeBound;
}

/** The outcome of {@link parseTimelineFilters}. */
export interface ParsedFilters {
  readonly values: TimelineFilterValues;
  readonly criteria: TimelineCriteria;
}

/** Options of {@link parseTimelineFilters}. */
export interface FilterParseOptions {
  /** IANA zone that dates and date-times without an offset are read in. */
  readonly timeZone: string;
  /** The setup's user model: `user` must fit its key type. Null means a `bigint` key. */
  readonly userModel: AnyModelStatic | null;
}

const MAX_TEXT = { contentType: 255, objectId: 1000, event: 64, user: 255 } as const;
/** What a text filter accepts, in words (each is a msgid of the locale catalogs). */
const TEXT_EXPECTED = {
  objectId: 'an object id of at most 1000 characters without control characters',
  event: 'an event name of at most 64 characters without control characters',
  user: 'a user id of at most 255 characters without control characters',
} as const;
const CONTENT_TYPE = /^[A-Za-z_$][\w$.-]*$/;
const INTEGER = /^-?\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const ISO_EXPECTED = 'an ISO date (2024-01-31) or date-time (2024-01-31T09:30, 2024-01-31T09:30:00Z)';

/**
 * Reads the timeline filters from a parsed query string. Empty values (as an empty form field
 * sends them) are left out. `since` selects logs at or after it; `until` as a date includes
 * that whole day, as a date-time it is inclusive. Dates and date-times without an offset are
 * read in `timeZone`.
 *
 * @throws TimelineRequestError (400, naming the parameter) for a malformed or repeated value.
 * @example
 * ```ts
 * parseTimelineFilters({ user: '3', until: '2016-07-01' }, { timeZone: 'UTC', userModel: User }).criteria;
 * // { userId: '3', until: { at: 2016-07-02T00:00:00.000Z, inclusive: false } }
 * ```
 */
export function parseTimelineFilters(query: Readonly<Record<string, unknown>>, options: FilterParseOptions): ParsedFilters {
  const values: Partial<Record<FilterParameter, string>> = {};
  for (const name of FILTER_PARAMETERS) {
    const value = singleValue(query, name);
    if (value !== undefined) values[name] = value;
  }
  const criteria: TimelineCriteria = {
    ...(values.user === undefined ? {} : { userId: checkUser(values.user, options.userModel) }),
    ...(values.contentType === undefined ? {} : { contentType: checkContentType(values.contentType) }),
    ...(values.objectId === undefined ? {} : { objectId: checkText('objectId', values.objectId) }),
    ...(values.event === undefined ? {} : { event: checkText('event', values.event) }),
    ...(values.since === undefined ? {} : { since: { at: parseMoment('since', values.since, options.timeZone).start, inclusive: true } }),
    ...(values.until === undefined ? {} : { until: untilBound(values.until, options.timeZone) }),
  };
  if (criteria.since && criteria.until && criteria.since.at.getTime() > criteria.until.at.getTime()) {
    throw TimelineRequestError.invalidParameter('until', 'on or after since', values.until ?? '');
  }
  return { values: Object.freeze(values), criteria: Object.freeze(criteria) };
}

/**
 * A query parameter's single value, trimmed; undefined when absent or empty.
 *
 * @throws TimelineRequestError when it is given more than once or is not a plain string.
 * @example
 * ```ts
 * singleValue({ event: ' created ' }, 'event'); // 'created'
 * singleValue({ event: '' }, 'event');          // undefined
 * singleValue({ event: ['a', 'b'] }, 'event');  // throws (400, parameter 'event')
 * ```
 */
export function singleValue(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw TimelineRequestError.repeatedParameter(name);
  if (typeof value !== 'string') throw TimelineRequestError.invalidParameter(name, 'a single text value', JSON.stringify(value));
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Whether `value` could be a content type (a model name).
 *
 * @example
 * ```ts
 * isContentType('Post'); // true
 * isContentType('<script>'); // false
 * ```
 */
export function isContentType(value: string): boolean {
  return value.length <= MAX_TEXT.contentType && CONTENT_TYPE.test(value);
}

function checkContentType(value: string): string {
  if (!isContentType(value)) throw TimelineRequestError.invalidParameter('contentType', 'a model name such as Post', value);
  return value;
}

function checkText(name: keyof typeof TEXT_EXPECTED, value: string): string {
  if (value.length > MAX_TEXT[name] || /[\u0000-\u001f\u007f]/.test(value)) {
    throw TimelineRequestError.invalidParameter(name, TEXT_EXPECTED[name], value);
  }
  return value;
}

/** `user` must fit the user key's column type, or PostgreSQL would reject the whole query. */
function checkUser(value: string, userModel: AnyModelStatic | null): string {
  const type = userModel?.getAttributes()[userModel.primaryKeyAttribute]?.type;
  const integer = userModel === null || type instanceof DataTypes.INTEGER || type instanceof DataTypes.BIGINT || type instanceof DataTypes.SMALLINT;
  if (integer) {
    if (!INTEGER.test(value) || BigInt(value) > 9223372036854775807n || BigInt(value) < -9223372036854775808n) {
      throw TimelineRequestError.invalidParameter('user', 'a user id (a whole number)', value);
    }
    return String(BigInt(value));
  }
  if (type instanceof DataTypes.UUID) {
    if (!UUID.test(value)) throw TimelineRequestError.invalidParameter('user', 'a user id (a UUID)', value);
    return value.toLowerCase();
  }
  return checkText('user', value);
}

function untilBound(value: string, timeZone: string): TimeBound {
  const moment = parseMoment('until', value, timeZone);
  return moment.dateOnly ? { at: moment.nextDay, inclusive: false } : { at: moment.start, inclusive: true };
}

interface Moment {
  readonly start: Date;
  readonly dateOnly: boolean;
  /** For a date: the start of the following day. */
  readonly nextDay: Date;
}

function parseMoment(name: 'since' | 'until', value: string, timeZone: string): Moment {
  const match = DATE_TIME.exec(value);
  if (match === null) throw TimelineRequestError.invalidParameter(name, ISO_EXPECTED, value);
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const fields = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    millisecond: Math.floor(Number(`0.${fraction ?? '0'}`) * 1000),
  };
  if (!validFields(fields)) throw TimelineRequestError.invalidParameter(name, ISO_EXPECTED, value);
  const dateOnly = h === undefined;
  const start = offset === undefined ? zonedTimeToInstant(fields, timeZone) : new Date(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond) - offsetMs(offset));
  const nextDay = zonedTimeToInstant({ ...fields, day: fields.day + 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
  if (Number.isNaN(start.getTime())) throw TimelineRequestError.invalidParameter(name, ISO_EXPECTED, value);
  return { start, dateOnly, nextDay };
}

function validFields(fields: { year: number; month: number; day: number; hour: number; minute: number; second: number }): boolean {
  if (fields.year < 1000 || fields.hour > 23 || fields.minute > 59 || fields.second > 59) return false;
  const date = new Date(Date.UTC(fields.year, fields.month - 1, fields.day));
  return date.getUTCMonth() === fields.month - 1 && date.getUTCDate() === fields.day;
}

function offsetMs(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
