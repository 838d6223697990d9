import type { Sequelize } from 'sequelize';

type Logging = false | ((sql: string, timing?: number) => void);

/**
 * The SQL statements `sequelize` runs while `run` does, caught through Sequelize's `logging`
 * option (set back afterwards).
 */
export async function recordStatements(sequelize: Sequelize, run: () => Promise<unknown>): Promise<string[]> {
  // Sequelize reads `options.logging` on every query; the typings do not declare `options`.
  const options = (sequelize as unknown as { options: { logging: Logging } }).options;
  const statements: string[] = [];
  const previous = options.logging;
  options.logging = (sql: string) => {
    statements.push(sql);
  };
  try {
    await run();
  } finally {
    options.logging = previous;
  }
  return statements;
}
