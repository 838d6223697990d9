import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** A table by schema and name, with its quoted, schema-qualified SQL. */
export interface QualifiedTable {
  readonly schema: string;
  readonly name: string;
  readonly sql: string;
}

/** An index or constraint of the copy, made under a temporary name and renamed to the original's name by the swap. */
interface PendingName {
  readonly kind: 'index' | 'constraint';
  readonly temporary: string;
  readonly final: string;
}

/**
 * The range-partitioned copy of a plain timeline table, made by {@link createPartitionedCopy}
 * under a temporary name; {@link swapToPartitioned} puts it in the plain table's place.
 */
export interface PartitionedCopy {
  /** The plain table being replaced. */
  readonly source: QualifiedTable;
  /** The partitioned copy, under its temporary name. */
  readonly copy: QualifiedTable;
  /** Its indexes and constraints, to be renamed to the plain table's names. */
  readonly names: readonly PendingName[];
}

/** Options of {@link createPartitionedCopy}. */
export interface PartitionedCopyOptions {
  /** Everything runs in it; the swap must run in the same one. */
  readonly transaction: Transaction;
  /**
   * Called once the copy's columns exist and before its keys and indexes are built: the place to
   * make its partitions and copy the plain table's rows into it (building indexes over loaded
   * rows costs much less than keeping them up to date row by row). Defaults to none (an empty copy).
   */
  readonly fill?: (copy: QualifiedTable) => Promise<void>;
}

/**
 * Reads a table's schema and name from the catalog; null when there is no such table.
 *
 * @example
 * ```ts
 * await qualifiedTable(sequelize, 'timeline_logs', transaction); // { schema: 'public', name: 'timeline_logs', sql: '"public"."timeline_logs"' }
 * ```
 */
export async function qualifiedTable(sequelize: Sequelize, table: string, transaction: Transaction | null): Promise<QualifiedTable | null> {
  const [row] = await sequelize.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
    { bind: [quoter(sequelize)(table)], type: QueryTypes.SELECT, transaction, useMaster: true },
  );
  return row ? qualified(sequelize, row.schema, row.name) : null;
}

/**
 * Builds a copy of the plain table `source`, range-partitioned on `"timestamp"`, under a
 * temporary name: the same columns, defaults (the id keeps taking values from the same sequence)
 * and check constraints, primary key `(id, "timestamp")`, the same secondary indexes (their
 * definitions read with `pg_get_indexdef`, created on the parent so every partition gets them)
 * and the same foreign keys (`pg_get_constraintdef`). It has no partitions unless `fill` makes
 * them. Assumes nothing about the source's rows: copying them is `fill`'s part.
 *
 * @example
 * ```ts
 * await sequelize.transaction(async (transaction) => {
 *   const copy = await createPartitionedCopy(sequelize, source, { transaction });
 *   await swapToPartitioned(sequelize, copy, transaction);
 * });
 * ```
 */
