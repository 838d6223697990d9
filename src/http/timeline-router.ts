import { Router, type NextFunction, type Request, type Response } from 'express';
import { loadRelatedRows } from '../model/related-rows.js';
import { TimelineLog } from '../model/timeline-log.js';
import { MessageRenderer } from '../render/message-renderer.js';
import { negotiateLocale, parseLocale, translate, type Locale } from '../render/i18n.js';
import { renderLogMessages } from '../render/render-messages.js';
import { DEFAULT_CURSOR_SECRET } from './cursor.js';
import { isContentType, parseTimelineFilters, singleValue, type ParsedFilters } from './filters.js';
import { parsePagePosition } from './page-position.js';
import { timelineEntries } from './timeline-entry.js';
import { timelineJson } from './timeline-json.js';
import { TimelineLinks } from './timeline-links.js';
import { findTimelinePage, type TimelinePage } from './timeline-query.js';
import { TimelineRequestError } from './timeline-request-error.js';
import { TimelineStylesheet } from './timeline-stylesheet.js';
import { timelineView } from './timeline-view.js';

/** A value, or a function of the request giving it. */
export type PerRequest<T> = T | ((req: Request) => T);

/**
 * Options of {@link timelineRouter}. Either `authorize` or `public: true` is required, so no
 * timeline is ever shown without an explicit decision.
 */
export interface TimelineRouterOptions {
  /** Decides whether a request may see the timeline (may be async). Required unless `public: true`. */
  authorize?: (req: Request) => boolean | Promise<boolean>;
  /** Shows the timeline to everyone. Must be set explicitly; defaults to `false`. */
  public?: boolean;
  /** Logs per page. Defaults to the setup's `paginateBy` (25). */
  paginateBy?: number;
  /** Answers a refused request, e.g. with a redirect to the login page. Defaults to a 403 page. */
  onForbidden?: (req: Request, res: Response, next: NextFunction) => void;
  /**
   * Folders searched for the page's templates and stylesheet (`timeline_logger/layout.ejs`,
   * `timeline.ejs`, `_filters.ejs`, `_entry.ejs`, `_pager.ejs`, `timeline.css`) before the setup's
   * `templateDirs` and the package's `views/`. Defaults to `[]`.
   */
  templateDirs?: readonly string[];
  /** Page language: a locale or a function of the request. Defaults to the `Accept-Language` header, else the setup's. */
  locale?: PerRequest<string>;
  /** IANA time zone of the page: a zone or a function of the request. Defaults to the setup's. */
  timeZone?: PerRequest<string>;
  /**
   * Key the Newer/Older cursors are signed with (HMAC-SHA256), so an altered cursor is refused
   * with 400. Cursors only say where a page starts, never what may be seen. Defaults to a fixed
   * package key; set your own to make cursors unforgeable.
   */
  cursorSecret?: string;
}

const PAGE_TEMPLATE = 'timeline_logger/timeline.ejs';
const LAYOUT_TEMPLATE = 'timeline_logger/layout.ejs';

/**
 * The page's Content-Security-Policy: nothing inline, nothing from elsewhere. The page needs
 * no script at all.
 */
export const TIMELINE_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Everything a request needs that does not depend on the request. */
interface RouterContext {
  readonly options: TimelineRouterOptions;
  readonly renderer: MessageRenderer;
  readonly stylesheet: TimelineStylesheet;
  readonly cursorSecret: string;
}

/**
 * An Express router serving the timeline (SPEC §6):
 * - `GET /`: the page, newest first, grouped by day, with a filter form (`user`, `contentType`,
 *   `objectId`, `event`, `since`, `until`) and Newer/Older links carrying keyset cursors
 *   (`?before=`, `?after=`; `?after=start` for the oldest entries) that cost the same at any
 *   depth; `?page=N` and `?page=last` give
 *   numbered pages (404 out of range or not a number);
 * - `GET /:contentType/:objectId`: the timeline of one object;
 * - the same routes answer JSON for `Accept: application/json` or `?format=json`;
 * - `GET /static/timeline.css`: the page's stylesheet (served without authorization).
 *
 * A malformed filter or cursor is 400 with a message naming the parameter.
 *
 * @throws TypeError when neither `authorize` nor `public: true` is given.
 * @example
 * ```ts
 * app.use('/timeline', timelineRouter({
 *   authorize: (req) => Boolean(req.user?.isStaff),
 *   onForbidden: (req, res) => res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`),
 * }));
 * ```
 */
