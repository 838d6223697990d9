import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { canonicalJson } from '../model/canonical-json.js';
import type { JsonValue } from '../model/to-json-value.js';
import { readRowsById, type StoredRow } from './stored-rows.js';
import type { ImportResultBuilder, RowStatus } from './import-result.js';
import type { FieldMessage } from './resource.js';
import type { TimelineTable } from './timeline-table.js';

/** A cleaned row waiting to be written. `values` hold only the columns the file has. */
export interface PendingRow {
  readonly row: number;
  readonly values: Record<string, unknown>;
  readonly errors: FieldMessage[];
}

/** Settings of an {@link ImportBatchWriter}. */
export interface BatchWriterSettings {
  readonly sequelize: Sequelize;
  readonly table: TimelineTable;
  readonly transaction: Transaction | null;
  /** Template of new rows without one. */
  readonly defaultTemplate: string;
  /** Timestamp (canonical ISO) of new rows without one. */
  readonly now: string;
  /** Allowed content types, or null for any. */
  readonly contentTypes: ReadonlySet<string> | null;
}

/** Resource column → table column. */
const DB_COLUMN: Readonly<Record<string, string>> = { user: 'user_id' };
const TABLE_COLUMNS = ['id', 'content_type', 'object_id', 'object_repr', 'timestamp', 'user_id', 'user_repr', 'template', 'event', 'extra_data'];
/** The resource column of each of TABLE_COLUMNS. */
const RESOURCE_COLUMNS = TABLE_COLUMNS.map((column) => (column === 'user_id' ? 'user' : column));
const INTEGER_TYPES = new Set(['integer', 'bigint', 'smallint']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KNOWN_USERS_CAP = 100_000;

interface Classified {
  readonly pending: PendingRow;
  readonly status: RowStatus;
  id: string | null;
}

/**
 * Validates a batch against the database (users, content types, duplicate ids), sorts its rows
 * into new / update / skip by id, and writes them with one multi-row statement per kind
 * (`INSERT ... SELECT FROM unnest($1::bigint[], ...)`, `UPDATE ... FROM json_to_recordset($1)`). A statement the database refuses is retried
 * row by row, so the failing rows are reported as `error` with the database's message.
 */
export class ImportBatchWriter {
  readonly #knownUsers = new Set<string>();
  #savepoint = 0;
  #sequenceChecked = false;

  constructor(private readonly settings: BatchWriterSettings) {}

  /** Processes one batch and adds every row's outcome to `result`, in row order. */
  async process(batch: readonly PendingRow[], result: ImportResultBuilder): Promise<void> {
    this.#checkContentTypes(batch);
    this.#checkDuplicateIds(batch);
    await this.#checkUsers(batch);
    const classified = await this.#classify(batch);
    await this.#assignIds(classified);
    const failures = new Map<PendingRow, string>();
    await this.#write(classified.filter((row) => row.status === 'new'), 'insert', failures);
    for (const group of groupByColumns(classified.filter((row) => row.status === 'update'))) await this.#write(group, 'update', failures);
    for (const row of classified) {
      const failure = failures.get(row.pending);
      if (row.status === 'invalid') result.add({ row: row.pending.row, status: 'invalid', id: row.id, errors: row.pending.errors });
      else if (failure !== undefined) result.add({ row: row.pending.row, status: 'error', id: row.id, errors: [{ field: 'row', message: failure }] });
      else result.add({ row: row.pending.row, status: row.status, id: row.id, errors: [] });
    }
  }

  /** Moves the id sequence past the largest id, so later logs do not collide with imported ids. */
  async fixSequence(): Promise<void> {
    const { sequelize, table } = this.settings;
    await sequelize.query(
      `SELECT setval(s.seq, m.max_id) FROM (SELECT pg_get_serial_sequence($1, 'id') AS seq) s, (SELECT max(id) AS max_id FROM ${table.sql}) m
        WHERE s.seq IS NOT NULL AND m.max_id IS NOT NULL AND m.max_id > COALESCE(pg_sequence_last_value(s.seq::regclass), 0)`,
      { bind: [table.sql], type: QueryTypes.SELECT },
    );
  }

  #checkContentTypes(batch: readonly PendingRow[]): void {
    const allowed = this.settings.contentTypes;
    if (allowed === null) return;
    for (const pending of batch) {
      const contentType = pending.values.content_type;
      if (typeof contentType === 'string' && !allowed.has(contentType)) {
        pending.errors.push({ field: 'content_type', message: `unknown model ${JSON.stringify(contentType)} (known: ${[...allowed].join(', ')})` });
      }
    }
  }

  #checkDuplicateIds(batch: readonly PendingRow[]): void {
    const seen = new Map<string, number>();
    for (const pending of batch) {
      const id = pending.values.id;
      if (typeof id !== 'string') continue;
      const first = seen.get(id);
      if (first !== undefined) pending.errors.push({ field: 'id', message: `id ${id} already appears in row ${first}` });
      else seen.set(id, pending.row);
    }
  }

  async #checkUsers(batch: readonly PendingRow[]): Promise<void> {
    const reference = this.settings.table.userReference;
    if (reference === null) return;
    const wanted = new Set<string>();
    for (const pending of batch) {
      const user = pending.values.user;
      if (typeof user !== 'string' || this.#knownUsers.has(user)) continue;
      if ((INTEGER_TYPES.has(reference.type) && !/^-?\d{1,19}$/.test(user)) || (reference.type === 'uuid' && !UUID.test(user))) {
        pending.errors.push({ field: 'user', message: `${JSON.stringify(user)} is not a valid user id (${reference.type})` });
      } else wanted.add(user);
    }
    if (wanted.size > 0) {
      const found = await this.settings.sequelize.query<{ id: string }>(
        `SELECT ${reference.column}::text AS id FROM ${reference.table} WHERE ${reference.column} = ANY($1::${reference.type}[])`,
        { bind: [[...wanted]], type: QueryTypes.SELECT, transaction: this.settings.transaction },
      );
      if (this.#knownUsers.size > KNOWN_USERS_CAP) this.#knownUsers.clear();
      for (const { id } of found) this.#knownUsers.add(id);
    }
    for (const pending of batch) {
      const user = pending.values.user;
      if (typeof user === 'string' && wanted.has(user) && !this.#knownUsers.has(user)) {
        pending.errors.push({ field: 'user', message: `no user with id ${user}` });
      }
    }
  }

  async #classify(batch: readonly PendingRow[]): Promise<Classified[]> {
    const ids = batch.filter((pending) => pending.errors.length === 0 && typeof pending.values.id === 'string').map((pending) => pending.values.id as string);
    const stored = new Map((await readRowsById(this.settings.sequelize, this.settings.table, ids, this.settings.transaction)).map((row) => [row.id as string, row]));
    return batch.map((pending) => {
      const id = typeof pending.values.id === 'string' ? pending.values.id : null;
      if (pending.errors.length > 0) return { pending, status: 'invalid', id };
      const existing = id === null ? undefined : stored.get(id);
      if (existing === undefined) return { pending, status: 'new', id };
      return { pending, status: isUnchanged(existing, pending.values) ? 'skip' : 'update', id };
    });
  }

  async #assignIds(rows: Classified[]): Promise<void> {
    const missing = rows.filter((row) => row.status === 'new' && row.id === null);
    if (missing.length === 0) return;
    if (!this.#sequenceChecked) {
      // Ids written explicitly (by an earlier import or by hand) may be ahead of the sequence.
      await this.fixSequence();
      this.#sequenceChecked = true;
    }
    const ids = await this.settings.sequelize.query<{ id: string }>(
      `SELECT nextval(pg_get_serial_sequence($1, 'id'))::text AS id FROM generate_series(1, $2::int)`,
      { bind: [this.settings.table.sql, missing.length], type: QueryTypes.SELECT, transaction: this.settings.transaction },
    );
    missing.forEach((row, index) => {
      row.id = (ids[index] as { id: string }).id;
    });
  }

  async #write(rows: readonly Classified[], kind: 'insert' | 'update', failures: Map<PendingRow, string>): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.#inSavepoint(() => this.#statement(rows, kind));
    } catch (error) {
      if (rows.length === 1) {
        failures.set((rows[0] as Classified).pending, databaseMessage(error));
        return;
      }
      for (const row of rows) await this.#write([row], kind, failures);
    }
  }

  async #statement(rows: readonly Classified[], kind: 'insert' | 'update'): Promise<void> {
    if (kind === 'insert') return this.#insert(rows);
    const { sequelize, table, transaction } = this.settings;
    const columns = ['id', ...presentColumns((rows[0] as Classified).pending.values)];
    const payload = JSON.stringify(rows.map((row) => this.#tableRow(row)));
    const definition = columns.map((column) => `${quote(column)} ${table.columnTypes[column] ?? 'text'}`).join(', ');
    const sql = `UPDATE ${table.sql} AS t SET ${columns.filter((column) => column !== 'id').map((column) => `${quote(column)} = x.${quote(column)}`).join(', ')}
             FROM json_to_recordset($1::json) AS x(${definition}) WHERE t.id = x.id`;
    await sequelize.query(sql, { bind: [payload], transaction, type: QueryTypes.UPDATE });
  }

  /**
   * One INSERT for the batch, its values sent as one array per column and expanded with
   * `unnest` (no JSON document per row to build and for the server to parse). Columns the file
   * lacks get their defaults; `extra_data` travels as JSON text.
   */
  async #insert(rows: readonly Classified[]): Promise<void> {
    const { sequelize, table, transaction, defaultTemplate, now } = this.settings;
    const arrays: unknown[][] = TABLE_COLUMNS.map(() => new Array<unknown>(rows.length));
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index] as Classified;
      const values = row.pending.values;
      (arrays[0] as unknown[])[index] = row.id;
      for (let column = 1; column < TABLE_COLUMNS.length; column += 1) {
        const field = RESOURCE_COLUMNS[column] as string;
        const value = Object.hasOwn(values, field) ? (values[field] ?? null) : field === 'template' ? defaultTemplate : field === 'timestamp' ? now : null;
        (arrays[column] as unknown[])[index] = field === 'extra_data' && value !== null ? JSON.stringify(value) : value;
      }
    }
    const list = TABLE_COLUMNS.map(quote).join(', ');
    const unnest = TABLE_COLUMNS.map((column, index) => `$${index + 1}::${table.columnTypes[column] ?? 'text'}[]`).join(', ');
    await sequelize.query(`INSERT INTO ${table.sql} (${list}) SELECT * FROM unnest(${unnest})`, { bind: arrays, transaction, type: QueryTypes.INSERT });
  }

  /** An update row: the id and the columns the file has. */
  #tableRow(row: Classified): Record<string, unknown> {
    const result: Record<string, unknown> = { id: row.id };
    for (const [column, value] of Object.entries(row.pending.values)) if (column !== 'id') result[DB_COLUMN[column] ?? column] = value ?? null;
    return result;
  }

  async #inSavepoint(work: () => Promise<void>): Promise<void> {
    const { sequelize, transaction } = this.settings;
    if (transaction === null) return work();
    const name = `timeline_import_${(this.#savepoint += 1)}`;
    await sequelize.query(`SAVEPOINT ${name}`, { transaction });
    try {
      await work();
      await sequelize.query(`RELEASE SAVEPOINT ${name}`, { transaction });
    } catch (error) {
      await sequelize.query(`ROLLBACK TO SAVEPOINT ${name}`, { transaction });
      throw error;
    }
  }
}

/** Update statements set the columns the file has; rows are grouped by that set. */
function groupByColumns(rows: readonly Classified[]): Classified[][] {
  const groups = new Map<string, Classified[]>();
  for (const row of rows) {
    const key = presentColumns(row.pending.values).join(',');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

function presentColumns(values: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(values)
    .filter((column) => column !== 'id')
    .map((column) => DB_COLUMN[column] ?? column)
    .sort();
}

function isUnchanged(stored: StoredRow, values: Readonly<Record<string, unknown>>): boolean {
  for (const [column, value] of Object.entries(values)) {
    if (column === 'id') continue;
    const current = stored[column];
    if (column === 'extra_data') {
      if (canonicalJson((current ?? null) as JsonValue) !== canonicalJson((value ?? null) as JsonValue)) return false;
    } else if ((current === null || current === undefined ? null : String(current)) !== (value ?? null)) return false;
  }
  return true;
}

function quote(column: string): string {
  return `"${column.replaceAll('"', '""')}"`;
}

function databaseMessage(error: unknown): string {
  const parent = (error as { parent?: { message?: string; detail?: string } }).parent;
  const message = parent?.message ?? (error as Error).message ?? String(error);
  return parent?.detail ? `${message} (${parent.detail})` : message;
}
