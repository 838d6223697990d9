import { PARTITIONED_RUN } from './timeline-fixture.js';

/** The page's log query: a SELECT of the model's columns from the timeline table, with a LIMIT. */
const LOG_QUERY = /^SELECT "id", .* FROM "timeline_logs" AS "TimelineLog".* LIMIT \d+/s;
/** The partition bounds' catalog read (cached a minute by the runtime). */
const PARTITION_BOUNDS = /FROM pg_inherits/;

/**
 * The statements of a page as the plain table sends them. On a partitioned table (the
 * `partitioned` project) a keyset page reads one partition's stretch at a time and sends one
 * more log query for each stretch that leaves the page short, plus, once a minute, a read of the
 * partition bounds (src/http/keyset-rows.ts). The specs' fixtures log in 2016 or 2020, far from
 * the partitions made ahead of now, so their pages take that longer path: this counts each run of
 * consecutive log queries as the one query it stands for, and drops the catalog read, so one
 * expectation holds on both tables. On a plain table it returns `statements` as they are.
 *
 * @example
 * ```ts
 * expect(asOnPlainTable(statements)).toHaveLength(1 + 2 + 1);
 * ```
 */
export function asOnPlainTable(statements: readonly string[]): string[] {
  if (!PARTITIONED_RUN) return [...statements];
  const kept: string[] = [];
  for (const statement of statements) {
    if (PARTITION_BOUNDS.test(statement)) continue;
    if (LOG_QUERY.test(statement) && LOG_QUERY.test(kept.at(-1) ?? '')) kept[kept.length - 1] = statement;
    else kept.push(statement);
  }
  return kept;
}
