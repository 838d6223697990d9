import { Model } from 'sequelize';
import { describeValue } from '../errors.js';
import type { ResolvedTimelineOptions } from '../options.js';

/** The user columns of a log: the key and the label snapshot. */
export interface ActorColumns {
  readonly userId: string | number | null;
  readonly userRepr: string | null;
}

const NO_ACTOR: ActorColumns = Object.freeze({ userId: null, userRepr: null });

/**
 * The user columns for `user`: an instance of the user model, or any object with an id.
 * `null`/`undefined` means no user.
 *
 * @throws TypeError when `user` is something else (a string, an object without an id).
 */
export function actorColumns(user: unknown, options: ResolvedTimelineOptions): ActorColumns {
  if (user === null || user === undefined) return NO_ACTOR;
  const id = userKey(user, options);
  if (id === null) {
    throw new TypeError(`user must be an instance of the user model or an object with an id (got ${describeValue(user)})`);
  }
  return { userId: id, userRepr: options.userLabel(user) };
}

/**
 * The user columns for a request's `req.user`: like {@link actorColumns}, but an anonymous or
 * missing user (no id) is simply no user, never an error.
 */
export function requestActorColumns(user: unknown, options: ResolvedTimelineOptions): ActorColumns {
  if (user === null || typeof user !== 'object' || userKey(user, options) === null) return NO_ACTOR;
  return actorColumns(user, options);
}

function userKey(user: unknown, options: ResolvedTimelineOptions): string | number | null {
  if (typeof user !== 'object' || user === null) return null;
  const pk = options.userModel?.primaryKeyAttribute ?? 'id';
  const value = user instanceof Model ? user.get(pk) : ((user as Record<string, unknown>)[pk] ?? (user as Record<string, unknown>).id);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return value.toString();
  return null;
}
