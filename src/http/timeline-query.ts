import { criteriaWhere, type TimelineCriteria } from '../model/timeline-filter.js';
import type { TimelineLog } from '../model/timeline-log.js';
import type { CursorKey } from './cursor.js';
import { findKeysetRows } from './keyset-rows.js';
import type { PagePosition } from './page-position.js';
import { findRows, KEY_TIMESTAMP } from './page-rows.js';
import { locatePage, type PageInfo, type PageRequest } from './pagination.js';
import { TimelineRequestError } from './timeline-request-error.js';

/** What {@link findTimelinePage} looks for. */
export interface TimelinePageQuery {
  readonly criteria: TimelineCriteria;
  readonly position: PagePosition;
  readonly perPage: number;
}

/** One page of the timeline, newest first, with the positions of its neighbours. */
export interface TimelinePage {
  readonly logs: readonly TimelineLog[];
  /** The key to page newer from (`?after=`), or null when nothing is newer. */
  readonly newer: CursorKey | null;
  /** The key to page older from (`?before=`), or null when nothing is older. */
  readonly older: CursorKey | null;
  /** Where the page sits in numbered mode (`?page=N`); null in keyset mode, which never counts. */
  readonly numbered: PageInfo | null;
}

/**
 * Loads one page of logs with a single query. Keyset positions (`newest`, `before`, `after`, `oldest`)
 * compare `(timestamp, id)` with the cursor and read `perPage + 1` rows along the
 * `(timestamp DESC, id DESC)` indexes, so they cost the same at any depth; only numbered pages
 * count (one `COUNT` with the filters) and skip rows with `OFFSET`, like Django's paginator. On a
 * partitioned table a keyset page reads one partition's stretch at a time (see `findKeysetRows`):
 * one query when the stretch fills the page, more when it is short.
 *
 * The logs are `TimelineLog` instances as `findAll` builds them; unless the app gave the model a
 * default scope or find hooks, the query is sent without `findAll`'s option processing.
 *
 * @throws TimelineRequestError 404 for a numbered page out of range.
 * @example
 * ```ts
 * const page = await findTimelinePage(TimelineLog, { criteria: { userId: '3' }, position: { kind: 'newest' }, perPage: 25 });
 * page.older; // { timestamp: '2016-07-01T09:08:00.000000Z', id: '1234' } or null
 * ```
 */
export async function findTimelinePage(model: typeof TimelineLog, query: TimelinePageQuery): Promise<TimelinePage> {
  const { criteria, position, perPage } = query;
  switch (position.kind) {
    case 'numbered':
      return findNumberedPage(model, criteria, position.page, perPage);
    case 'oldest':
    case 'after': {
      const after = position.kind === 'after' ? position.cursor : null;
      const rows = await findKeysetRows(model, { criteria, after, direction: 'ASC', limit: perPage + 1 });
      const logs = rows.slice(0, perPage).reverse();
      // An `after` cursor was taken from a row shown on an older page, so that page still exists.
      const older = position.kind === 'after' ? keyOf(logs.at(-1)) : null;
      return { logs, newer: rows.length > perPage ? keyOf(logs[0]) : null, older, numbered: null };
    }
    case 'before':
    case 'newest': {
      const after = position.kind === 'before' ? position.cursor : null;
      const rows = await findKeysetRows(model, { criteria, after, direction: 'DESC', limit: perPage + 1 });
      const logs = rows.slice(0, perPage);
      // A `before` cursor was taken from a row shown on a newer page, so that page still exists.
      const newer = position.kind === 'before' ? keyOf(logs[0]) : null;
      return { logs, newer, older: rows.length > perPage ? keyOf(logs.at(-1)) : null, numbered: null };
    }
  }
}

async function findNumberedPage(
  model: typeof TimelineLog,
  criteria: TimelineCriteria,
  page: PageRequest,
  perPage: number,
): Promise<TimelinePage> {
  const info = locatePage(page, await model.count({ where: criteriaWhere(criteria) }), perPage);
  if (info === null) throw TimelineRequestError.pageNotFound();
  const logs = await findRows(model, { criteria, after: null, direction: 'DESC', limit: info.limit, offset: info.offset });
  return {
    logs,
    newer: info.hasPrevious ? keyOf(logs[0]) : null,
    older: info.hasNext ? keyOf(logs.at(-1)) : null,
    numbered: info,
  };
}

function keyOf(log: TimelineLog | undefined): CursorKey | null {
  if (log === undefined) return null;
  return { timestamp: String(log.get(KEY_TIMESTAMP)), id: String(log.id) };
}
