import { createSequelize } from '../../src/db/connection.js';

/**
 * Drops and creates database `name` on the server of `adminUrl` and returns its URL: every
 * bench run starts from empty tables, and two benches with their own names never wipe each
 * other's data.
 *
 * @example
 * ```ts
 * const url = await freshDatabase(database.url, 'timeline_bench_page');
 * const sequelize = createSequelize(url);
 * ```
 */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = createSequelize(adminUrl, { pool: { max: 1 } });
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