export function timelineRouter(options: TimelineRouterOptions): Router {
  const settings = validateOptions(options);
  const runtime = TimelineLog.runtime;
  const renderer = new MessageRenderer([...(settings.templateDirs ?? []), ...runtime.options.templateDirs]);
  const context: RouterContext = {
    options: settings,
    renderer,
    stylesheet: TimelineStylesheet.load(renderer),
    cursorSecret: settings.cursorSecret ?? DEFAULT_CURSOR_SECRET,
  };
  const router = Router();

  router.get('/static/timeline.css', context.stylesheet.serve);

  router.use(async function authorizeTimeline(req: Request, res: Response, next: NextFunction) {
    if (settings.public || (await settings.authorize?.(req)) === true) {
      next();
      return;
    }
    if (settings.onForbidden) {
      settings.onForbidden(req, res, next);
      return;
    }
    res.status(403).type('text/plain').send(translate(requestLocale(req, settings), 'You are not allowed to see this timeline.'));
  });

  router.get('/', async function timelinePage(req: Request, res: Response, next: NextFunction) {
    await answer(context, req, res, next, null);
  });

  router.get('/:contentType/:objectId', async function objectTimelinePage(req: Request, res: Response, next: NextFunction) {
    await answer(context, req, res, next, { contentType: String(req.params.contentType), objectId: String(req.params.objectId) });
  });

  return router;
}

type ObjectParams = { readonly contentType: string; readonly objectId: string };

async function answer(context: RouterContext, req: Request, res: Response, next: NextFunction, object: ObjectParams | null): Promise<void> {
  const locale = requestLocale(req, context.options);
  res.vary('Accept').set('Cache-Control', 'private, no-cache');
  let json = false;
  try {
    json = wantsJson(req);
    const timeZone = resolvePerRequest(context.options.timeZone, req) ?? TimelineLog.runtime.options.timeZone;
    const filters = requestFilters(req, timeZone, object);
    const position = parsePagePosition(req.query, context.cursorSecret);
    const perPage = context.options.paginateBy ?? TimelineLog.runtime.options.paginateBy;
    const page = await findTimelinePage(TimelineLog, { criteria: filters.criteria, position, perPage });
    const links = new TimelineLinks({
      basePath: req.baseUrl,
      listingPath: object ? `/${encodeURIComponent(object.contentType)}/${encodeURIComponent(object.objectId)}` : '/',
      filters: filters.values,
      keep: req.query.format === 'json' ? { format: 'json' } : {},
      cursorSecret: context.cursorSecret,
    });
    if (json) await sendJson(res, page, links, position.kind === 'before', locale, timeZone);
    else await sendHtml(context, res, page, links, { locale, timeZone, filters, object, oldestPage: position.kind === 'oldest' });
  } catch (error) {
    if (!(error instanceof TimelineRequestError)) {
      next(error);
      return;
    }
    const params = error.params.expected === undefined ? error.params : { ...error.params, expected: translate(locale, error.params.expected) };
    const message = translate(locale, error.msgid, params);
    res.status(error.status);
    if (json) res.json({ error: { status: error.status, parameter: error.parameter, message } });
    else res.type('text/plain').send(message);
  }
}

async function sendJson(res: Response, page: TimelinePage, links: TimelineLinks, fromCursor: boolean, locale: Locale, timeZone: string): Promise<void> {
  const runtime = TimelineLog.runtime;
  await loadRelatedRows(page.logs, runtime.sequelize, runtime.options);
  const entries = timelineEntries(page.logs, renderLogMessages(runtime, page.logs, { escape: 'text', locale, timeZone }));
  const prev = page.newer !== null ? links.urlAfter(page.newer) : fromCursor ? links.urlNewest() : null;
  res.json(
    timelineJson(entries, { next: links.urlBefore(page.older), prev }, { user: translate(locale, 'Anonymous user'), object: translate(locale, 'None') }),
  );
}

interface HtmlRequest {
  readonly locale: Locale;
  readonly timeZone: string;
  readonly filters: ParsedFilters;
  readonly object: ObjectParams | null;
  readonly oldestPage: boolean;
}

