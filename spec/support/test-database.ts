/**
 * One fresh database per test file on the run's server (see global-setup.ts), so test files can
 * run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { inject } from 'vitest';
import { createSequelize } from '../../src/db/connection.js';

/** A database of the current test file's own. */
export interface TestDatabase {
  /** Its URL (same server, user and `?host=` socket as the admin URL). */
  readonly url: string;
  /** A Sequelize instance connected to it. */
  readonly sequelize: Sequelize;
  /** Closes `sequelize` and drops the database. Call it in `afterAll`. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named empty database on the run's server (embedded, or DATABASE_URL's) and
 * a Sequelize instance on it. Call it once per test file.
 *
 * @example
 * ```ts
 * let db: TestDatabase;
 * beforeAll(async () => { db = await createTestDatabase(); });
 * afterAll(() => db.drop());
 * ```
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `timeline_test_${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(5).toString('hex')}`;
  await runAdminStatement(adminUrl, `CREATE DATABASE "${name}"`);
  const url = databaseUrl(adminUrl, name);
  const sequelize = createSequelize(url);
  return {
    url,
    sequelize,
    async drop() {
      await sequelize.close();
      await runAdminStatement(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** `adminUrl` with its path (the database) replaced by `database`; the query (`?host=`) is kept. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function runAdminStatement(adminUrl: string, sql: string): Promise<void> {
  const admin = createSequelize(adminUrl, { pool: { max: 1 } });
  try {
    await admin.query(sql);
  } finally {
    await admin.close();
  }
}
