import type { Transaction } from 'sequelize';

/** What exports need of node-postgres' client: array rows without type parsing, and `COPY` streams. */
export interface PgClient {
  query(config: {
    text: string;
    values: readonly unknown[];
    rowMode: 'array';
    types: { getTypeParser(): (value: string) => string };
  }): Promise<{ rows: unknown[][] }>;
  /** Submits a `pg-copy-streams` stream and returns it. */
  query<Stream extends { submit(connection: unknown): void }>(stream: Stream): Stream;
}

/**
 * The node-postgres client a Sequelize (postgres dialect) transaction runs on, so an export can
 * read past Sequelize inside that transaction.
 *
 * @throws Error when the transaction has no pg client (another dialect).
 * @example
 * ```ts
 * const client = pgClientOf(transaction);
 * await client.query({ text: 'SELECT 1', values: [], rowMode: 'array', types: TEXT_TYPES });
 * ```
 */
export function pgClientOf(transaction: Transaction): PgClient {
  const connection = (transaction as unknown as { connection?: Partial<PgClient> }).connection;
  if (typeof connection?.query !== 'function') {
    throw new Error('Exports need the postgres dialect (node-postgres): this Sequelize transaction has no pg client.');
  }
  return connection as PgClient;
}

/** Every column as PostgreSQL's text: no per-value parsing in the driver, for `rowMode: 'array'` reads. */
export const TEXT_TYPES = {
  getTypeParser:
    () =>
    (value: string): string =>
      value,
};
