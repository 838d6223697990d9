/** Seeds tricky log rows with raw SQL, bypassing the model (for the transfer specs). */
import type { Sequelize } from 'sequelize';

/** A log row as raw column values (timestamps as text with an explicit zone, extra_data as JSON). */
export interface RawLog {
  id?: number;
  content_type?: string | null;
  object_id?: string | null;
  object_repr?: string | null;
  timestamp: string;
  user_id?: number | null;
  user_repr?: string | null;
  template?: string;
  event?: string | null;
  extra_data?: unknown;
}

/**
 * Inserts rows exactly as given (bypassing the model, so any text and precision can be stored).
 *
 * @example
 * ```ts
 * await insertRaw(sequelize, [{ id: 7, timestamp: '2024-02-29T23:59:59.999999+01:00', extra_data: { n: 1 } }]);
 * ```
 */
export async function insertRaw(sequelize: Sequelize, rows: readonly RawLog[]): Promise<void> {
  for (const row of rows) {
    await sequelize.query(
      `INSERT INTO timeline_logs (id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data)
       VALUES (COALESCE($1::bigint, nextval('timeline_logs_id_seq')), $2, $3, $4, $5::timestamptz, $6, $7, $8, $9, $10::jsonb)`,
      {
        bind: [
          row.id ?? null,
          row.content_type ?? null,
          row.object_id ?? null,
          row.object_repr ?? null,
          row.timestamp,
          row.user_id ?? null,
          row.user_repr ?? null,
          row.template ?? 'timeline_logger/default.ejs',
          row.event ?? null,
          row.extra_data === undefined || row.extra_data === null ? null : JSON.stringify(row.extra_data),
        ],
      },
    );
  }
}
