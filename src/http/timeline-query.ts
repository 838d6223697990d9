import { Op, literal, type Order, type WhereOptions } from 'sequelize';
import { fromTable, modelColumns, selectInstances, selectsPlainly } from '../model/plain-select.js';
import type { TimelineLogAttributes } from '../model/timeline-attributes.js';
import { criteriaLiterals, criteriaWhere, type TimelineCriteria } from '../model/timeline-filter.js';
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
const KEY_TIMESTAMP_SQL = `to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Which way a page reads the `(timestamp, id)` order: newest first, or oldest first for `after` and `oldest`. */
type Direction = 'DESC' | 'ASC';

/** The rows one page query reads: the filters, the keyset bound, the order and how many. */
interface RowsQuery {
  readonly criteria: TimelineCriteria;
  /** Rows past this cursor (`<` reading newest first, `>` oldest first), or all. */
  readonly after: CursorKey | null;
  readonly direction: Direction;
  readonly limit: number;
  readonly offset?: number;
}

/**
 * Loads one page of logs with a single query. Keyset positions (`newest`, `before`, `after`, `oldest`)
 * compare `(timestamp, id)` with the cursor and read `perPage + 1` rows along the
 * `(timestamp DESC, id DESC)` indexes, so they cost the same at any depth; only numbered pages
 * count (one `COUNT` with the filters) and skip rows with `OFFSET`, like Django's paginator.
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
      const rows = await findRows(model, { criteria, after, direction: 'ASC', limit: perPage + 1 });
      const logs = rows.slice(0, perPage).reverse();
      // An `after` cursor was taken from a row shown on an older page, so that page still exists.
      const older = position.kind === 'after' ? keyOf(logs.at(-1)) : null;
      return { logs, newer: rows.length > perPage ? keyOf(logs[0]) : null, older, numbered: null };
    }
    case 'before':
    case 'newest': {
      const after = position.kind === 'before' ? position.cursor : null;
      const rows = await findRows(model, { criteria, after, direction: 'DESC', limit: perPage + 1 });
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

/** The page's rows: one SELECT of the model's columns and the keyset timestamp, as `findAll` would send it. */
async function findRows(model: typeof TimelineLog, query: RowsQuery): Promise<TimelineLog[]> {
  const sequelize = model.sequelize;
  if (!sequelize) throw new TypeError('TimelineLog is not set up: call setupTimeline() first');
  const keyset =
    query.after === null ? null : keysetSql(sequelize.escape.bind(sequelize), query.direction === 'DESC' ? '<' : '>', query.after);
  if (!selectsPlainly(model)) return findAllRows(model, query, keyset);
  const queryInterface = sequelize.getQueryInterface();
  const alias = queryInterface.quoteIdentifier(model.name);
  const conditions = criteriaLiterals(query.criteria, alias, (value) => sequelize.escape(value));
  if (keyset !== null) conditions.push(keyset);
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const order = `${alias}."timestamp" ${query.direction}, ${alias}."id" ${query.direction}`;
  const range = `LIMIT ${query.limit}${query.offset ? ` OFFSET ${query.offset}` : ''}`;
  const sql = `SELECT ${modelColumns(model).sql}, ${KEY_TIMESTAMP_SQL} AS "${KEY_TIMESTAMP}" FROM ${fromTable(model)}${where} ORDER BY ${order} ${range};`;
  return selectInstances(model, sql, [KEY_TIMESTAMP]);
}

/** The same rows through `findAll`, for a model whose default scope or hooks must apply. */
async function findAllRows(model: typeof TimelineLog, query: RowsQuery, keyset: string | null): Promise<TimelineLog[]> {
  const where: WhereOptions<TimelineLogAttributes> = criteriaWhere(query.criteria);
  const order: Order = [
    ['timestamp', query.direction],
    ['id', query.direction],
  ];
  return model.findAll({
    attributes: { include: [[literal(KEY_TIMESTAMP_SQL), KEY_TIMESTAMP]] },
    where: keyset === null ? where : { [Op.and]: [where, literal(keyset)] },
    order,
    limit: query.limit,
    ...(query.offset ? { offset: query.offset } : {}),
  });
}

/**
 * `("timestamp", "id") < (cursor)`: a row comparison PostgreSQL answers with an index range scan
 * on `(timestamp DESC, id DESC)` (and on the object and user indexes after their equality columns).
 * The plain `"timestamp" <= cursor` beside it says the same of the rows it keeps, and lets
 * PostgreSQL skip the partitions of a partitioned table that lie wholly past the cursor (a row
 * comparison does not prune partitions).
 */
function keysetSql(escape: (value: string) => string, operator: '<' | '>', cursor: CursorKey): string {
  const timestamp = `${escape(cursor.timestamp)}::timestamptz`;
  return `("timestamp", "id") ${operator} (${timestamp}, ${escape(cursor.id)}::bigint) AND "timestamp" ${operator}= ${timestamp}`;
}

function keyOf(log: TimelineLog | undefined): CursorKey | null {
  if (log === undefined) return null;
  return { timestamp: String(log.get(KEY_TIMESTAMP)), id: String(log.id) };
}
