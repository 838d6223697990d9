import { QueryTypes } from 'sequelize';
import { createSequelize } from '../../src/db/connection.js';

/**
 * The first row of `sql` on the database at `url`, over a connection of its own (closed after).
 *
 * @example
 * ```ts
 * await selectOne<{ one: number }>(url, 'SELECT 1 AS one'); // { one: 1 }
 * ```
 */
export async function selectOne<T extends object>(url: string, sql: string): Promise<T | undefined> {
  const sequelize = createSequelize(url, { pool: { max: 1 } });
  try {
    return (await sequelize.query<T>(sql, { type: QueryTypes.SELECT }))[0];
  } finally {
    await sequelize.close();
  }
}
