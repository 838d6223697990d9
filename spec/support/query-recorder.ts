import type { Options, Sequelize } from 'sequelize';

/** Sequelize's prefix on each logged statement: `Executing (<connection id or default>): `. */
const LOG_PREFIX = /^Executing \([^)]*\): /;

/**
 * Runs `work` while recording every SQL statement Sequelize sends (through its `logging`
 * option, set back afterwards), so tests can assert how many round trips an operation costs.
 * Each statement is its SQL alone, without Sequelize's log prefix.
 *
 * @example
 * ```ts
 * const { result, statements } = await recordQueries(sequelize, () => TimelineLog.renderMessages(logs));
 * expect(statements).toHaveLength(3); // one per model type and one for the users
 * ```
 */
export async function recordQueries<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  // Sequelize reads `options.logging` on every query; the typings do not declare `options`.
  const options = (sequelize as unknown as { options: Options }).options;
  const previous = options.logging;
  const statements: string[] = [];
  options.logging = (sql: string) => {
    statements.push(sql.replace(LOG_PREFIX, ''));
  };
  try {
    return { result: await work(), statements };
  } finally {
    options.logging = previous;
  }
}
