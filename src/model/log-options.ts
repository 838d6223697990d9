import type { Transaction } from 'sequelize';

/** Options of {@link TimelineLog.log}. */
export interface LogOptions {
  /** The acting user: an instance of the user model or an object with an id. Defaults to none. */
  user?: object | null;
  /** Message template. Defaults to the setup's `defaultTemplate` (`timeline_logger/default.ejs`). */
  template?: string;
  /**
   * Context stored as JSONB: any JSON-serialisable value (usually an object; lists, strings,
   * numbers and booleans too). Missing, `null` or an empty object is stored as null.
   */
  extraData?: unknown;
  /** The verb (`created`, `updated`, `deleted` or the app's own). Defaults to null. */
  event?: string | null;
  /** When it happened. Defaults to the setup's clock (now). */
  timestamp?: Date;
  /** Write inside this transaction. */
  transaction?: Transaction | null;
  /**
   * The request or job the log belongs to (SPEC §12): 1-64 characters of `A-Za-z0-9._:-`, or
   * null for none. Defaults to the id of the current context (`timelineContext()`,
   * `runWithTimelineUser`, `runWithTimelineContext`), else none.
   */
  correlationId?: string | null;
}

/** Options of {@link TimelineLog.logFromRequest}: the user comes from `req.user`. */
export type RequestLogOptions = Omit<LogOptions, 'user'>;

/**
 * The part of an HTTP request `logFromRequest` reads: its `user`, whatever its type (a user
 * with an id is the user; a missing or anonymous one logs no user). Express's `Request` fits as
 * it is, since the package declares `req.user` on it (as `Express.User`, the way
 * `@types/passport` does); so does any other object with a `user` property. An object with
 * other properties but no `user` is a type error (it could never name a user).
 *
 * @example
 * ```ts
 * app.post('/posts', async (req, res) => {
 *   const post = await Post.create({ title: String(req.body.title) });
 *   await TimelineLog.logFromRequest(req, post);
 *   res.redirect('/');
 * });
 * await TimelineLog.logFromRequest({ user: job.requestedBy }, report);
 * ```
 */
export interface RequestWithUser {
  readonly user?: unknown;
}
