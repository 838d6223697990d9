import { defineConfig } from 'vitest/config';

/**
 * The suite runs against one real PostgreSQL per run (DATABASE_URL, or an embedded server
 * started by the global setup) with one database per test file.
 */
export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    globalSetup: ['spec/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 60_000,
  },
});
