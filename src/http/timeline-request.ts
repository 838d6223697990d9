import type { Request } from 'express';
import { parseLocale, type Locale } from '../render/locale.js';
import { negotiateLocale } from '../render/negotiate-locale.js';
import {
  FILTER_PARAMETERS,
  isContentType,
  parseTimelineFilters,
  singleValue,
  type FilterParseOptions,
  type ParsedFilters,
  type TimelineFilterValues,
} from './filters.js';
import type { TimelineCriteria } from '../model/timeline-filter.js';
import { parsePagePosition, type PagePosition } from './page-position.js';
import { TimelineRequestError } from './timeline-request-error.js';
import type { TimelineRouterContext } from './timeline-router-context.js';
import { resolvePerRequest } from './timeline-router-options.js';

/** The format a request is answered in. */
export type ResponseFormat = 'json' | 'html';

/** The object of a per-object timeline (`GET /:contentType/:objectId`). */
export interface TimelineObject {
  readonly contentType: string;
  readonly objectId: string;
}

/**
 * How a request is answered: its language and format. Known before the query is read, so
 * the query's own errors are answered the same way.
 */
export interface TimelineAnswer {
  readonly locale: Locale;
  readonly format: ResponseFormat;
}

/** A timeline request, read once: what it asks for and how to answer it. */
export interface TimelineRequest extends TimelineAnswer {
  /** IANA time zone of dates in filters and on the page. */
  readonly timeZone: string;
  /** Where the router is mounted (`req.baseUrl`), e.g. `/timeline`. */
  readonly basePath: string;
  /** The object of a per-object page, else null. */
  readonly object: TimelineObject | null;
  /** The query's filters as given, kept on links and shown in the form (a per-object page's object is in its path instead). */
  readonly filters: TimelineFilterValues;
  /** What the page selects: the filters, plus the object of a per-object page. */
  readonly criteria: TimelineCriteria;
  readonly position: PagePosition;
  readonly perPage: number;
  /** Parameters every link keeps: `format=json` when the query asked for JSON that way. */
  readonly keep: Readonly<Record<string, string>>;
}

/** The filters a per-object page takes from its query; its content type and id come from the path. */
const OBJECT_PAGE_FILTERS = FILTER_PARAMETERS.filter((name) => name !== 'contentType' && name !== 'objectId');

/**
 * The language of the answer: the router's `locale` option, else the `Accept-Language`
 * header, else the setup's locale.
 *
 * @example
 * ```ts
 * requestLocale(req, context); // 'nl' for 'Accept-Language: nl-NL,nl;q=0.9'
 * ```
 */
export function requestLocale(req: Request, context: TimelineRouterContext): Locale {
  const fallback = context.runtime.options.locale;
  const configured = resolvePerRequest(context.options.locale, req);
  if (configured !== undefined) return parseLocale(configured) ?? fallback;
  return negotiateLocale(req.get('accept-language')) ?? fallback;
}

/**
 * The format of the answer: `?format=json` or `?format=html` decide; otherwise the Accept
 * header (HTML first for `*\/*`).
 *
 * @throws TimelineRequestError (400) for another or a repeated `format`.
 * @example
 * ```ts
 * responseFormat(req); // 'json' for '?format=json' or 'Accept: application/json'
 * ```
 */
export function responseFormat(req: Request): ResponseFormat {
  const format = singleValue(req.query, 'format');
  if (format === 'json' || format === 'html') return format;
  if (format !== undefined) throw TimelineRequestError.invalidParameter('format', 'json or html', format);
  return req.accepts(['html', 'json']) === 'json' ? 'json' : 'html';
}

/**
 * Reads a page request: time zone, filters (with the object of a per-object page from its
 * path), page position and page size.
 *
 * @throws TimelineRequestError (400, naming the parameter) for a malformed filter, cursor or
 *   content type; 404 for a page that is not a number.
 * @example
 * ```ts
 * const request = parseTimelineRequest(req, context, { locale: 'en', format: 'html' });
 * request.criteria; // { contentType: 'Post', objectId: '12', event: 'created' } for /Post/12?event=created
 * ```
 */
export function parseTimelineRequest(req: Request, context: TimelineRouterContext, answer: TimelineAnswer): TimelineRequest {
  const timeZone = resolvePerRequest(context.options.timeZone, req) ?? context.runtime.options.timeZone;
  const object = pathObject(req);
  const { values, criteria } = requestFilters(req.query, object, { timeZone, userModel: context.runtime.options.userModel });
  return {
    ...answer,
    timeZone,
    basePath: req.baseUrl,
    object,
    filters: values,
    criteria,
    position: parsePagePosition(req.query, context.cursorSecret),
    perPage: context.perPage,
    keep: req.query.format === 'json' ? { format: 'json' } : {},
  };
}

/** The object named by the path of a per-object page, else null. */
function pathObject(req: Request): TimelineObject | null {
  const { contentType, objectId } = req.params;
  return typeof contentType === 'string' && typeof objectId === 'string' ? { contentType, objectId } : null;
}

/** The query's filters; on a per-object page the path's object stands in for `contentType` and `objectId`. */
function requestFilters(query: Request['query'], object: TimelineObject | null, options: FilterParseOptions): ParsedFilters {
  if (object === null) return parseTimelineFilters(query, options);
  if (!isContentType(object.contentType)) {
    throw TimelineRequestError.invalidParameter('contentType', 'a model name such as Post', object.contentType);
  }
  const parsed = parseTimelineFilters({ ...query, contentType: object.contentType, objectId: object.objectId }, options);
  const values = Object.fromEntries(
    OBJECT_PAGE_FILTERS.flatMap((name) => (parsed.values[name] === undefined ? [] : [[name, parsed.values[name]]])),
  );
  return { values, criteria: parsed.criteria };
}
