import type { Sequelize } from 'sequelize';

/** One statement a run sent, as Sequelize's `benchmark` logging reported it. */
export interface TimedStatement {
  /** The statement's text, without Sequelize's `Executed (<connection>): ` prefix. */
  readonly sql: string;
  /** When it was sent, in `performance.now()` milliseconds (its end minus its duration). */
  readonly start: number;
  /** When its result arrived, in `performance.now()` milliseconds. */
  readonly end: number;
}

/** A run's statements and its own start and end, all on the `performance.now()` clock. */
export interface StatementTimeline {
  readonly start: number;
  readonly end: number;
  readonly statements: readonly TimedStatement[];
}

interface LoggingOptions {
  logging?: unknown;
  benchmark?: boolean;
}

/**
 * Runs `work` with Sequelize's `benchmark: true` and a `logging` function that records every
 * statement with its duration (Sequelize measures it with `Date.now()`: whole milliseconds),
 * then restores the previous settings. What lies between two statements is Node's time
 * (building the next statement, hooks, result handling); what lies inside one is the database's
 * time plus the round trip.
 *
 * @example
 * ```ts
 * const timeline = await timeStatements(sequelize, () => Article.update({ body: 'x' }, { where: {}, transaction }));
 * for (const statement of timeline.statements) console.log(statement.end - statement.start, statement.sql.slice(0, 40));
 * ```
 */
export async function timeStatements(db: Sequelize, work: () => Promise<unknown>): Promise<StatementTimeline> {
  const options = (db as unknown as { options: LoggingOptions }).options;
  const saved = { logging: options.logging, benchmark: options.benchmark };
  const statements: TimedStatement[] = [];
  options.benchmark = true;
  options.logging = (message: string, ms?: number): void => {
    const end = performance.now();
    const sql = message.replace(/^Executed \([^)]*\): /, '');
    statements.push({ sql, start: end - (ms ?? 0), end });
  };
  const start = performance.now();
  try {
    await work();
  } finally {
    options.logging = saved.logging;
    options.benchmark = saved.benchmark;
  }
  return { start, end: performance.now(), statements };
}
