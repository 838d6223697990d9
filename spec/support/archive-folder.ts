/** Temporary folders and gzip helpers for the archive specs. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Sequelize } from 'sequelize';

/**
 * A fresh empty folder under the system's temporary folder; remove it with `rm(folder, { recursive: true })`.
 *
 * @example
 * ```ts
 * const folder = await makeTempFolder();
 * ```
 */
export function makeTempFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'timeline-archive-'));
}

/** Removes a folder made by {@link makeTempFolder}. */
export function removeTempFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/** Every entry of `folder`, hidden ones included, sorted. */
export async function entriesOf(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

/** The decompressed text of a gzip file. */
export async function gunzipText(file: string): Promise<string> {
  return gunzipSync(await readFile(file)).toString('utf8');
}

/**
 * Every stored column of every log, in id order, as PostgreSQL's JSON of the row (ids,
 * microseconds, extra_data, correlation_id included): what a restore must bring back exactly.
 *
 * @example
 * ```ts
 * const before = await storedRows(sequelize);
 * ```
 */
export async function storedRows(sequelize: Sequelize): Promise<string[]> {
  const [rows] = await sequelize.query(`SELECT to_jsonb(t)::text AS row FROM timeline_logs AS t ORDER BY id`);
  return (rows as { row: string }[]).map((row) => row.row);
}
