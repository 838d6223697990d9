/**
 * `req.user` on Express's `Request`, typed as `Express.User`: the user an app's authentication
 * sets and timeline-logger reads (`logFromRequest`, `timelineContext`, the router's `authorize`,
 * `onForbidden`, `locale` and `timeZone` functions). Express's own types leave it to the
 * authentication library; this is the same declaration as `@types/passport`'s, so the two merge
 * when both are installed. Loaded by the package's entry, so importing anything from
 * `timeline-logger` brings it.
 *
 * An app describes its user by adding fields to `Express.User` (not by redeclaring
 * `Request.user`, which would clash with this declaration and passport's):
 *
 * @example
 * ```ts
 * declare global {
 *   namespace Express {
 *     interface User {
 *       id: number;
 *       isStaff: boolean;
 *     }
 *   }
 * }
 * export {};
 *
 * timelineRouter({ authorize: (req) => Boolean(req.user?.isStaff) });
 * ```
 */
declare global {
  // A global augmentation can only be written as a namespace: Express's types declare these
  // interfaces in the global `Express` namespace for apps and libraries to merge into.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** The signed-in user as the app describes it (empty until the app adds its fields). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User {}

    interface Request {
      /** The signed-in user set by the app's authentication, or undefined for an anonymous request. */
      user?: User | undefined;
    }
  }
}

export {};
