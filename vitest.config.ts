import { defineConfig } from 'vitest/config';

/** What both projects share; the global setup stays at the root, so one server serves both. */
const shared = {
  pool: 'forks',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  teardownTimeout: 60_000,
} as const;

/**
 * The specs that touch the timeline table, run a second time on a range-partitioned table
 * (`TIMELINE_PARTITIONED=1`: the fixtures set `partitioning: { interval: 'month' }`, see
 * spec/support/timeline-fixture.ts): the model, tracking, the page and its JSON, import and
 * export, the digest and prune. Left out: specs without the table, golden HTML output, browsers,
 * and the partitioning specs themselves (they choose their own table).
 */
const PARTITIONED_SPECS = [
  'spec/model/plain-select.spec.ts',
  'spec/model/timeline-columns.spec.ts',
  'spec/model/timeline-filter.spec.ts',
  'spec/model/timeline-log.spec.ts',
  'spec/tracking/*.spec.ts',
  'spec/http/correlation-ids.spec.ts',
  'spec/http/restored-entry.spec.ts',
  'spec/http/timeline-changes.spec.ts',
  'spec/http/timeline-context.spec.ts',
  'spec/http/timeline-entries.spec.ts',
  'spec/http/timeline-page-queries.spec.ts',
  'spec/http/timeline-page.spec.ts',
  'spec/http/timeline-query-plan.spec.ts',
  'spec/http/timeline-router.spec.ts',
  'spec/http/user-filter.spec.ts',
  'spec/transfer/copy-export.spec.ts',
  'spec/transfer/copy-import.spec.ts',
  'spec/transfer/correlation-transfer.spec.ts',
  'spec/transfer/django-import.spec.ts',
  'spec/transfer/import-indexes-after-load.spec.ts',
  'spec/transfer/import-limits.spec.ts',
  'spec/transfer/import-out-of-range.spec.ts',
  'spec/transfer/import-validation.spec.ts',
  'spec/transfer/long-lines.spec.ts',
  'spec/transfer/raw-json.spec.ts',
  'spec/transfer/round-trip.spec.ts',
  'spec/mail/*.spec.ts',
  'spec/cli/prune.spec.ts',
  'spec/cli/prune-archive.spec.ts',
  'spec/archive/prune-archive.spec.ts',
  'spec/seal/seal-verify.spec.ts',
  'spec/seal/seal-prune.spec.ts',
  'spec/seal/seal-concurrency.spec.ts',
];

/**
 * The suite runs against one real PostgreSQL per run (DATABASE_URL, or an embedded server
 * started by the global setup) with one database per test file. Two projects: `default` (every
 * spec, plain table) and `partitioned` (the table's specs again, on a partitioned table).
 */
export default defineConfig({
  test: {
    globalSetup: ['spec/support/global-setup.ts'],
    ...shared,
    projects: [
      { test: { name: 'default', include: ['spec/**/*.spec.ts'], ...shared } },
      {
        test: {
          name: 'partitioned',
          include: PARTITIONED_SPECS,
          exclude: ['spec/tracking/not-set-up.spec.ts'],
          env: { TIMELINE_PARTITIONED: '1' },
          ...shared,
        },
      },
    ],
  },
});