export async function createPartitionedCopy(
  sequelize: Sequelize,
  source: QualifiedTable,
  options: PartitionedCopyOptions,
): Promise<PartitionedCopy> {
  const { transaction } = options;
  const quoteIdentifier = quoter(sequelize);
  const select = <T extends object>(sql: string): Promise<T[]> =>
    sequelize.query<T>(sql, { bind: [source.sql], type: QueryTypes.SELECT, transaction });
  const run = (sql: string): Promise<unknown> => sequelize.query(sql, { transaction });
  const [identity] = await select<{ oid: string }>(`SELECT $1::regclass::oid::text AS oid`);
  // Short temporary names: the copy's own can never collide with (or be cut like) a long original.
  const prefix = `timeline_swap_${(identity as { oid: string }).oid}`;
  const copy = qualified(sequelize, source.schema, `${prefix}_table`);
  await run(
    `CREATE TABLE ${copy.sql} (LIKE ${source.sql} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ("timestamp")`,
  );
  await options.fill?.(copy);
  const names: PendingName[] = [];
  const [primary] = await select<{ name: string }>(
    `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
  );
  const primaryName = `${prefix}_pkey`;
  await run(`ALTER TABLE ${copy.sql} ADD CONSTRAINT ${quoteIdentifier(primaryName)} PRIMARY KEY ("id", "timestamp")`);
  if (primary) names.push({ kind: 'constraint', temporary: primaryName, final: primary.name });
  const indexes = await select<{ name: string; definition: string; prefix: string; unique: boolean }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisunique AS unique,
            format('CREATE %sINDEX %I ON %I.%I ', CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END, c.relname, n.nspname, t.relname) AS prefix
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
      ORDER BY c.relname`,
  );
  for (const [position, index] of indexes.entries()) {
    if (!index.definition.startsWith(index.prefix))
      throw new Error(`cannot read the definition of index ${index.name}: ${index.definition}`);
    const temporary = `${prefix}_i${position + 1}`;
    const head = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(temporary)} ON ${copy.sql} `;
    await run(head + index.definition.slice(index.prefix.length));
    names.push({ kind: 'index', temporary, final: index.name });
  }
  const constraints = await select<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('f', 'u', 'x') ORDER BY conname`,
  );
  for (const [index, constraint] of constraints.entries()) {
    const temporary = `${prefix}_c${index + 1}`;
    await run(`ALTER TABLE ${copy.sql} ADD CONSTRAINT ${quoteIdentifier(temporary)} ${constraint.definition}`);
    names.push({ kind: 'constraint', temporary, final: constraint.name });
  }
  return { source, copy, names };
}

/**
 * Puts the partitioned copy in the plain table's place, in the transaction that made it: the id
 * sequence becomes the copy's (`ALTER SEQUENCE ... OWNED BY`, so it survives the old table and
 * `pg_get_serial_sequence` still finds it), the plain table is dropped (with its rows: copy them
 * in `fill` first when they matter), and the copy, its indexes and constraints take the old
 * names. Returns the table under its own name, now partitioned.
 *
 * @example
 * ```ts
 * const table = await swapToPartitioned(sequelize, copy, transaction); // '"public"."timeline_logs"', partitioned
 * ```
 */
export async function swapToPartitioned(sequelize: Sequelize, copy: PartitionedCopy, transaction: Transaction): Promise<QualifiedTable> {
  const { source } = copy;
  const quoteIdentifier = quoter(sequelize);
  const run = (sql: string): Promise<unknown> => sequelize.query(sql, { transaction });
  const sequences = await sequelize.query<{ sequence: string; column: string }>(
    `SELECT d.objid::regclass::text AS sequence, a.attname AS column
       FROM pg_depend d
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
       JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = $1::regclass AND d.deptype = 'a'`,
    { bind: [source.sql], type: QueryTypes.SELECT, transaction },
  );
  for (const owned of sequences) await run(`ALTER SEQUENCE ${owned.sequence} OWNED BY ${copy.copy.sql}.${quoteIdentifier(owned.column)}`);
  await run(`DROP TABLE ${source.sql}`);
  await run(`ALTER TABLE ${copy.copy.sql} RENAME TO ${quoteIdentifier(source.name)}`);
  for (const name of copy.names) {
    if (name.kind === 'index')
      await run(
        `ALTER INDEX ${quoteIdentifier(source.schema)}.${quoteIdentifier(name.temporary)} RENAME TO ${quoteIdentifier(name.final)}`,
      );
    else await run(`ALTER TABLE ${source.sql} RENAME CONSTRAINT ${quoteIdentifier(name.temporary)} TO ${quoteIdentifier(name.final)}`);
  }
  return source;
}

function qualified(sequelize: Sequelize, schema: string, name: string): QualifiedTable {
  const quote = quoter(sequelize);
  return { schema, name, sql: `${quote(schema)}.${quote(name)}` };
}

/** Sequelize's identifier quoting (names here are PostgreSQL's own, read from the catalog, or made by this module). */
function quoter(sequelize: Sequelize): (name: string) => string {
  const queryInterface = sequelize.getQueryInterface();
  return (name) => queryInterface.quoteIdentifier(name);
}
