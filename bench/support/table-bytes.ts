import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * A table's size on disk with its indexes and TOAST (and its partitions', on a partitioned
 * table), in bytes. `pg_partition_tree` has no rows for a plain table, hence the fallback.
 *
 * @example
 * ```ts
 * console.log(`${(await tableBytes(sequelize, 'timeline_logs')) / 1024 ** 2} MB`);
 * ```
 */
export async function tableBytes(sequelize: Sequelize, table: string): Promise<number> {
  const rows = await sequelize.query<{ bytes: string }>(
    `SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree(to_regclass($table))),
                     pg_total_relation_size(to_regclass($table))) AS bytes`,
    { type: QueryTypes.SELECT, bind: { table } },
  );
  return Number(rows[0]?.bytes ?? 0);
}
