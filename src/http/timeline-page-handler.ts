import { MIGRATION_STORAGE_MODELS } from '../db/migrator.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { loadRelatedRows } from '../model/related-rows.js';
import { translate } from '../render/translate.js';
import { renderLogMessages, renderLogSentences } from '../render/render-messages.js';
import { timelineEntries } from './timeline-entry.js';
import { timelineHtml } from './timeline-html.js';
import { timelineJson, timelineJsonLinks } from './timeline-json.js';
import { TimelineLinks } from './timeline-links.js';
import { findTimelinePage } from './timeline-query.js';
import { parseTimelineRequest, requestLocale, responseFormat, type TimelineAnswer, type TimelineRequest } from './timeline-request.js';
import { TimelineRequestError } from './timeline-request-error.js';
import { sendRequestError, sendTimelineHtml, setPageCaching } from './timeline-responses.js';
import type { TimelineRouterContext } from './timeline-router-context.js';
import { timelineView } from './timeline-view.js';

/**
 * The Express handler of the timeline's pages (`GET /` and `GET /:contentType/:objectId`):
 * reads the request, loads the page's logs with their related rows, renders their messages
 * (with the setup's renderer) and answers JSON or HTML (the page's templates with the
 * router's renderer). A refused request is answered 400/404 in the request's language and
 * format; other errors go to `next`.
 *
 * @example
 * ```ts
 * const page = timelinePageHandler(context);
 * router.get('/', page);
 * router.get('/:contentType/:objectId', page);
 * ```
 */
export function timelinePageHandler(context: TimelineRouterContext): RequestHandler {
  return async function timelinePage(req: Request, res: Response, next: NextFunction): Promise<void> {
    // The language comes first and the format starts as HTML: a refused query (a bad `?format=` too) is answered in them.
    let answer: TimelineAnswer = { locale: requestLocale(req, context), format: 'html' };
    setPageCaching(res);
    try {
      answer = { ...answer, format: responseFormat(req) };
      await sendPage(context, parseTimelineRequest(req, context, answer), res);
    } catch (error) {
      if (!(error instanceof TimelineRequestError)) {
        next(error);
        return;
      }
      sendRequestError(res, error, answer);
    }
  };
}

async function sendPage(context: TimelineRouterContext, request: TimelineRequest, res: Response): Promise<void> {
  const { runtime } = context;
  const { locale, timeZone, format } = request;
  const page = await findTimelinePage(runtime.model, { criteria: request.criteria, position: request.position, perPage: request.perPage });
  const links = new TimelineLinks({
    basePath: request.basePath,
    listingPath: request.object ? `/${encodeURIComponent(request.object.contentType)}/${encodeURIComponent(request.object.objectId)}` : '/',
    filters: request.filters,
    keep: request.keep,
    cursorSecret: context.cursorSecret,
  });
  await loadRelatedRows(page.logs, runtime.sequelize, runtime.options);
  const entries = timelineEntries(
    page.logs,
    format === 'json'
      ? renderLogMessages(runtime, page.logs, { escape: 'text', locale, timeZone })
      : renderLogSentences(runtime, page.logs, { locale, timeZone }),
  );
  if (format === 'json') {
    const missing = { user: translate(locale, 'Anonymous user'), object: translate(locale, 'None') };
    res.json(timelineJson(entries, timelineJsonLinks(page, links, request.position), missing));
    return;
  }
  const view = timelineView(page, entries, {
    locale,
    timeZone,
    links,
    filters: request.filters,
    object: request.object,
    oldestPage: request.position.kind === 'oldest',
    contentTypes: Object.keys(runtime.sequelize.models)
      .filter((name) => name !== runtime.model.name && !MIGRATION_STORAGE_MODELS.has(name))
      .sort(),
    stylesheetHref: links.stylesheetPath(context.stylesheet.version),
    homeHref: links.homePath(),
    eventLabels: runtime.options.eventLabels,
  });
  sendTimelineHtml(res, timelineHtml(context.pageRenderer, view));
}
