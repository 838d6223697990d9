/**
 * The connection the library's CLI and an app's setup use: a Sequelize instance on a
 * PostgreSQL URL (e.g. `DATABASE_URL`).
 */
import { type Options, Sequelize } from 'sequelize';

/**
 * A Sequelize instance on `url`: `new Sequelize(url, { dialect: 'postgres', logging: false,
 * ...options })`. Unix socket URLs (`?host=/socket/dir`) work.
 *
 * @param options Sequelize options; they override the defaults (`dialect: 'postgres'`, `logging: false`).
 * @example
 * ```ts
 * const sequelize = createSequelize(process.env.DATABASE_URL!, { pool: { max: 10 } });
 * ```
 */
export function createSequelize(url: string, options: Options = {}): Sequelize {
  return new Sequelize(url, { dialect: 'postgres', logging: false, ...options });
}
