/**
 * Vitest global setup: one PostgreSQL server per test run. Uses DATABASE_URL when it is set;
 * otherwise starts an embedded server in a temporary folder, tuned for throwaway data, and stops
 * it after the run. Test files reach it through `inject('adminDatabaseUrl')` (see
 * `createTestDatabase()`), each in a database of its own.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { EmbeddedPostgres } from '../../dev/embedded-postgres/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the run's server, on its maintenance database. */
    adminDatabaseUrl: string;
  }
}

/** Durability is pointless for test data; these make database creation and writes cheaper. */
const TEST_SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/**
 * Provides `adminDatabaseUrl` to the test files and returns the teardown that stops the server
 * it started (nothing to stop with DATABASE_URL).
 *
 * @example
 * ```ts
 * // in a test file
 * const adminUrl = inject('adminDatabaseUrl');
 * ```
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    project.provide('adminDatabaseUrl', external);
    return () => Promise.resolve();
  }
  const server = await EmbeddedPostgres.start({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'timeline-logger-test-')),
    temporary: true,
    settings: TEST_SERVER_SETTINGS,
  });
  project.provide('adminDatabaseUrl', server.url());
  return () => server.stop();
}
