import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { runWithRequestUser } from '../tracking/actor-context.js';

/**
 * Express middleware that makes `req.user` the acting user of every change `withTimeline`
 * tracks while the request is handled. Mount it after your authentication middleware (the user
 * is read when a change is logged, so one that sets `req.user` later is seen too). Each request
 * runs in its own async context, so concurrent requests never see each other's user. An
 * anonymous or missing `req.user` logs no user.
 *
 * @example
 * ```ts
 * app.use(passport.session());
 * app.use(timelineContext());
 * app.post('/posts', async (req, res) => {
 *   await Post.create(req.body); // logged as created by req.user
 *   res.redirect('/');
 * });
 * ```
 */
export function timelineContext(): RequestHandler {
  return function timelineContext(req: Request, _res: Response, next: NextFunction): void {
    runWithRequestUser(req, next);
  };
}
