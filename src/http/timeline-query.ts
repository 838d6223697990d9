import { Op, literal, type Order, type WhereOptions } from 'sequelize';
import type { TimelineLogAttributes } from '../model/timeline-attributes.js';
import { criteriaWhere, type TimelineCriteria } from '../model/timeline-filter.js';
import type { TimelineLog } from '../model/timeline-log.js';
import type { CursorKey } from './cursor.js';
import type { PagePosition } from './page-position.js';
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

/** The attribute holding a row's timestamp at full (microsecond) precision, for its cursor. */
const KEY_TIMESTAMP = 'keysetTimestamp';
const NEWEST_FIRST: Order = [
  ['timestamp', 'DESC'],
  ['id', 'DESC'],
];
const OLDEST_FIRST: Order = [
  ['timestamp', 'ASC'],
  ['id', 'ASC'],
];

/**
 * Loads one page of logs with a single query. Keyset positions (`newest`, `before`, `after`, `oldest`)
 * compare `(timestamp, id)` with the cursor and read `perPage + 1` rows along the
 * `(timestamp DESC, id DESC)` indexes, so they cost the same at any depth; only numbered pages
 * count (one `COUNT` with the filters) and skip rows with `OFFSET`, like Django's paginator.
 *
 * @throws TimelineRequestError 404 for a numbered page out of range.
 * @example
 * ```ts
 * const page = await findTimelinePage(TimelineLog, { criteria: { userId: '3' }, position: { kind: 'newest' }, perPage: 25 });
 * page.older; // { timestamp: '2016-07-01T09:08:00.000000Z', id: '1234' } or null
 * ```
 */
export async function findTimelinePage(model: typeof TimelineLog, query: TimelinePageQuery): Promise<TimelinePage> {
  const where = criteriaWhere(query.criteria);
  const { position, perPage } = query;
  switch (position.kind) {
    case 'numbered':
      return findNumberedPage(model, where, position.page, perPage);
    case 'oldest':
    case 'after': {
      const conditions = position.kind === 'after' ? [where, keysetCondition(model, '>', position.cursor)] : [where];
      const rows = await findRows(model, conditions, OLDEST_FIRST, perPage + 1);
      const logs = rows.slice(0, perPage).reverse();
      // An `after` cursor was taken from a row shown on an older page, so that page still exists.
      const older = position.kind === 'after' ? keyOf(logs.at(-1)) : null;
      return { logs, newer: rows.length > perPage ? keyOf(logs[0]) : null, older, numbered: null };
    }
    case 'before':
    case 'newest': {
      const conditions = position.kind === 'before' ? [where, keysetCondition(model, '<', position.cursor)] : [where];
      const rows = await findRows(model, conditions, NEWEST_FIRST, perPage + 1);
      const logs = rows.slice(0, perPage);
      // A `before` cursor was taken from a row shown on a newer page, so that page still exists.
      const newer = position.kind === 'before' ? keyOf(logs[0]) : null;
      return { logs, newer, older: rows.length > perPage ? keyOf(logs.at(-1)) : null, numbered: null };
    }
  }
}

async function findNumberedPage(
  model: typeof TimelineLog,
  where: WhereOptions<TimelineLogAttributes>,
  page: PageRequest,
  perPage: number,
): Promise<TimelinePage> {
  const info = locatePage(page, await model.count({ where }), perPage);
  if (info === null) throw TimelineRequestError.pageNotFound();
  const logs = await findRows(model, [where], NEWEST_FIRST, info.limit, info.offset);
  return {
    logs,
    newer: info.hasPrevious ? keyOf(logs[0]) : null,
    older: info.hasNext ? keyOf(logs.at(-1)) : null,
    numbered: info,
  };
}

async function findRows(
  model: typeof TimelineLog,
  conditions: WhereOptions<TimelineLogAttributes>[],
  order: Order,
  limit: number,
  offset?: number,
): Promise<TimelineLog[]> {
  return model.findAll({
    attributes: { include: [[literal(`to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`), KEY_TIMESTAMP]] },
    where: conditions.length === 1 ? (conditions[0] as WhereOptions<TimelineLogAttributes>) : { [Op.and]: conditions },
    order,
    limit,
    ...(offset ? { offset } : {}),
  });
}

/**
 * `("timestamp", "id") < (cursor)`: a row comparison PostgreSQL answers with an index range scan
 * on `(timestamp DESC, id DESC)` (and on the object and user indexes after their equality columns).
 */
function keysetCondition(model: typeof TimelineLog, operator: '<' | '>', cursor: CursorKey): WhereOptions<TimelineLogAttributes> {
  const sequelize = model.sequelize;
  if (!sequelize) throw new TypeError('TimelineLog is not set up: call setupTimeline() first');
  const timestamp = sequelize.escape(cursor.timestamp);
  const id = sequelize.escape(cursor.id);
  return literal(`("timestamp", "id") ${operator} (${timestamp}::timestamptz, ${id}::bigint)`);
}

function keyOf(log: TimelineLog | undefined): CursorKey | null {
  if (log === undefined) return null;
  return { timestamp: String(log.get(KEY_TIMESTAMP)), id: String(log.id) };
}
