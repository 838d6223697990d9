import { Op, literal, type Order, type WhereOptions } from 'sequelize';
import { fromTable, modelColumns, selectInstances, selectsPlainly } from '../model/plain-select.js';
import type { TimelineLogAttributes } from '../model/timeline-attributes.js';
import { criteriaLiterals, criteriaWhere, type TimelineCriteria } from '../model/timeline-filter.js';
import type { TimelineLog } from '../model/timeline-log.js';
import type { CursorKey } from './cursor.js';
import type { TimeWindow } from './time-windows.js';

/** The attribute holding a row's timestamp at full (microsecond) precision, for its cursor. */
export const KEY_TIMESTAMP = 'keysetTimestamp';
const KEY_TIMESTAMP_SQL = `to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Which way a page reads the `(timestamp, id)` order: newest first, or oldest first for `after` and `oldest`. */
export type Direction = 'DESC' | 'ASC';

/** The rows one page query reads: the filters, the keyset bound, the order and how many. */
export interface RowsQuery {
  readonly criteria: TimelineCriteria;
  /** Rows past this cursor (`<` reading newest first, `>` oldest first), or all. */
  readonly after: CursorKey | null;
  readonly direction: Direction;
  readonly limit: number;
  readonly offset?: number;
  /** Only rows in this stretch of `timestamp` (see `pageWindows`). Defaults to all. */
  readonly window?: TimeWindow;
}

/**
 * One page query: a single SELECT of the model's columns and the keyset timestamp, as `findAll`
 * would send it (through `findAll` itself when the app gave the model a default scope or find
 * hooks; a `window` then is not allowed).
 *
 * @example
 * ```ts
 * const rows = await findRows(TimelineLog, { criteria: {}, after: null, direction: 'DESC', limit: 26 });
 * ```
 */
export async function findRows(model: typeof TimelineLog, query: RowsQuery): Promise<TimelineLog[]> {
  const sequelize = model.sequelize;
  if (!sequelize) throw new TypeError('TimelineLog is not set up: call setupTimeline() first');
  const escape = (value: string): string => sequelize.escape(value);
  const keyset = query.after === null ? null : keysetSql(escape, query.direction === 'DESC' ? '<' : '>', query.after);
  if (!selectsPlainly(model)) {
    if (query.window !== undefined) throw new TypeError('a page window needs a model read without findAll');
    return findAllRows(model, query, keyset);
  }
  const queryInterface = sequelize.getQueryInterface();
  const alias = queryInterface.quoteIdentifier(model.name);
  const conditions = criteriaLiterals(query.criteria, alias, escape);
  if (keyset !== null) conditions.push(keyset);
  if (query.window !== undefined) conditions.push(...windowSql(escape, alias, query.window));
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

/** A window's bounds as constants, so PostgreSQL prunes the partitions outside it when planning. */
function windowSql(escape: (value: string) => string, alias: string, window: TimeWindow): string[] {
  const bound = (ms: number): string => `CAST(${escape(new Date(ms).toISOString())} AS timestamptz)`;
  const conditions: string[] = [];
  if (window.from !== null) conditions.push(`${alias}."timestamp" >= ${bound(window.from)}`);
  if (window.to !== null) conditions.push(`${alias}."timestamp" < ${bound(window.to)}`);
  return conditions;
}
