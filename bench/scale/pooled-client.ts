import type { Sequelize } from 'sequelize';

/** node-postgres' client, as Sequelize's pool hands it out: what the bench's baselines send through. */
export interface PooledClient {
  query(statement: string | { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Sequelize's connection pool (postgres dialect). */
interface ConnectionPool {
  getConnection(options: { type: string; useMaster: boolean }): Promise<PooledClient>;
  releaseConnection(connection: PooledClient): void;
}

/**
 * Runs `work` with one node-postgres client taken from `sequelize`'s pool (nothing of Sequelize
 * between the bench and the driver) and gives it back afterwards.
 *
 * @example
 * ```ts
 * await withPooledClient(sequelize, (client) => client.query({ name: 'insert', text, values }));
 * ```
 */
export async function withPooledClient<Result>(sequelize: Sequelize, work: (client: PooledClient) => Promise<Result>): Promise<Result> {
  const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
  const client = await pool.getConnection({ type: 'SELECT', useMaster: true });
  try {
    return await work(client);
  } finally {
    pool.releaseConnection(client);
  }
}
