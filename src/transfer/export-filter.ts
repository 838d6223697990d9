import { isoFromDate, parseIsoTimestampOrDate } from '../model/canonical-timestamp.js';
import { criteriaSql, type TimeBound, type TimelineCriteria } from '../model/timeline-filter.js';

/**
 * Which logs an export reads. Every criterion is optional; together they narrow (AND).
 *
 * @example
 * ```ts
 * const filter: ExportFilter = { since: '2024-01-01', until: '2024-01-31', contentType: 'Invoice' };
 * ```
 */
export interface ExportFilter {
  /** Logs at or after this instant (ISO date-time, or a date meaning its midnight UTC). Defaults to no lower bound. */
  readonly since?: string | Date;
  /** Logs at or before this instant (ISO date-time, or a date meaning that whole day, UTC). Defaults to no upper bound. */
  readonly until?: string | Date;
  /** Only logs about this model name. */
  readonly contentType?: string;
  /** Only logs about this object id (combine with `contentType`). */
  readonly objectId?: string;
  /** Only logs by this user id. */
  readonly user?: string | number;
  /** Only logs with this event verb. */
  readonly event?: string;
  /** Only the logs of this request or job (their correlation id). */
  readonly correlationId?: string;
}

const MS_PER_DAY = 86_400_000;

/**
 * The criteria of an export filter. Date-times are read as files carry them (no offset means
 * UTC, microseconds kept); a bare date means a UTC day: `since` from its midnight, `until`
 * through its end. `user` is compared as text, whatever the user key's type.
 *
 * @throws TypeError when `since` or `until` is not a date, an ISO date-time or a valid Date.
 * @example
 * ```ts
 * exportCriteria({ until: '2024-01-31', user: 3 });
 * // { userId: '3', until: { at: '2024-02-01T00:00:00.000000Z', inclusive: false } }
 * ```
 */
export function exportCriteria(filter: ExportFilter): TimelineCriteria {
  return {
    ...(filter.user === undefined ? {} : { userId: String(filter.user) }),
    ...(filter.contentType === undefined ? {} : { contentType: filter.contentType }),
    ...(filter.objectId === undefined ? {} : { objectId: filter.objectId }),
    ...(filter.event === undefined ? {} : { event: filter.event }),
    ...(filter.correlationId === undefined ? {} : { correlationId: filter.correlationId }),
    ...(filter.since === undefined ? {} : { since: timeBound('since', filter.since) }),
    ...(filter.until === undefined ? {} : { until: timeBound('until', filter.until) }),
  };
}

/**
 * The SQL conditions (and their bound values, numbered from `firstParameter`) selecting the logs
 * of `filter`: {@link exportCriteria} built by `criteriaSql`.
 *
 * @throws TypeError when a filter value is malformed.
 * @example
 * ```ts
 * exportConditions({ event: 'deleted' }); // { conditions: ['"event" = $2'], bind: ['deleted'] }
 * ```
 */
export function exportConditions(filter: ExportFilter, firstParameter = 2): { conditions: string[]; bind: unknown[] } {
  return criteriaSql(exportCriteria(filter), firstParameter);
}

function timeBound(name: 'since' | 'until', value: string | Date): TimeBound {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`filter ${name} must be a valid date (got an invalid Date)`);
    return { at: isoFromDate(value), inclusive: true };
  }
  const parsed = typeof value === 'string' ? parseIsoTimestampOrDate(value) : null;
  if (!parsed?.ok)
    throw new TypeError(
      `filter ${name} must be an ISO 8601 date or date-time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z (got ${JSON.stringify(value)})`,
    );
  if (name === 'until' && parsed.dateOnly) {
    // A bare date's whole day: up to the next midnight (UTC).
    return { at: isoFromDate(new Date(Date.parse(parsed.iso.slice(0, 10)) + MS_PER_DAY)), inclusive: false };
  }
  return { at: parsed.iso, inclusive: true };
}
