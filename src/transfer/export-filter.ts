import { parseIsoTimestampOrDate } from '../model/canonical-timestamp.js';

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
}

/**
 * The SQL conditions (and their bound values, numbered from `firstParameter`) selecting the logs
 * of `filter`.
 *
 * @throws TypeError when a filter value is malformed.
 * @example
 * ```ts
 * exportConditions({ event: 'deleted' }); // { conditions: ['event = $2'], bind: ['deleted'] }
 * ```
 */
export function exportConditions(filter: ExportFilter, firstParameter = 2): { conditions: string[]; bind: unknown[] } {
  const conditions: string[] = [];
  const bind: unknown[] = [];
  const parameter = (value: unknown): string => {
    bind.push(value);
    return `$${firstParameter + bind.length - 1}`;
  };
  if (filter.since !== undefined) conditions.push(boundCondition('>=', filter.since, 'since', parameter));
  if (filter.until !== undefined) conditions.push(boundCondition('<=', filter.until, 'until', parameter));
  if (filter.contentType !== undefined) conditions.push(`content_type = ${parameter(filter.contentType)}`);
  if (filter.objectId !== undefined) conditions.push(`object_id = ${parameter(filter.objectId)}`);
  if (filter.user !== undefined) conditions.push(`user_id::text = ${parameter(String(filter.user))}`);
  if (filter.event !== undefined) conditions.push(`event = ${parameter(filter.event)}`);
  return { conditions, bind };
}

function boundCondition(operator: '>=' | '<=', value: string | Date, name: string, parameter: (value: unknown) => string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`filter ${name} must be a valid date (got an invalid Date)`);
    return `timestamp ${operator} ${parameter(value.toISOString())}::timestamptz`;
  }
  const parsed = typeof value === 'string' ? parseIsoTimestampOrDate(value) : null;
  if (!parsed?.ok) throw new TypeError(`filter ${name} must be an ISO 8601 date or date-time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z (got ${JSON.stringify(value)})`);
  if (parsed.dateOnly) {
    // A bare date: `since` from its midnight, `until` through the whole day (UTC).
    return operator === '>='
      ? `timestamp >= (${parameter(value)}::date::timestamp AT TIME ZONE 'UTC')`
      : `timestamp < ((${parameter(value)}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  }
  return `timestamp ${operator} ${parameter(parsed.iso)}::timestamptz`;
}
