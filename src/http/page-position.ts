import { decodeCursor, type CursorKey } from './cursor.js';
import { singleValue } from './filters.js';
import { parsePageParam, type PageRequest } from './pagination.js';
import { TimelineRequestError } from './timeline-request-error.js';

/**
 * Which page of the timeline a request asks for:
 * - `newest`: the first page, by keyset (no parameter);
 * - `before` / `after`: the page older / newer than a cursor (`?before=`, `?after=`), by keyset;
 * - `oldest`: the last page, by keyset (`?after=start`: newer than the very start);
 * - `numbered`: `?page=N` or `?page=last`, counted and offset like Django's paginator.
 */
export type PagePosition =
  | { readonly kind: 'newest' }
  | { readonly kind: 'before'; readonly cursor: CursorKey }
  | { readonly kind: 'after'; readonly cursor: CursorKey }
  | { readonly kind: 'oldest' }
  | { readonly kind: 'numbered'; readonly page: PageRequest };

/** The `after` value that asks for the oldest entries: the page just after the very start. */
export const OLDEST_TOKEN = 'start';

/**
 * Reads `page`, `before` and `after` from a parsed query string.
 *
 * @param secret The key cursors were signed with.
 * @throws TimelineRequestError 404 for a page that is not a positive number or `last`; 400 for
 *   a malformed or altered cursor, or for combining these parameters.
 * @example
 * ```ts
 * parsePagePosition({ page: 'last' }, secret); // { kind: 'numbered', page: 'last' }
 * parsePagePosition({}, secret);               // { kind: 'newest' }
 * ```
 */
export function parsePagePosition(query: Readonly<Record<string, unknown>>, secret: string): PagePosition {
  const before = cursorParam(query, 'before', secret);
  const after = cursorParam(query, 'after', secret);
  if (before && after) throw TimelineRequestError.conflictingParameters('after', 'before');
  if (query.page !== undefined) {
    if (before || after) throw TimelineRequestError.conflictingParameters('page', before ? 'before' : 'after');
    const page = parsePageParam(query.page);
    if (page === null) throw TimelineRequestError.pageNotFound();
    return { kind: 'numbered', page };
  }
  if (before) return { kind: 'before', cursor: before as CursorKey };
  if (after === OLDEST_TOKEN) return { kind: 'oldest' };
  if (after) return { kind: 'after', cursor: after };
  return { kind: 'newest' };
}

function cursorParam(query: Readonly<Record<string, unknown>>, name: 'before' | 'after', secret: string): CursorKey | 'start' | null {
  const token = singleValue(query, name);
  if (token === undefined) return null;
  if (name === 'after' && token === OLDEST_TOKEN) return OLDEST_TOKEN;
  const cursor = decodeCursor(token, secret);
  if (cursor === null) throw TimelineRequestError.invalidCursor(name);
  return cursor;
}
