/**
 * The few `pg` calls the launcher makes, typed here because `pg` ships no types. `pg` is loaded
 * lazily, so importing the launcher does not load it.
 */
import { createRequire } from 'node:module';
import { errorCode } from './embedded-postgres-error.js';

/** The part of a `pg` `Client` the launcher uses. */
export interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}

/** Where a server listens: a unix socket folder or a TCP host, and the port. */
export interface PgServerAddress {
  readonly host: string;
  readonly port: number;
}

interface PgModule {
  Client: new (config: { host: string; port: number; user: string; database: string }) => PgClient;
}

const DUPLICATE_DATABASE = '42P04';

/**
 * Connects to the `postgres` maintenance database at `address` as the `postgres` superuser, runs
 * `work` and closes the connection whatever happens. Connection and query errors reject as `pg`
 * raised them.
 *
 * @example
 * ```ts
 * await withPgClient({ host: '/tmp/tlpg-1a2b3c4d5e6f', port: 5432 }, (client) => client.query('SELECT 1'));
 * ```
 */
export async function withPgClient<T>(address: PgServerAddress, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = new (loadPg().Client)({ host: address.host, port: address.port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether `error` is PostgreSQL's "database already exists" (SQLSTATE `42P04`).
 *
 * @example
 * ```ts
 * try { await client.query('CREATE DATABASE blog'); } catch (error) { if (!isDuplicateDatabase(error)) throw error; }
 * ```
 */
export function isDuplicateDatabase(error: unknown): boolean {
  return errorCode(error) === DUPLICATE_DATABASE;
}

/**
 * `name` as a double-quoted SQL identifier.
 *
 * @example
 * ```ts
 * quoteIdentifier('my "blog"'); // '"my ""blog"""'
 * ```
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function loadPg(): PgModule {
  return createRequire(import.meta.url)('pg') as PgModule;
}
