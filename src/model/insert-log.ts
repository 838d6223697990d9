import type { Sequelize, Transaction } from 'sequelize';
import { clsTransaction } from '../db/cls-transaction.js';
import type { TimelineLogCreationAttributes } from './timeline-attributes.js';
import { TIMELINE_COLUMNS } from './timeline-columns.js';
import type { TimelineLog, TimelineRuntime } from './timeline-log.js';

/** Every column but the id (the sequence gives it), in table order. */
const COLUMNS = TIMELINE_COLUMNS.filter((column) => column.kind !== 'id');

/** What insertLog needs of node-postgres' client (the connection Sequelize hands out). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: { id: unknown }[] }>;
}

/** What insertLog needs of Sequelize's connection pool (postgres dialect). */
interface ConnectionPool {
  getConnection(options: { type: string; useMaster: boolean }): Promise<PgClient>;
  releaseConnection(connection: PgClient): void;
}

/** Sequelize's own query object, reused for its statement logging and its error classes. */
interface DialectQuery {
  _logQuery(sql: string, debug: (message: string) => void, parameters: unknown[]): () => void;
  formatError(error: unknown, stack?: string): Error;
}
type DialectQueryClass = new (connection: PgClient, sequelize: Sequelize, options: Record<string, unknown>) => DialectQuery;

/** One statement per table: `INSERT INTO <table> (...) VALUES ($1, ...) RETURNING id`, and its prepared name. */
const statements = new WeakMap<TimelineRuntime, { readonly name: string; readonly text: string }>();

/**
 * Writes one log row with one named prepared `INSERT ... RETURNING id` on node-postgres, and
 * returns it as a saved `TimelineLog` instance. This is what `TimelineLog.log()` costs on top of
 * the database: no `Model.create` machinery (no per-call query generation, escaping, validators,
 * instance bookkeeping or result mapping), since the row was already built and validated by
 * `logHeader`/`logRow`, and PostgreSQL parses and plans the statement once per connection.
 *
 * Behaves as `Model.create` did: the call's transaction, else the CLS transaction
 * (`Sequelize.useCLS`), else a pooled connection (the primary with replication); the statement
 * is logged through Sequelize's `logging`/`benchmark`; a database error is Sequelize's error
 * class for it (e.g. `ForeignKeyConstraintError` for an unknown user). `TimelineLog` model hooks
 * do not run (the library adds none).
 *
 * @example
 * ```ts
 * const log = await insertLog(runtime, logRow(header, null, null), transaction);
 * log.id; // '42'
 * ```
 */
export async function insertLog(
  runtime: TimelineRuntime,
  row: TimelineLogCreationAttributes,
  transaction: Transaction | null | undefined,
): Promise<TimelineLog> {
  const { sequelize, model } = runtime;
  const statement = statementOf(runtime);
  const attributes: Record<string, unknown> = {};
  const values = COLUMNS.map((column) => {
    const value = (row as Record<string, unknown>)[column.attribute] ?? null;
    attributes[column.attribute] = value;
    // node-postgres would send a JS array as a PostgreSQL array: JSON goes as its text.
    return column.kind === 'json' && value !== null ? JSON.stringify(value) : value;
  });
  const active = transaction === undefined ? clsTransaction(sequelize) : transaction;
  const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
  const connection = active
    ? (active as unknown as { connection: PgClient }).connection
    : await pool.getConnection({ type: 'INSERT', useMaster: true });
  const Query = (sequelize as unknown as { dialect: { Query: DialectQueryClass } }).dialect.Query;
  const { logging, benchmark } = (sequelize as unknown as { options: { logging?: unknown; benchmark?: boolean } }).options;
  const queryOf = (): DialectQuery => new Query(connection, sequelize, { logging, transaction: active ?? null });
  // With logging off (as in most production setups) Sequelize's query object is only needed for a failure.
  const query = logging === false && !benchmark ? null : queryOf();
  const logged = query?._logQuery(statement.text, noDebug, values);
  // The caller's stack, formatted only if the statement fails (formatting it is the costly part).
  const caller = new Error();
  let id: unknown;
  try {
    id = (await connection.query({ name: statement.name, text: statement.text, values })).rows[0]?.id;
  } catch (error) {
    throw (query ?? queryOf()).formatError(error, caller.stack);
  } finally {
    if (!active) pool.releaseConnection(connection);
  }
  logged?.();
  attributes.id = String(id);
  return model.build(attributes, { isNewRecord: false, raw: true });
}

function statementOf(runtime: TimelineRuntime): { readonly name: string; readonly text: string } {
  let statement = statements.get(runtime);
  if (statement === undefined) {
    const generator = runtime.sequelize.getQueryInterface().queryGenerator as { quoteTable(table: unknown): string };
    const table = generator.quoteTable(runtime.model.getTableName());
    const fields = COLUMNS.map((column) => `"${column.field}"`).join(', ');
    const placeholders = COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
    const text = `INSERT INTO ${table} (${fields}) VALUES (${placeholders}) RETURNING "id"`;
    // The name is per statement text: a connection never sees one name with two texts.
    statement = { name: `timeline-logger:log:${hash(text)}`, text };
    statements.set(runtime, statement);
  }
  return statement;
}

function noDebug(): void {}

/** A short stable hash (FNV-1a) of a statement's text. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value.toString(36);
}
