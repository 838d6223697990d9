import { Router, type NextFunction, type Request, type Response } from 'express';
import { TimelineLog } from '../model/timeline-log.js';
import { MessageRenderer } from '../render/message-renderer.js';
import { negotiateLocale, parseLocale, translate, type Locale } from '../render/i18n.js';
import { dateFormatFor, formatDate, timeFormatFor } from '../render/date-format.js';
import { locatePage, pageWindow, parsePageParam, type PageInfo } from './pagination.js';

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
  /** Folders searched for page templates before the setup's `templateDirs` and the package's `views/`. */
  templateDirs?: readonly string[];
  /** Page language: a locale or a function of the request. Defaults to the `Accept-Language` header, else the setup's. */
  locale?: PerRequest<string>;
  /** IANA time zone of the page: a zone or a function of the request. Defaults to the setup's. */
  timeZone?: PerRequest<string>;
}

const PAGE_TEMPLATE = 'timeline_logger/timeline.ejs';

/**
 * An Express router serving the timeline page, newest first, with numbered pages
 * (`?page=N`, `?page=last`; 404 for a page out of range or not a number).
 *
 * @throws TypeError when neither `authorize` nor `public: true` is given.
 * @example
 * ```ts
 * app.use('/timeline', timelineRouter({ authorize: (req) => Boolean(req.user?.isStaff) }));
 * ```
 */
export function timelineRouter(options: TimelineRouterOptions): Router {
  const settings = validateOptions(options);
  const runtime = TimelineLog.runtime;
  const renderer = new MessageRenderer([...(options.templateDirs ?? []), ...runtime.options.templateDirs]);
  const router = Router();

  router.use(async function authorizeTimeline(req: Request, res: Response, next: NextFunction) {
    if (settings.public || (await settings.authorize?.(req)) === true) {
      next();
      return;
    }
    if (settings.onForbidden) {
      settings.onForbidden(req, res, next);
      return;
    }
    res.status(403).type('text/plain').send(translate(requestLocale(req, options), 'You are not allowed to see this timeline.'));
  });

  router.get('/', async function timelinePage(req: Request, res: Response) {
    const locale = requestLocale(req, options);
    const timeZone = resolvePerRequest(options.timeZone, req) ?? runtime.options.timeZone;
    const page = await findPage(req.query.page, settings.paginateBy ?? runtime.options.paginateBy);
    if (page === null) {
      res.status(404).type('text/plain').send(translate(locale, 'Invalid page: that page contains no results.'));
      return;
    }
    const messages = await TimelineLog.renderMessages(page.logs, { escape: 'html', locale, timeZone });
    const html = renderer.render(
      PAGE_TEMPLATE,
      {
        locale,
        t: (msgid: string, params?: Record<string, string | number>) => translate(locale, msgid, params),
        entries: page.logs.map((log, index) => ({
          log,
          message: messages[index] ?? '',
          day: formatDate(log.timestamp, dateFormatFor(locale), { locale, timeZone }),
          time: formatDate(log.timestamp, timeFormatFor(locale), { locale, timeZone }),
        })),
        page: page.info,
        window: pageWindow(page.info.number, page.info.pages),
        pageUrl: (number: number) => `?page=${number}`,
      },
      'html',
    );
    res.type('html').send(html);
  });

  return router;
}

async function findPage(param: unknown, perPage: number): Promise<{ info: PageInfo; logs: TimelineLog[] } | null> {
  const request = parsePageParam(param);
  if (request === null) return null;
  const info = locatePage(request, await TimelineLog.count(), perPage);
  if (info === null) return null;
  const logs = await TimelineLog.findAll({
    order: [['timestamp', 'DESC'], ['id', 'DESC']],
    offset: info.offset,
    limit: info.limit,
  });
  return { info, logs };
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
