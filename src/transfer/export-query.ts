import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { parseIsoTimestamp } from './iso-timestamp.js';
import type { TimelineTable } from './timeline-table.js';

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

/** An exported row, by column name: timestamps as canonical ISO text, `extra_data` as JSON. */
export type ExportRow = Record<string, unknown>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The SELECT list for export, in a transaction whose TimeZone is UTC (see readExportChunks). */
const FAST_SELECT_LIST = `id::text AS id, content_type, object_id, object_repr, timestamp::text AS timestamp,
  user_id AS "user", user_repr, template, event, extra_data`;

/** The SELECT list: the resource's columns, with the timestamp as text at full precision in any session time zone. */
const SELECT_LIST = `id::text AS id, content_type, object_id, object_repr,
  to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp,
  user_id AS "user", user_repr, template, event, extra_data`;

/**
 * Reads the logs matching `filter` in id order, `chunkSize` rows per query, by keyset
 * (`id > last`), so every chunk costs the same at any depth and memory stays flat. All chunks
 * come from one read-only REPEATABLE READ transaction (a consistent snapshot while the app
 * keeps writing), and the next chunk is already being fetched while the caller handles one.
 *
 * @throws TypeError when a filter value is malformed.
 * @example
 * ```ts
 * for await (const chunk of readExportChunks(sequelize, table, { event: 'deleted' }, 5000)) console.log(chunk.length);
 * ```
 */
export async function* readExportChunks(sequelize: Sequelize, table: TimelineTable, filter: ExportFilter, chunkSize: number): AsyncGenerator<ExportRow[]> {
  const { conditions, bind } = exportConditions(filter);
  const where = conditions.map((condition) => ` AND ${condition}`).join('');
  const sql = `SELECT ${FAST_SELECT_LIST} FROM ${table.sql} AS t WHERE id > $1${where} ORDER BY t.id LIMIT ${chunkSize}`;
  const transaction = await sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ, readOnly: true });
  const fetch = (last: string): Promise<ExportRow[]> =>
    sequelize.query<ExportRow>(sql, { bind: [last, ...bind], type: QueryTypes.SELECT, raw: true, transaction });
  let pending: Promise<ExportRow[]> | null = null;
  try {
    // timestamptz as text in UTC is cheaper for the server than to_char(); normalised below.
    await sequelize.query("SET LOCAL TimeZone = 'UTC'", { transaction });
    pending = fetch('0');
    while (pending !== null) {
      const rows: ExportRow[] = await pending;
      pending = rows.length === chunkSize ? fetch((rows[rows.length - 1] as ExportRow).id as string) : null;
      if (rows.length === 0) return;
      for (const row of rows) row.timestamp = canonicalUtcText(row.timestamp as string);
      yield rows;
    }
  } finally {
    await pending?.catch(() => undefined);
    await transaction.commit();
  }
}

/** `2020-01-01 00:00:00.5+00` (PostgreSQL's text in UTC) → `2020-01-01T00:00:00.500000Z`. */
function canonicalUtcText(text: string): string {
  const zone = text.indexOf('+', 19);
  const fraction = text.charCodeAt(19) === 46 ? text.slice(20, zone) : '';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction.padEnd(6, '0')}Z`;
}

/**
 * Reads the rows with the given ids (for comparing imported rows with what is stored).
 *
 * @example
 * ```ts
 * const stored = await readRowsById(sequelize, table, ['1', '2'], transaction);
 * ```
 */
export async function readRowsById(sequelize: Sequelize, table: TimelineTable, ids: readonly string[], transaction: Transaction | null): Promise<ExportRow[]> {
  if (ids.length === 0) return [];
  return sequelize.query<ExportRow>(`SELECT ${SELECT_LIST} FROM ${table.sql} WHERE id = ANY($1::bigint[])`, {
    bind: [ids],
    type: QueryTypes.SELECT,
    raw: true,
    transaction,
  });
}

/**
 * How many logs match `filter` (for progress bars).
 *
 * @example
 * ```ts
 * const total = await countExportRows(sequelize, table, {});
 * ```
 */
export async function countExportRows(sequelize: Sequelize, table: TimelineTable, filter: ExportFilter): Promise<number> {
  const { conditions, bind } = exportConditions(filter, 1);
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const [row] = await sequelize.query<{ count: string }>(`SELECT count(*) AS count FROM ${table.sql}${where}`, { bind, type: QueryTypes.SELECT, raw: true });
  return Number(row?.count ?? 0);
}

function exportConditions(filter: ExportFilter, firstParameter = 2): { conditions: string[]; bind: unknown[] } {
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
  if (typeof value === 'string' && DATE_ONLY.test(value) && parseIsoTimestamp(`${value}T00:00:00Z`).ok) {
    // A bare date: `since` from its midnight, `until` through the whole day (UTC).
    return operator === '>='
      ? `timestamp >= (${parameter(value)}::date::timestamp AT TIME ZONE 'UTC')`
      : `timestamp < ((${parameter(value)}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  }
  const parsed = typeof value === 'string' ? parseIsoTimestamp(value) : null;
  if (!parsed?.ok) throw new TypeError(`filter ${name} must be an ISO 8601 date or date-time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z (got ${JSON.stringify(value)})`);
  return `timestamp ${operator} ${parameter(parsed.iso)}::timestamptz`;
}
