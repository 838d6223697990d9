import copyStreams from 'pg-copy-streams';
import type { Sequelize } from 'sequelize';
import { CANONICAL_SESSION } from '../../src/seal/canonical-row.js';
import { TEXT_TYPES, type PgClient } from '../../src/transfer/pg-client.js';
import { quoteIdentifier } from '../../src/transfer/sql-identifier.js';

/** Sequelize's connection pool (postgres dialect): where the baselines take their connection. */
interface ConnectionPool {
  getConnection(options: { type: string; useMaster: boolean }): Promise<PgClient>;
  releaseConnection(connection: PgClient): void;
}

/**
 * The bench's PostgreSQL baselines, on one node-postgres connection of their own (no Sequelize
 * between them and the server), reading what `seal()` and `verify()` read: every column of the
 * timeline table, in the seal's column order, as PostgreSQL's text, under the same session settings.
 */
export class ReadBaselines {
  readonly #pool: ConnectionPool;
  readonly #client: PgClient;
  readonly #table: string;
  #columns = '';

  private constructor(pool: ConnectionPool, client: PgClient, table: string) {
    this.#pool = pool;
    this.#client = client;
    this.#table = quoteIdentifier(table);
  }

  /**
   * Takes a connection from `sequelize`'s pool for the baselines (given back by `close`), sets
   * the canonical session on it and reads the seal's column list of `table`.
   *
   * @example
   * ```ts
   * const baselines = await ReadBaselines.open(sequelize, 'timeline_logs');
   * ```
   */
  static async open(sequelize: Sequelize, table: string): Promise<ReadBaselines> {
    const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
    const baselines = new ReadBaselines(pool, await pool.getConnection({ type: 'SELECT', useMaster: true }), table);
    await baselines.#query(CANONICAL_SESSION.replaceAll('SET LOCAL', 'SET'));
    const rows = await baselines.#query(
      `SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attname <> 'id', a.attnum`,
      [baselines.#table],
    );
    baselines.#columns = rows.map((row) => row[0]).join(', ');
    return baselines;
  }

  /**
   * `COPY (SELECT <the seal's columns and the epoch> FROM table ORDER BY id) TO STDOUT`, drained
   * by node: PostgreSQL producing the rows a seal reads, in id order, as text. Returns the bytes read.
   */
  async copyDrain(): Promise<number> {
    const sql = `COPY (SELECT ${this.#columns}, EXTRACT(EPOCH FROM "timestamp")::text FROM ${this.#table} ORDER BY "id") TO STDOUT`;
    let bytes = 0;
    for await (const chunk of this.#client.query(copyStreams.to(sql)) as AsyncIterable<Buffer>) bytes += chunk.length;
    return bytes;
  }

  /**
   * `SELECT sum(length(sha256(convert_to(t::text, 'UTF8')))) FROM table t` in one backend (no
   * parallel workers, as the library's reads run in one): PostgreSQL reading and hashing every
   * row's text itself. Returns the rows hashed.
   */
  async serverHash(): Promise<number> {
    await this.#query('BEGIN');
    try {
      await this.#query('SET LOCAL max_parallel_workers_per_gather = 0');
      const rows = await this.#query(`SELECT count(*), sum(length(sha256(convert_to(t::text, 'UTF8')))) FROM ${this.#table} t`);
      return Number(rows[0]?.[0] ?? 0);
    } finally {
      await this.#query('COMMIT');
    }
  }

  /** `SELECT max(id)`: one round trip asking whether anything is new (the per-minute job's baseline when nothing is). */
  async newestId(): Promise<string> {
    const rows = await this.#query(`SELECT max("id") FROM ${this.#table}`);
    return rows[0]?.[0] ?? '0';
  }

  /** The logs after `afterId` with the seal's columns as text, in id order, in one round trip: returns how many. */
  async readAfter(afterId: string): Promise<number> {
    const rows = await this.#query(
      `SELECT ${this.#columns}, EXTRACT(EPOCH FROM "timestamp")::text FROM ${this.#table} WHERE "id" > $1 ORDER BY "id"`,
      [afterId],
    );
    return rows.length;
  }

  /** Gives the connection back to the pool (its session settings go with it: use a pool of its own). */
  close(): void {
    this.#pool.releaseConnection(this.#client);
  }

  async #query(text: string, values: readonly unknown[] = []): Promise<(string | null)[][]> {
    const result = await this.#client.query({ text, values, rowMode: 'array', types: TEXT_TYPES });
    return result.rows as (string | null)[][];
  }
}
