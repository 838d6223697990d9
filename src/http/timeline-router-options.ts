import type { NextFunction, Request, Response } from 'express';

/** A value, or a function of the request giving it. */
export type PerRequest<T> = T | ((req: Request) => T);

/**
 * Options of `timelineRouter`. Either `authorize` or `public: true` is required, so no
 * timeline is ever shown without an explicit decision. The functions receive Express's own
 * `Request`, whose `req.user` is the app's `Express.User` (the package declares it as
 * `@types/passport` does; the app adds its fields to `Express.User`).
 *
 * @example
 * ```ts
 * declare global {
 *   namespace Express {
 *     interface User { id: number; isStaff: boolean; locale: string }
 *   }
 * }
 * timelineRouter({ authorize: (req) => Boolean(req.user?.isStaff), locale: (req) => req.user?.locale ?? 'en' });
 * ```
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

/**
 * Checks the options of `timelineRouter` when the router is made, so a mistake fails at
 * start-up rather than on the first request.
 *
 * @throws TypeError naming the argument, e.g. when neither `authorize` nor `public: true` is given.
 * @example
 * ```ts
 * validateRouterOptions({ public: true });       // returns the options
 * validateRouterOptions({ paginateBy: 0, public: true }); // throws 'argument paginateBy must be a positive integer'
 * ```
 */
export function validateRouterOptions(options: TimelineRouterOptions): TimelineRouterOptions {
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

/**
 * The value of a per-request option for `req`: the function's answer, or the value itself.
 *
 * @example
 * ```ts
 * resolvePerRequest((req) => String(req.get('x-zone')), req); // 'Asia/Tokyo'
 * resolvePerRequest(undefined, req);                          // undefined
 * ```
 */
export function resolvePerRequest<T>(value: PerRequest<T> | undefined, req: Request): T | undefined {
  return typeof value === 'function' ? (value as (req: Request) => T)(req) : value;
}
