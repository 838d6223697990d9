import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { QualifiedTable } from './partitioned-table.js';

/**
 * Refuses to convert a plain table that has what swapping it for a partitioned copy would lose
 * or cannot carry: triggers, row-level security or policies, foreign keys of other tables
 * pointing at it, views or rules reading it, table inheritance, publication membership. The
 * conversion does not recreate these (a trigger or policy body is the app's code, and dropping
 * the table would drop or break them): the error lists them, so they can be removed first and
 * made again on the partitioned table.
 *
 * @throws ConfigurationError listing every obstacle found.
 * @example
 * ```ts
 * await assertConvertible(sequelize, source, transaction);
 * // ConfigurationError: The table timeline_logs cannot be converted as it is: trigger audit_logs; ...
 * ```
 */
export async function assertConvertible(sequelize: Sequelize, source: QualifiedTable, transaction: Transaction): Promise<void> {
  const rows = await sequelize.query<{ obstacle: string }>(
    `SELECT format('trigger %I', tgname) AS obstacle FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal
     UNION ALL
     SELECT 'row-level security (ALTER TABLE ... ENABLE ROW LEVEL SECURITY)' FROM pg_class WHERE oid = $1::regclass AND (relrowsecurity OR relforcerowsecurity)
     UNION ALL
     SELECT format('policy %I', polname) FROM pg_policy WHERE polrelid = $1::regclass
     UNION ALL
     SELECT format('foreign key %I of table %s', conname, conrelid::regclass) FROM pg_constraint
      WHERE confrelid = $1::regclass AND contype = 'f' AND conrelid <> $1::regclass
     UNION ALL
     SELECT DISTINCT format('view or rule of %s', r.ev_class::regclass) FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
      WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = $1::regclass AND r.ev_class <> $1::regclass
     UNION ALL
     SELECT format('inheritance (%s inherits from %s)', inhrelid::regclass, inhparent::regclass) FROM pg_inherits
      WHERE inhparent = $1::regclass OR inhrelid = $1::regclass
     UNION ALL
     SELECT format('publication %I', p.pubname) FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = $1::regclass`,
    { bind: [source.sql], type: QueryTypes.SELECT, transaction },
  );
  if (rows.length === 0) return;
  throw new ConfigurationError(
    `The table ${source.name} cannot be converted as it is: ${rows.map((row) => row.obstacle).join('; ')}. ` +
      'The conversion replaces the table with a partitioned copy and would lose these: remove them, convert, then make them again on the partitioned table.',
  );
}
