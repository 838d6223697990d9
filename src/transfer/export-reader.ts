import { QueryTypes, type Sequelize } from 'sequelize';
import { beginReadSnapshot } from '../db/read-snapshot.js';
import { keyKindOfSqlType } from '../model/key-kind.js';
import { TIMELINE_COLUMNS } from '../model/timeline-columns.js';
import { exportConditions, type ExportFilter } from './export-filter.js';
import { canonicalUtcText } from './canonical-utc-text.js';
import { pgClientOf, TEXT_TYPES } from './pg-client.js';
import { RawJson } from './raw-json.js';
import { quoteIdentifier } from './sql-identifier.js';
import { indexesOfKind, singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

/**
 * An exported row as values in `TIMELINE_LOG_COLUMNS` order (no object per row): ids and keys
 * as text, the timestamp as canonical ISO text, `extra_data` parsed or as {@link RawJson}.
 */
export type ExportTuple = unknown[];

/** Options of {@link readExportChunks}. */
export interface ReadChunksOptions {
  /** Give `extra_data` as a {@link RawJson} of PostgreSQL's `jsonb` text instead of parsing it. Defaults to `false`. */
  readonly jsonText?: boolean;
}

const ID = singleColumnOfKind('id');
const ID_INDEX = TIMELINE_COLUMNS.indexOf(ID);
const USER = singleColumnOfKind('userKey');
const USER_INDEX = TIMELINE_COLUMNS.indexOf(USER);
const TIMESTAMP_INDEXES = indexesOfKind('timestamp');
const JSON_INDEXES = indexesOfKind('json');

/** Every column in table order, read in a transaction whose TimeZone is UTC (see readExportChunks). */
const SELECT_LIST = TIMELINE_COLUMNS.map((column) => quoteIdentifier(column.field)).join(', ');

/**
 * Timestamps as text in UTC and ISO style (`2020-01-01 00:00:00.5+00`), whatever the
 * database's or role's defaults, for `canonicalUtcText`.
 */
export const UTC_ISO_SESSION = "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO'";

/**
 * Reads the logs matching `filter` in id order, `chunkSize` rows per query, by keyset
 * (`id > last`), so every chunk costs the same at any depth and memory stays flat. All chunks
 * come from one read-only REPEATABLE READ transaction (a consistent snapshot while the app
 * keeps writing; on a read replica under Sequelize's `replication`, on the primary when called
 * inside a CLS transaction: see `beginReadSnapshot`), and the next chunk is already being fetched while the caller handles one.
 * Rows come straight from node-postgres as arrays of text (no model instances, no objects per
 * row, no type parsers): about 3x faster than `sequelize.query`.
 *
 * @throws TypeError when a filter value is malformed.
 * @example
 * ```ts
 * for await (const chunk of readExportChunks(sequelize, table, { event: 'deleted' }, 5000)) console.log(chunk.length);
 * ```
 */
export async function* readExportChunks(
  sequelize: Sequelize,
  table: TimelineTable,
  filter: ExportFilter,
  chunkSize: number,
  options: ReadChunksOptions = {},
): AsyncGenerator<ExportTuple[]> {
  const { conditions, bind } = exportConditions(filter);
  const where = conditions.map((condition) => ` AND ${condition}`).join('');
  const id = quoteIdentifier(ID.field);
  const sql = `SELECT ${SELECT_LIST} FROM ${table.sql} AS t WHERE ${id} > $1${where} ORDER BY t.${id} LIMIT ${chunkSize}`;
  const transaction = await beginReadSnapshot(sequelize);
  // node-postgres' own parsers gave integer user ids as numbers (xlsx writes them as number cells).
  const userKind = keyKindOfSqlType(table.columnTypes[USER.field] ?? '');
  const numericUser = userKind === 'integer' || userKind === 'smallint';
  const parseJson = options.jsonText !== true;
  let pending: Promise<{ rows: unknown[][] }> | null = null;
  try {
    // timestamptz as text in UTC is cheaper for the server than to_char(); normalised below.
    await sequelize.query(UTC_ISO_SESSION, { transaction });
    const client = pgClientOf(transaction);
    const fetch = (last: string): Promise<{ rows: unknown[][] }> =>
      client.query({ text: sql, values: [last, ...bind], rowMode: 'array', types: TEXT_TYPES });
    pending = fetch('0');
    while (pending !== null) {
      const { rows }: { rows: unknown[][] } = await pending;
      pending = rows.length === chunkSize ? fetch((rows[rows.length - 1] as ExportTuple)[ID_INDEX] as string) : null;
      if (rows.length === 0) return;
      for (const row of rows) {
        if (numericUser && row[USER_INDEX] !== null) row[USER_INDEX] = Number(row[USER_INDEX]);
        for (const index of TIMESTAMP_INDEXES) if (row[index] !== null) row[index] = canonicalUtcText(row[index] as string);
        for (const index of JSON_INDEXES) {
          const text = row[index] as string | null;
          if (text !== null) row[index] = parseJson ? (JSON.parse(text) as unknown) : RawJson.fromJsonb(text);
        }
      }
      yield rows;
    }
  } finally {
    await pending?.catch(() => undefined);
    await transaction.commit();
  }
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
  const [row] = await sequelize.query<{ count: string }>(`SELECT count(*) AS count FROM ${table.sql}${where}`, {
    bind,
    type: QueryTypes.SELECT,
    raw: true,
  });
  return Number(row?.count ?? 0);
}
