import { isoFromDate } from '../model/canonical-timestamp.js';
import { isoDateTimeInstant, parseIsoDateTime, type IsoDateTime } from '../model/iso-date-time.js';
import { canonicalKey, fitsKey, keyKindOfAttribute, type KeyKind } from '../model/key-kind.js';
import { CORRELATION_ID_EXPECTED, isCorrelationId } from '../model/correlation-id.js';
import { MAX_CONTENT_TYPE_LENGTH, MAX_EVENT_LENGTH } from '../model/timeline-columns.js';
import type { TimeBound, TimelineCriteria } from '../model/timeline-filter.js';
import type { AnyModelStatic } from '../options.js';
import { TimelineRequestError } from './timeline-request-error.js';
import { zonedTimeToInstant } from '../render/time-zone.js';

/** The filter parameters of the timeline, in the order links and forms list them. */
export const FILTER_PARAMETERS = ['user', 'contentType', 'objectId', 'event', 'since', 'until', 'correlationId'] as const;

/** One of {@link FILTER_PARAMETERS}. */
export type FilterParameter = (typeof FILTER_PARAMETERS)[number];

/** The filters of a request as given (trimmed; empty ones left out), for links and the form. */
export type TimelineFilterValues = Readonly<Partial<Record<FilterParameter, string>>>;

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

const MAX_TEXT = { contentType: MAX_CONTENT_TYPE_LENGTH, objectId: 1000, event: MAX_EVENT_LENGTH, user: 255 } as const;
/** What a text filter accepts, in words (each is a msgid of the locale catalogs). */
const TEXT_EXPECTED = {
  objectId: 'an object id of at most 1000 characters without control characters',
  event: 'an event name of at most 64 characters without control characters',
  user: 'a user id of at most 255 characters without control characters',
} as const;
const CONTENT_TYPE = /^[A-Za-z_$][\w$.-]*$/;
/** The page's dates: strict spellings, bare dates, four-digit years from 1000. */
const PAGE_DATES = { spelling: 'strict', dates: true, minYear: 1000 } as const;
const ISO_EXPECTED = 'an ISO date (2024-01-31) or date-time (2024-01-31T09:30, 2024-01-31T09:30:00Z)';

/**
 * Reads the timeline filters from a parsed query string. Empty values (as an empty form field
 * sends them) are left out. `correlationId` selects the logs of one request or job. `since` selects logs at or after it; `until` as a date includes
 * that whole day, as a date-time it is inclusive. Dates and date-times without an offset are
 * read in `timeZone`; date-times to the millisecond.
 *
 * @throws TimelineRequestError (400, naming the parameter) for a malformed or repeated value.
 * @example
 * ```ts
 * parseTimelineFilters({ user: '3', until: '2016-07-01' }, { timeZone: 'UTC', userModel: User }).criteria;
 * // { userId: '3', until: { at: '2016-07-02T00:00:00.000000Z', inclusive: false } }
 * ```
 */
export function parseTimelineFilters(query: Readonly<Record<string, unknown>>, options: FilterParseOptions): ParsedFilters {
  const values: Partial<Record<FilterParameter, string>> = {};
  for (const name of FILTER_PARAMETERS) {
    const value = singleValue(query, name);
    if (value !== undefined) values[name] = value;
  }
  const checked: TimelineCriteria = {
    ...(values.user === undefined ? {} : { userId: checkUser(values.user, options.userModel) }),
    ...(values.contentType === undefined ? {} : { contentType: checkContentType(values.contentType) }),
    ...(values.objectId === undefined ? {} : { objectId: checkText('objectId', values.objectId) }),
    ...(values.event === undefined ? {} : { event: checkText('event', values.event) }),
    ...(values.correlationId === undefined ? {} : { correlationId: checkCorrelationIdParameter(values.correlationId) }),
  };
  const since =
    values.since === undefined ? undefined : { at: parseMoment('since', values.since, options.timeZone).start, inclusive: true };
  const until = values.until === undefined ? undefined : untilBound(values.until, options.timeZone);
  if (since && until && since.at.getTime() > until.at.getTime()) {
    throw TimelineRequestError.invalidParameter('until', 'on or after since', values.until ?? '');
  }
  const criteria: TimelineCriteria = {
    ...checked,
    ...(since === undefined ? {} : { since: canonicalBound(since) }),
    ...(until === undefined ? {} : { until: canonicalBound(until) }),
  };
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
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (value.length > MAX_TEXT[name] || /[\u0000-\u001f\u007f]/.test(value)) {
    throw TimelineRequestError.invalidParameter(name, TEXT_EXPECTED[name], value);
  }
  return value;
}

/** A correlation id follows the rule of the ids the library stores (SPEC §12): anything else cannot match. */
function checkCorrelationIdParameter(value: string): string {
  if (!isCorrelationId(value)) throw TimelineRequestError.invalidParameter('correlationId', CORRELATION_ID_EXPECTED, value);
  return value;
}

/** `user` must fit the user key's column type, or PostgreSQL would reject the whole query. */
function checkUser(value: string, userModel: AnyModelStatic | null): string {
  const kind: KeyKind = userModel === null ? 'bigint' : keyKindOfAttribute(userModel.getAttributes()[userModel.primaryKeyAttribute]?.type);
  if (kind === 'text') return checkText('user', value);
  if (!fitsKey(kind, value))
    throw TimelineRequestError.invalidParameter('user', kind === 'uuid' ? 'a user id (a UUID)' : 'a user id (a whole number)', value);
  return canonicalKey(kind, value);
}

/** A bound as the page computes it, to the millisecond, before it becomes canonical text. */
interface InstantBound {
  readonly at: Date;
  readonly inclusive: boolean;
}

function canonicalBound(bound: InstantBound): TimeBound {
  return { at: isoFromDate(bound.at), inclusive: bound.inclusive };
}

function untilBound(value: string, timeZone: string): InstantBound {
  const moment = parseMoment('until', value, timeZone);
  if (!moment.value.dateOnly) return { at: moment.start, inclusive: true };
  const { year, month, day } = moment.value;
  return {
    at: zonedTimeToInstant({ year, month, day: day + 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone),
    inclusive: false,
  };
}

interface Moment {
  readonly value: IsoDateTime;
  /** The instant it names: its offset applied, or its wall time read in the page's zone. */
  readonly start: Date;
}

function parseMoment(name: 'since' | 'until', text: string, timeZone: string): Moment {
  const parsed = parseIsoDateTime(text, PAGE_DATES);
  if (!parsed.ok) throw TimelineRequestError.invalidParameter(name, ISO_EXPECTED, text);
  const { value } = parsed;
  const start =
    value.offsetMinutes === null
      ? zonedTimeToInstant(
          {
            year: value.year,
            month: value.month,
            day: value.day,
            hour: value.hour,
            minute: value.minute,
            second: value.second,
            millisecond: Math.floor(value.microsecond / 1000),
          },
          timeZone,
        )
      : isoDateTimeInstant(value);
  if (Number.isNaN(start.getTime())) throw TimelineRequestError.invalidParameter(name, ISO_EXPECTED, text);
  return { value, start };
}
