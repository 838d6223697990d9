/**
 * Which logs a filter selects, and the one place that turns it into a query: Sequelize options
 * for the digest and the page's fallback to `findAll` ({@link criteriaWhere}), SQL conditions with
 * literal values for the timeline page and its JSON ({@link criteriaLiterals}), and with bind
 * values for export and its count ({@link criteriaSql}). All are built from the same list of
 * comparisons, so they select the same rows.
 *
 * @module
 */
import { Op, cast, type WhereOptions } from 'sequelize';
import type { TimelineLogAttributes } from './timeline-attributes.js';
import { timelineColumn, type TimelineColumn } from './timeline-columns.js';

/** A bound on `timestamp`. */
export interface TimeBound {
  /** The instant, as canonical text with microseconds (`2016-07-01T09:08:12.345678Z`; see `canonical-timestamp.ts`). */
  readonly at: string;
  /** Whether a log exactly `at` is included. */
  readonly inclusive: boolean;
}

/**
 * What a filter selects. Every criterion is optional; together they narrow (AND). Values are
 * checked by whoever builds the criteria (the page's filters, export's filter).
 *
 * @example
 * ```ts
 * const criteria: TimelineCriteria = { contentType: 'Post', since: { at: '2016-07-01T00:00:00.000000Z', inclusive: true } };
 * ```
 */
export interface TimelineCriteria {
  /**
   * Logs by this user: the key as PostgreSQL prints it (`'3'`, a lower-case UUID; see
   * `canonicalKey`). The SQL conditions compare it with `user_id::text`, the Sequelize where
   * with the typed column; for such text the two agree.
   */
  readonly userId?: string;
  readonly contentType?: string;
  readonly objectId?: string;
  readonly event?: string;
  /** The logs of one request or job (SPEC §12); read along the `(correlation_id, timestamp DESC, id DESC)` index. */
  readonly correlationId?: string;
  /** Logs after (or at, when inclusive) this instant. */
  readonly since?: TimeBound;
  /** Logs before (or at, when inclusive) this instant. */
  readonly until?: TimeBound;
}

/** SQL conditions to join with `AND`, and the values of their `$n` parameters in order. */
export interface SqlConditions {
  readonly conditions: string[];
  readonly bind: string[];
}

type Operator = '=' | '>=' | '>' | '<=' | '<';

/** One column compared with one value: what both emitters are built from. */
interface Comparison {
  readonly column: TimelineColumn;
  readonly operator: Operator;
  readonly value: string;
}

const SEQUELIZE_RANGE = { '>=': Op.gte, '>': Op.gt, '<=': Op.lte, '<': Op.lt } as const;

/**
 * The Sequelize `where` of `criteria`. Bounds on `timestamp` are ranges (so the indexes still
 * apply) on values cast in SQL, which keeps their microseconds; the user key is compared as its
 * column's type, so `userId` must fit it (the page's filters check that).
 *
 * @example
 * ```ts
 * criteriaWhere({ contentType: 'Post', objectId: '12' }); // { contentType: 'Post', objectId: '12' }
 * await TimelineLog.findAll({ where: criteriaWhere({ event: 'deleted' }) });
 * ```
 */
export function criteriaWhere(criteria: TimelineCriteria): WhereOptions<TimelineLogAttributes> {
  const where: Record<string, unknown> = {};
  const timestamp: Record<symbol, unknown> = {};
  for (const { column, operator, value } of comparisonsOf(criteria)) {
    if (operator === '=') where[column.attribute] = value;
    else timestamp[SEQUELIZE_RANGE[operator]] = cast(value, 'timestamptz');
  }
  if (Object.getOwnPropertySymbols(timestamp).length > 0) where[timelineColumn('timestamp').attribute] = timestamp;
  return where;
}

/**
 * The SQL conditions of `criteria` on the timeline table's columns, with their values bound as
 * parameters numbered from `firstParameter`. The user key is compared as text (`user_id::text`),
 * so any `userId` is safe to send whatever the key's type.
 *
 * @example
 * ```ts
 * criteriaSql({ event: 'deleted', since: { at: '2024-01-01T00:00:00.000000Z', inclusive: true } }, 2);
 * // { conditions: ['"event" = $2', '"timestamp" >= $3::timestamptz'], bind: ['deleted', '2024-01-01T00:00:00.000000Z'] }
 * ```
 */
export function criteriaSql(criteria: TimelineCriteria, firstParameter = 1): SqlConditions {
  const bind: string[] = [];
  const conditions = comparisonsOf(criteria).map(({ column, operator, value }) => {
    bind.push(value);
    const parameter = `$${firstParameter + bind.length - 1}`;
    switch (column.kind) {
      case 'timestamp':
        return `"${column.field}" ${operator} ${parameter}::timestamptz`;
      case 'userKey':
        return `"${column.field}"::text ${operator} ${parameter}`;
      default:
        return `"${column.field}" ${operator} ${parameter}`;
    }
  });
  return { conditions, bind };
}

/**
 * The SQL conditions of `criteria` with their values written as literals by `escape` (Sequelize's
 * `sequelize.escape`), on the columns of the table aliased `alias`: what {@link criteriaWhere}
 * becomes when Sequelize writes it. Columns are compared as their own types, so the indexes
 * apply; the user key must fit its column, as for `criteriaWhere`.
 *
 * @example
 * ```ts
 * criteriaLiterals({ event: 'deleted', since: { at: '2024-01-01T00:00:00.000000Z', inclusive: true } }, '"TimelineLog"', sequelize.escape.bind(sequelize));
 * // ['"TimelineLog"."event" = \'deleted\'', '"TimelineLog"."timestamp" >= CAST(\'2024-01-01T00:00:00.000000Z\' AS timestamptz)']
 * ```
 */
export function criteriaLiterals(criteria: TimelineCriteria, alias: string, escape: (value: string) => string): string[] {
  return comparisonsOf(criteria).map(({ column, operator, value }) => {
    const left = `${alias}."${column.field}"`;
    return column.kind === 'timestamp'
      ? `${left} ${operator} CAST(${escape(value)} AS timestamptz)`
      : `${left} ${operator} ${escape(value)}`;
  });
}

function comparisonsOf(criteria: TimelineCriteria): Comparison[] {
  const comparisons: Comparison[] = [];
  const equal = (attribute: string, value: string | undefined): void => {
    if (value !== undefined) comparisons.push({ column: timelineColumn(attribute), operator: '=', value });
  };
  equal('userId', criteria.userId);
  equal('contentType', criteria.contentType);
  equal('objectId', criteria.objectId);
  equal('event', criteria.event);
  equal('correlationId', criteria.correlationId);
  if (criteria.since)
    comparisons.push({ column: timelineColumn('timestamp'), operator: criteria.since.inclusive ? '>=' : '>', value: criteria.since.at });
  if (criteria.until)
    comparisons.push({ column: timelineColumn('timestamp'), operator: criteria.until.inclusive ? '<=' : '<', value: criteria.until.at });
  return comparisons;
}
