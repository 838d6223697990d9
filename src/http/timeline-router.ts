import { Router, type NextFunction, type Request, type Response } from 'express';
import { TimelineLog } from '../model/timeline-log.js';
import { timelinePageHandler } from './timeline-page-handler.js';
import { requestLocale } from './timeline-request.js';
import { sendForbidden } from './timeline-responses.js';
import { timelineRouterContext } from './timeline-router-context.js';
import { validateRouterOptions, type TimelineRouterOptions } from './timeline-router-options.js';

export type { PerRequest, TimelineRouterOptions } from './timeline-router-options.js';

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
 * A malformed filter or cursor is 400 with a message naming the parameter. The setup
 * (`setupTimeline`) is read once, here: it must have run before the router is made.
 *
 * @throws TypeError when neither `authorize` nor `public: true` is given.
 * @throws ConfigurationError when `setupTimeline` has not run.
 * @example
 * ```ts
 * app.use('/timeline', timelineRouter({
 *   authorize: (req) => Boolean(req.user?.isStaff),
 *   onForbidden: (req, res) => res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`),
 * }));
 * ```
 */
export function timelineRouter(options: TimelineRouterOptions): Router {
  const settings = validateRouterOptions(options);
  const context = timelineRouterContext(settings, TimelineLog.runtime);
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
    sendForbidden(res, requestLocale(req, context));
  });

  const page = timelinePageHandler(context);
  router.get('/', page);
  router.get('/:contentType/:objectId', page);

  return router;
}
