import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { ImportError } from '../errors.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

const USER_FIELD = singleColumnOfKind('userKey').field;

/** An index or constraint taken off the table for the load, with the statement that puts it back. */
interface Dropped {
  readonly name: string;
  readonly restore: string;
}

/**
 * The secondary indexes and the user foreign key of an empty timeline table, dropped for a
 * large import (`buildIndexesAfterLoad`) inside its transaction and built again from their own
 * definitions (`pg_get_indexdef`, `pg_get_constraintdef`) once the rows are in: building an
 * index over loaded rows, and checking the key with one join, costs PostgreSQL much less than
 * keeping them up to date row by row. Only what can be restored exactly and cannot refuse a row
 * of its own is taken off: valid, non-unique indexes over plain columns (no expression, no
 * predicate, no comment, default tablespace, not clustered, not backing a constraint), and a
 * foreign key on the user column into the table the import checks users against (whose rows
 * the import then locks `FOR KEY SHARE`, as the key's trigger would, so none can vanish before
 * the key is checked). The primary key and unique indexes stay, so a repeated id is still
 * refused row by row. A partitioned table's indexes and key are dropped and built on the parent
 * (never `CONCURRENTLY`, which partitioned indexes refuse), so every partition gets them again;
 * its definition's `ON ONLY` is left out, or the index would cover no partition.
 *
 * @example
 * ```ts
 * const deferred = await DeferredIndexes.take(sequelize, table, transaction); // null: table not empty
 * // ... load the rows ...
 * await deferred?.restore();
 * ```
 */
export class DeferredIndexes {
  private constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
    private readonly dropped: readonly Dropped[],
    /** Whether the user foreign key is among them (then users must be locked as they are checked). */
    readonly userKeyDeferred: boolean,
  ) {}

  /**
   * Locks the table (ACCESS EXCLUSIVE, until the import's transaction ends) and, when it is an
   * ordinary or partitioned table with no rows, drops what can be rebuilt; null (nothing dropped) otherwise.
   */
  static async take(sequelize: Sequelize, table: TimelineTable, transaction: Transaction): Promise<DeferredIndexes | null> {
    const query = <T extends object>(sql: string, bind: unknown[] = []): Promise<T[]> =>
      sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
    const [kind] = await query<{ kind: string; empty: boolean }>(
      `SELECT relkind AS kind, NOT EXISTS (SELECT 1 FROM ${table.sql}) AS empty FROM pg_class WHERE oid = $1::regclass`,
      [table.sql],
    );
    if ((kind?.kind !== 'r' && kind?.kind !== 'p') || !kind.empty) return null;
    await sequelize.query(`LOCK TABLE ${table.sql} IN ACCESS EXCLUSIVE MODE`, { transaction });
    const [still] = await query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${table.sql}) AS empty`);
    if (!still?.empty) return null;
    const indexes = await query<{ name: string; definition: string }>(
      `SELECT i.indexrelid::regclass::text AS name, regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') AS definition
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
          AND i.indisvalid AND i.indisready AND NOT i.indisclustered AND i.indexprs IS NULL AND i.indpred IS NULL
          AND c.reltablespace = 0 AND obj_description(i.indexrelid, 'pg_class') IS NULL
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [table.sql],
    );
    const keys = await query<{ name: string; definition: string }>(
      `SELECT quote_ident(k.conname) AS name, pg_get_constraintdef(k.oid) AS definition
         FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
        WHERE k.conrelid = $1::regclass AND k.contype = 'f' AND cardinality(k.conkey) = 1 AND a.attname = $2
          AND k.confrelid = to_regclass($3) AND obj_description(k.oid, 'pg_constraint') IS NULL`,
      [table.sql, USER_FIELD, table.userReference?.table ?? null],
    );
    const dropped: Dropped[] = [
      ...indexes.map((index) => ({ name: index.name, restore: index.definition })),
      ...keys.map((key) => ({ name: key.name, restore: `ALTER TABLE ${table.sql} ADD CONSTRAINT ${key.name} ${key.definition}` })),
    ];
    if (indexes.length > 0) await sequelize.query(`DROP INDEX ${indexes.map((index) => index.name).join(', ')}`, { transaction });
    for (const key of keys) await sequelize.query(`ALTER TABLE ${table.sql} DROP CONSTRAINT ${key.name}`, { transaction });
    return new DeferredIndexes(sequelize, transaction, dropped, keys.length > 0);
  }

  /**
   * Builds every dropped index and key again, as it was defined.
   *
   * @throws ImportError when PostgreSQL cannot build one over the loaded rows (e.g. a value too
   * large for a btree index entry); the import's transaction is then lost and nothing is written.
   */
  async restore(): Promise<void> {
    for (const item of this.dropped) {
      try {
        await this.sequelize.query(item.restore, { transaction: this.transaction });
      } catch (error) {
        const message = (error as { parent?: { message?: string } }).parent?.message ?? (error as Error).message;
        throw new ImportError(
          `Building ${item.name} after loading failed: ${message}. Nothing was written; import again without buildIndexesAfterLoad (--build-indexes-after-load) to have the rows it refuses reported one by one.`,
          { cause: error },
        );
      }
    }
  }
}
