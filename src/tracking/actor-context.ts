import { AsyncLocalStorage } from 'node:async_hooks';
import { checkCorrelationId, newCorrelationId } from '../model/correlation-id.js';

/**
 * Who is acting in the current asynchronous context, and which request or job it belongs to:
 * set by `timelineContext()` for an HTTP request, or by {@link runWithTimelineUser} /
 * {@link runWithTimelineContext} for a job or a script.
 */
export interface TimelineActor {
  /** The acting user (a user model instance or an object with an id), or null for none. */
  readonly user: unknown;
  /**
   * True when the user is a request's `req.user`: an anonymous or id-less user is then simply
   * no user (like `TimelineLog.logFromRequest`) instead of an error.
   */
  readonly fromRequest: boolean;
  /** The correlation id every log written in this context stores (SPEC §12). */
  readonly correlationId: string;
}

/** What {@link runWithTimelineContext} sets. */
export interface TimelineContextValues {
  /** The acting user: a user model instance or an object with an id. Defaults to none. */
  readonly user?: object | null;
  /**
   * The correlation id of every log written inside: 1-64 characters of `A-Za-z0-9._:-` (e.g. a
   * job id, or the `X-Request-Id` of the request that queued the job). Defaults to a new UUID.
   */
  readonly correlationId?: string;
}

/**
 * One store per process, like `PaperTrail.request`: the per-request state lives in the async
 * context, never in the store itself, so concurrent requests cannot see each other's user or id.
 */
const actors = new AsyncLocalStorage<TimelineActor>();

/**
 * Runs `fn` with `user` as the acting user of every change tracked by `withTimeline` inside it
 * (including code it awaits), and returns what `fn` returns. Use it for jobs, scripts and
 * queue consumers; HTTP requests get it from the `timelineContext()` middleware. Each run gets a
 * new correlation id (a UUID), so the logs of one run are grouped together.
 *
 * @param user - a user model instance or an object with an id; `null` for "no user".
 * @example
 * ```ts
 * const imported = await runWithTimelineUser(admin, async () => {
 *   return Post.bulkCreate(rows); // every log names `admin` and shares one correlation id
 * });
 * ```
 */
export function runWithTimelineUser<T>(user: object | null, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('argument fn must be a function');
  checkUser(user);
  return actors.run({ user, fromRequest: false, correlationId: newCorrelationId() }, fn);
}

/**
 * Runs `fn` with the acting user and the correlation id of every log written inside it (by
 * `TimelineLog.log`, `logFromRequest` and `withTimeline`, including code it awaits), and returns
 * what `fn` returns. Nothing is inherited from an enclosing context: a user left out is no user,
 * a correlation id left out is a new UUID.
 *
 * @throws TypeError when `correlationId` is not 1-64 characters of `A-Za-z0-9._:-`, or `user` is not an object or null.
 * @example
 * ```ts
 * // A queue consumer continuing the request that queued the job:
 * await runWithTimelineContext({ user: admin, correlationId: job.data.requestId }, () => sendInvoices(job));
 * ```
 */
export function runWithTimelineContext<T>(values: TimelineContextValues, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('argument fn must be a function');
  if (values === null || typeof values !== 'object') throw new TypeError('argument values must be an object of { user?, correlationId? }');
  const user = values.user ?? null;
  checkUser(user);
  const correlationId = values.correlationId === undefined ? newCorrelationId() : checkCorrelationId(values.correlationId, 'correlationId');
  return actors.run({ user, fromRequest: false, correlationId }, fn);
}

/**
 * Runs `fn` with the acting user read from `request.user` whenever a change is tracked
 * (so an authentication step that sets `req.user` later is still seen), and `correlationId`.
 *
 * @internal Used by the `timelineContext()` middleware.
 */
export function runWithRequestUser<T>(request: { readonly user?: unknown }, correlationId: string, fn: () => T): T {
  const actor: TimelineActor = {
    get user() {
      return request.user ?? null;
    },
    fromRequest: true,
    correlationId,
  };
  return actors.run(actor, fn);
}

/**
 * The acting user and correlation id of the current async context, or undefined outside
 * {@link runWithTimelineUser}, {@link runWithTimelineContext} and `timelineContext()`.
 *
 * @example
 * ```ts
 * runWithTimelineUser(ann, () => currentTimelineActor()?.user); // ann
 * ```
 */
export function currentTimelineActor(): TimelineActor | undefined {
  return actors.getStore();
}

/**
 * The correlation id of the current request or job (`timelineContext()`,
 * {@link runWithTimelineUser}, {@link runWithTimelineContext}), or null outside them. Handy for
 * putting the same id in the app's own logs.
 *
 * @example
 * ```ts
 * app.use(timelineContext());
 * app.use((req, _res, next) => {
 *   req.log = logger.child({ requestId: currentCorrelationId() });
 *   next();
 * });
 * ```
 */
export function currentCorrelationId(): string | null {
  return actors.getStore()?.correlationId ?? null;
}

function checkUser(user: unknown): void {
  if (user !== null && typeof user !== 'object') {
    throw new TypeError(`argument user must be a user object or null (got ${typeof user})`);
  }
}
