import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';
import { quoteIdentifier } from './sql-identifier.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

const ID_FIELD = singleColumnOfKind('id').field;

/**
 * The id column's sequence, as an import takes ids from it: `take(n)` hands out `n` ids in one
 * query, or none at all when the sequence has fewer than `n` left. The check is part of the
 * same statement (the sequence's `last_value`/`is_called` against `pg_sequence`'s limit), so
 * an exhausted sequence needs no savepoint to be caught: the statement returns no rows instead
 * of failing. A table without a serial id column gets null ids (the database then refuses the
 * rows, as it always did).
 *
 * @example
 * ```ts
 * const sequence = new ImportIdSequence(sequelize, table);
 * await sequence.take(3, transaction); // ['101', '102', '103'], or null when the sequence has run out
 * ```
 */
export class ImportIdSequence {
  /** The sequence's quoted, qualified name (null: the id column has none), read at the first take. */
  #name: string | null | undefined;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly table: TimelineTable,
  ) {}

  /** `count` ids from the sequence in order, or null when it cannot hand out that many. */
  async take(count: number, transaction: Transaction | null): Promise<(string | null)[] | null> {
    const { sequelize } = this;
    const name = await this.#sequenceName(transaction);
    if (name === null) return Array.from({ length: count }, () => null);
    const rows = await sequelize.query<{ id: string }>(
      `SELECT nextval($1::regclass)::text AS id FROM generate_series(1, $2::int)
        WHERE (SELECT q.seqcycle OR div((CASE WHEN q.seqincrement > 0 THEN q.seqmax ELSE q.seqmin END)::numeric - s.last_value, q.seqincrement)
                 + CASE WHEN s.is_called THEN 0 ELSE 1 END >= $2
                 FROM ${name} s, pg_sequence q WHERE q.seqrelid = $1::regclass)`,
      { bind: [name, count], type: QueryTypes.SELECT, ...onPrimary(transaction) },
    );
    return rows.length === count ? rows.map((row) => row.id) : null;
  }

  /**
   * Moves the sequence past the table's largest id (as `transaction` sees it: its own rows
   * included), so ids it hands out later do not collide with imported ones. `setval` is not
   * undone by a rollback; the sequence only skips ids then.
   */
  async fixToMaxId(transaction: Transaction | null): Promise<void> {
    const { sequelize, table } = this;
    await sequelize.query(
      `SELECT setval(s.seq, m.max_id) FROM (SELECT pg_get_serial_sequence($1, $2) AS seq) s, (SELECT max(${quoteIdentifier(ID_FIELD)}) AS max_id FROM ${table.sql}) m
        WHERE s.seq IS NOT NULL AND m.max_id IS NOT NULL AND m.max_id > COALESCE(pg_sequence_last_value(s.seq::regclass), 0)`,
      { bind: [table.sql, ID_FIELD], type: QueryTypes.SELECT, ...onPrimary(transaction) },
    );
  }

  async #sequenceName(transaction: Transaction | null): Promise<string | null> {
    if (this.#name !== undefined) return this.#name;
    const { sequelize, table } = this;
    const [row] = await sequelize.query<{ name: string | null }>(`SELECT pg_get_serial_sequence($1, $2) AS name`, {
      bind: [table.sql, ID_FIELD],
      type: QueryTypes.SELECT,
      ...onPrimary(transaction),
    });
    this.#name = row?.name ?? null;
    return this.#name;
  }
}
