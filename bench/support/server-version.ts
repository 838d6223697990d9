import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * The connected server's version (`server_version`), printed in every bench's header so a
 * figure is never read without knowing which PostgreSQL produced it.
 *
 * @example
 * ```ts
 * console.log(`PostgreSQL ${await serverVersion(sequelize)}`); // PostgreSQL 18.0
 * ```
 */
export async function serverVersion(db: Sequelize): Promise<string> {
  const rows = await db.query<{ version: string }>("SELECT current_setting('server_version') AS version", { type: QueryTypes.SELECT });
  return rows[0]?.version ?? '?';
}
