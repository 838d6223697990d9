import type { Options, Sequelize } from 'sequelize';

/**
 * Runs `work` while recording every SQL statement Sequelize sends (through its `logging`
 * option), so tests can assert how many queries an operation costs.
 */
export async function recordQueries<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const options = (sequelize as unknown as { options: Options }).options;
  const previous = options.logging;
  const statements: string[] = [];
  options.logging = (sql: string) => {
    statements.push(sql);
  };
  try {
    return { result: await work(), statements };
  } finally {
    options.logging = previous;
  }
}
