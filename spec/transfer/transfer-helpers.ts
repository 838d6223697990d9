/** Helpers for the transfer specs: capture an export in memory, seed tricky rows with raw SQL. */
import { PassThrough } from 'node:stream';
import type { Sequelize } from 'sequelize';
import type { ExportOptions } from '../../src/transfer/timeline-log-exporter.js';
import type { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';

/** Exports with `options` and returns the bytes written. */
export async function exportToBuffer(resource: TimelineLogResource, options: ExportOptions): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await resource.exportTo(output, options);
  output.end();
  await new Promise((resolve) => output.on('end', resolve));
  return Buffer.concat(chunks);
}

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

/** Inserts rows exactly as given (bypassing the model, so any text and precision can be stored). */
export async function insertRaw(sequelize: Sequelize, rows: readonly RawLog[]): Promise<void> {
  for (const row of rows) {
    await sequelize.query(
      `INSERT INTO timeline_logs (id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data)
       VALUES (COALESCE($1::bigint, nextval('timeline_logs_id_seq')), $2, $3, $4, $5::timestamptz, $6, $7, $8, $9, $10::jsonb)`,
      {
        bind: [
          row.id ?? null, row.content_type ?? null, row.object_id ?? null, row.object_repr ?? null, row.timestamp, row.user_id ?? null,
          row.user_repr ?? null, row.template ?? 'timeline_logger/default.ejs', row.event ?? null,
          row.extra_data === undefined || row.extra_data === null ? null : JSON.stringify(row.extra_data),
        ],
      },
    );
  }
}
