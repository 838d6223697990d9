import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { QualifiedTable } from './partitioned-table.js';

/**
 * Gives `copy` what `CREATE TABLE ... (LIKE ...)` does not take from `source`: its owner (when
 * another role owns it), its privileges (every `GRANT` on the table and on its columns, with
 * the grant option where it was given; the owner's own are implicit) and the table's comment
 * (column comments come with `INCLUDING COMMENTS`). Only the parent gets them: its partitions,
 * like those `maintainPartitions` makes, belong to the role that runs the conversion, and
 * queries through the parent check the parent's privileges.
 *
 * @example
 * ```ts
 * await copyTableSettings(sequelize, source, copy.copy, transaction);
 * ```
 */
export async function copyTableSettings(
  sequelize: Sequelize,
  source: QualifiedTable,
  copy: QualifiedTable,
  transaction: Transaction,
): Promise<void> {
  const statements = await sequelize.query<{ statement: string }>(
    `SELECT statement FROM (
     SELECT 1 AS step, format('ALTER TABLE %s OWNER TO %I', $2::text, pg_get_userbyid(c.relowner)) AS statement
       FROM pg_class c WHERE c.oid = $1::regclass AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
     UNION ALL
     SELECT 2, format('GRANT %s%s ON TABLE %s TO %s%s', a.privilege_type, CASE WHEN t.column IS NULL THEN '' ELSE format(' (%I)', t.column) END, $2::text,
                   CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                   CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
       FROM pg_class c
       CROSS JOIN LATERAL (SELECT NULL::name AS column, c.relacl AS acl
                           UNION ALL
                           SELECT attname, attacl FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped AND attacl IS NOT NULL) t
       CROSS JOIN LATERAL aclexplode(t.acl) a
      WHERE c.oid = $1::regclass AND a.grantee <> c.relowner
     UNION ALL
     SELECT 3, format('COMMENT ON TABLE %s IS %L', $2::text, d) FROM obj_description($1::regclass, 'pg_class') d WHERE d IS NOT NULL
     ) statements ORDER BY step`,
    { bind: [source.sql, copy.sql], type: QueryTypes.SELECT, transaction },
  );
  for (const { statement } of statements) await sequelize.query(statement, { transaction });
}
