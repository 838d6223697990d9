import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is acting in the current asynchronous context: set by `timelineContext()` for an HTTP
 * request, or by {@link runWithTimelineUser} for a job or a script.
 */
export interface TimelineActor {
  /** The acting user (a user model instance or an object with an id), or null for none. */
  readonly user: unknown;
  /**
   * True when the user is a request's `req.user`: an anonymous or id-less user is then simply
   * no user (like `TimelineLog.logFromRequest`) instead of an error.
   */
  readonly fromRequest: boolean;
}

/**
 * One store per process, like `PaperTrail.request`: the per-request state lives in the async
 * context, never in the store itself, so concurrent requests cannot see each other's user.
 */
const actors = new AsyncLocalStorage<TimelineActor>();

/**
 * Runs `fn` with `user` as the acting user of every change tracked by `withTimeline` inside it
 * (including code it awaits), and returns what `fn` returns. Use it for jobs, scripts and
 * queue consumers; HTTP requests get it from the `timelineContext()` middleware.
 *
 * @param user - a user model instance or an object with an id; `null` for "no user".
 * @example
 * ```ts
 * const imported = await runWithTimelineUser(admin, async () => {
 *   return Post.bulkCreate(rows); // every log names `admin`
 * });
 * ```
 */
export function runWithTimelineUser<T>(user: object | null, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('argument fn must be a function');
  if (user !== null && typeof user !== 'object') {
    throw new TypeError(`argument user must be a user object or null (got ${typeof user})`);
  }
  return actors.run({ user, fromRequest: false }, fn);
}

/**
 * Runs `fn` with the acting user read from `request.user` whenever a change is tracked
 * (so an authentication step that sets `req.user` later is still seen).
 *
 * @internal Used by the `timelineContext()` middleware.
 */
export function runWithRequestUser<T>(request: { readonly user?: unknown }, fn: () => T): T {
  const actor: TimelineActor = {
    get user() {
      return request.user ?? null;
    },
    fromRequest: true,
  };
  return actors.run(actor, fn);
}

/**
 * The acting user of the current async context, or undefined outside
 * {@link runWithTimelineUser} and `timelineContext()`.
 *
 * @example
 * ```ts
 * runWithTimelineUser(ann, () => currentTimelineActor()?.user); // ann
 * ```
 */
export function currentTimelineActor(): TimelineActor | undefined {
  return actors.getStore();
}
