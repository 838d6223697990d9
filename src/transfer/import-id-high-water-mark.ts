import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';
import { keyKindOfSqlType } from '../model/key-kind.js';
import { quoteIdentifier } from './sql-identifier.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

const ID_FIELD = singleColumnOfKind('id').field;

/**
 * The largest id an import knows the table to hold: the table's `max(id)` read once when the
 * import starts, raised past every id the import writes. A batch whose ids are all above it
 * holds no id the table has (as far as this import can see), so its rows are new without
 * asking the database; a batch with any id at or below it is looked up as before. Only for
 * integer id columns (any other type never counts as above).
 *
 * @example
 * ```ts
 * const mark = await IdHighWaterMark.read(sequelize, table, transaction); // table max 100
 * mark.above(['101', '250']); // true
 * mark.raise(['250']);
 * mark.above(['200']);        // false
 * ```
 */
export class IdHighWaterMark {
  private constructor(
    /** Null for ids that are not integers. */
    private mark: bigint | null,
  ) {}

  /** Reads the table's largest id (`-1` for an empty table). */
  static async read(sequelize: Sequelize, table: TimelineTable, transaction: Transaction | null): Promise<IdHighWaterMark> {
    const kind = keyKindOfSqlType(table.columnTypes[ID_FIELD] ?? '');
    if (kind !== 'bigint' && kind !== 'integer' && kind !== 'smallint') return new IdHighWaterMark(null);
    const [row] = await sequelize.query<{ max: string | null }>(`SELECT max(${quoteIdentifier(ID_FIELD)})::text AS max FROM ${table.sql}`, {
      type: QueryTypes.SELECT,
      ...onPrimary(transaction),
    });
    return new IdHighWaterMark(row?.max == null ? -1n : BigInt(row.max));
  }

  /** Whether every id (whole numbers as text, checked before) is above the mark. */
  above(ids: readonly string[]): boolean {
    const mark = this.mark;
    if (mark === null) return ids.length === 0;
    for (const id of ids) if (BigInt(id) <= mark) return false;
    return true;
  }

  /** Raises the mark past the given ids (null ids are skipped). */
  raise(ids: Iterable<string | null>): void {
    if (this.mark === null) return;
    for (const id of ids) {
      if (id === null) continue;
      const value = BigInt(id);
      if (value > this.mark) this.mark = value;
    }
  }
}
