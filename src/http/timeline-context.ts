import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { correlationIdFromHeader } from '../model/correlation-id.js';
import { runWithRequestUser } from '../tracking/actor-context.js';

/** The header a request's correlation id is read from and echoed in. */
const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Express middleware that makes `req.user` the acting user of every change `withTimeline`
 * tracks while the request is handled, and gives the request a correlation id that every log it
 * writes stores (SPEC §12). Mount it after your authentication middleware (the user is read when
 * a change is logged, so one that sets `req.user` later is seen too). Each request runs in its
 * own async context, so concurrent requests never see each other's user or id. An anonymous or
 * missing `req.user` logs no user.
 *
 * The correlation id is the request's `X-Request-Id` header when it is 1-64 characters of
 * `A-Za-z0-9._:-` (as a proxy or load balancer sets it), else a new UUID: a malformed header is
 * never stored. The id is echoed in the response's `X-Request-Id` header unless the app already
 * set one, so a client or a log line can be matched with the timeline's
 * `?correlationId=` filter.
 *
 * @example
 * ```ts
 * app.use(passport.session());
 * app.use(timelineContext());
 * app.post('/posts', async (req, res) => {
 *   await Post.create(req.body); // logged as created by req.user, with the request's id
 *   res.redirect('/');
 * });
 * ```
 */
export function timelineContext(): RequestHandler {
  return function timelineContext(req: Request, res: Response, next: NextFunction): void {
    const correlationId = correlationIdFromHeader(req.headers['x-request-id']);
    if (!res.headersSent && !res.hasHeader(REQUEST_ID_HEADER)) res.setHeader(REQUEST_ID_HEADER, correlationId);
    runWithRequestUser(req, correlationId, next);
  };
}