async function sendHtml(context: RouterContext, res: Response, page: TimelinePage, links: TimelineLinks, request: HtmlRequest): Promise<void> {
  const { locale, timeZone } = request;
  const runtime = TimelineLog.runtime;
  await loadRelatedRows(page.logs, runtime.sequelize, runtime.options);
  const entries = timelineEntries(page.logs, renderLogMessages(runtime, page.logs, { escape: 'html', locale, timeZone }));
  const view = timelineView(page, entries, {
    locale,
    timeZone,
    links,
    filters: request.filters.values,
    object: request.object,
    oldestPage: request.oldestPage,
    contentTypes: Object.keys(TimelineLog.runtime.sequelize.models).filter((name) => name !== TimelineLog.name).sort(),
    stylesheetHref: links.stylesheetPath(context.stylesheet.version),
    homeHref: links.homePath(),
  });
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>): string => translate(locale, msgid, params);
  // Partials see what they are given (plus `t` and `partial`), like function arguments.
  const partial = (template: string, data: Record<string, unknown> = {}): string => context.renderer.render(template, { ...data, t, partial }, 'html');
  const body = context.renderer.render(PAGE_TEMPLATE, { ...view, t, partial }, 'html');
  const html = context.renderer.render(LAYOUT_TEMPLATE, { ...view, t, body }, 'html');
  res.set({
    'Content-Security-Policy': TIMELINE_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  res.type('html').send(html);
}

/** The filters of the query; on a per-object page the object comes from the path. */
function requestFilters(req: Request, timeZone: string, object: ObjectParams | null): ParsedFilters {
  const userModel = TimelineLog.runtime.options.userModel;
  if (object === null) return parseTimelineFilters(req.query, { timeZone, userModel });
  if (!isContentType(object.contentType)) {
    throw TimelineRequestError.invalidParameter('contentType', 'a model name such as Post', object.contentType);
  }
  const { contentType: _contentType, objectId: _objectId, ...query } = req.query;
  const parsed = parseTimelineFilters({ ...query, contentType: object.contentType, objectId: object.objectId }, { timeZone, userModel });
  const { contentType: _c, objectId: _o, ...values } = parsed.values;
  return { values, criteria: parsed.criteria };
}

/** `?format=json` or `?format=html` decide; otherwise the Accept header (HTML first for `*\/*`). */
function wantsJson(req: Request): boolean {
  const format = singleValue(req.query, 'format');
  if (format === 'json') return true;
  if (format === 'html') return false;
  if (format !== undefined) throw TimelineRequestError.invalidParameter('format', 'json or html', format);
  return req.accepts(['html', 'json']) === 'json';
}

function validateOptions(options: TimelineRouterOptions): TimelineRouterOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('argument options must be an object');
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw new TypeError('argument authorize must be a function');
  }
  if (options.authorize === undefined && options.public !== true) {
    throw new TypeError(
      'argument authorize must be a function: timelineRouter({ authorize: (req) => boolean }), ' +
        'or pass public: true to show the timeline to everyone',
    );
  }
  if (options.onForbidden !== undefined && typeof options.onForbidden !== 'function') {
    throw new TypeError('argument onForbidden must be a function');
  }
  if (options.paginateBy !== undefined && (!Number.isInteger(options.paginateBy) || options.paginateBy < 1)) {
    throw new TypeError('argument paginateBy must be a positive integer');
  }
  if (options.cursorSecret !== undefined && (typeof options.cursorSecret !== 'string' || options.cursorSecret.length < 16)) {
    throw new TypeError('argument cursorSecret must be a string of at least 16 characters');
  }
  return options;
}

function requestLocale(req: Request, options: TimelineRouterOptions): Locale {
  const configured = resolvePerRequest(options.locale, req);
  if (configured !== undefined) return parseLocale(configured) ?? TimelineLog.runtime.options.locale;
  return negotiateLocale(req.get('accept-language')) ?? TimelineLog.runtime.options.locale;
}

function resolvePerRequest<T>(value: PerRequest<T> | undefined, req: Request): T | undefined {
  return typeof value === 'function' ? (value as (req: Request) => T)(req) : value;
}
