import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { canonicalJson } from '../model/canonical-json.js';
import { timelineColumn } from '../model/timeline-columns.js';
import type { JsonValue } from '../model/to-json-value.js';
import { checkContentTypes, checkDuplicateIds, checkIdRange, UserCheck } from './import-batch-checks.js';
import type { ImportResultBuilder, RowStatus } from './import-result.js';
import { insertRows, presentColumns, updateRows, type StatementTarget, type WritableRow } from './import-statements.js';
import type { PendingRow } from './pending-row.js';
import { quoteIdentifier } from './sql-identifier.js';
import { readRowsById, type StoredRow } from './stored-rows.js';
import { columnOfExportName, singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

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

const ID = singleColumnOfKind('id').exportName;
const ID_FIELD = singleColumnOfKind('id').field;

interface Classified extends WritableRow {
  status: RowStatus;
  id: string | null;
}

/** PostgreSQL's `sequence_generator_limit_exceeded`: nextval past the sequence's maximum. */
const SEQUENCE_EXHAUSTED = '2200H';

/**
 * Validates a batch against the database (users, content types, duplicate ids), sorts its rows
 * into new / update / skip by id, and writes them with one multi-row statement per kind
 * (`INSERT ... SELECT FROM unnest($1::bigint[], ...)`, `UPDATE ... FROM json_to_recordset($1)`).
 * A statement the database refuses is retried row by row, so the failing rows are reported as
 * `error` with the database's message.
 *
 * @example
 * ```ts
 * const writer = new ImportBatchWriter({ sequelize, table, transaction, defaultTemplate, now, contentTypes: null });
 * await writer.process(batch, result);
 * ```
 */
export class ImportBatchWriter {
  readonly #users: UserCheck;
  readonly #target: StatementTarget;
  /** Values of new rows for the columns their file lacks, by file column name. */
  readonly #defaults: Readonly<Record<string, unknown>>;
  #savepoint = 0;
  #sequenceChecked = false;

  constructor(private readonly settings: BatchWriterSettings) {
    const { sequelize, table, transaction } = settings;
    this.#users = new UserCheck(sequelize, table.userReference, transaction);
    this.#target = { sequelize, table, transaction };
    this.#defaults = {
      [timelineColumn('template').exportName]: settings.defaultTemplate,
      [timelineColumn('timestamp').exportName]: settings.now,
    };
  }

  /** Processes one batch and adds every row's outcome to `result`, in row order. */
  async process(batch: readonly PendingRow[], result: ImportResultBuilder): Promise<void> {
    checkContentTypes(batch, this.settings.contentTypes);
    checkIdRange(batch, this.settings.table.columnTypes[ID_FIELD] ?? 'bigint');
    checkDuplicateIds(batch);
    await this.#users.check(batch);
    const classified = await this.#classify(batch);
    await this.#assignIds(classified);
    const failures = new Map<PendingRow, string>();
    await this.#write(
      classified.filter((row) => row.status === 'new'),
      'insert',
      failures,
    );
    for (const group of groupByColumns(classified.filter((row) => row.status === 'update'))) await this.#write(group, 'update', failures);
    for (const row of classified) {
      const failure = failures.get(row.pending);
      if (row.status === 'invalid') result.add({ row: row.pending.row, status: 'invalid', id: row.id, errors: row.pending.errors });
      else if (failure !== undefined)
        result.add({ row: row.pending.row, status: 'error', id: row.id, errors: [{ field: 'row', message: failure }] });
      else result.add({ row: row.pending.row, status: row.status, id: row.id, errors: [] });
    }
  }

  /** Moves the id sequence past the largest id, so later logs do not collide with imported ids. */
  async fixSequence(): Promise<void> {
    const { sequelize, table } = this.settings;
    await sequelize.query(
      `SELECT setval(s.seq, m.max_id) FROM (SELECT pg_get_serial_sequence($1, $2) AS seq) s, (SELECT max(${quoteIdentifier(ID_FIELD)}) AS max_id FROM ${table.sql}) m
        WHERE s.seq IS NOT NULL AND m.max_id IS NOT NULL AND m.max_id > COALESCE(pg_sequence_last_value(s.seq::regclass), 0)`,
      { bind: [table.sql, ID_FIELD], type: QueryTypes.SELECT },
    );
  }

  async #classify(batch: readonly PendingRow[]): Promise<Classified[]> {
    const { sequelize, table, transaction } = this.settings;
    const ids = batch
      .filter((pending) => pending.errors.length === 0 && typeof pending.values[ID] === 'string')
      .map((pending) => pending.values[ID] as string);
    const stored = new Map((await readRowsById(sequelize, table, ids, transaction)).map((row) => [row[ID] as string, row]));
    return batch.map((pending) => {
      const id = typeof pending.values[ID] === 'string' ? pending.values[ID] : null;
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
    const { sequelize, table, transaction } = this.settings;
    let ids: { id: string }[];
    try {
      ids = await this.#inSavepoint(() =>
        sequelize.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence($1, $2))::text AS id FROM generate_series(1, $3::int)`, {
          bind: [table.sql, ID_FIELD, missing.length],
          type: QueryTypes.SELECT,
          transaction,
        }),
      );
    } catch (error) {
      // An imported id at the type's maximum leaves the sequence nothing to hand out.
      if ((error as { parent?: { code?: string } }).parent?.code !== SEQUENCE_EXHAUSTED) throw error;
      for (const row of missing) {
        row.status = 'invalid';
        row.pending.errors.push({
          field: ID,
          message: 'no id left: the id sequence has reached its maximum; give the row an id of its own',
        });
      }
      return;
    }
    missing.forEach((row, index) => {
      row.id = (ids[index] as { id: string }).id;
    });
  }

  async #write(rows: readonly Classified[], kind: 'insert' | 'update', failures: Map<PendingRow, string>): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.#inSavepoint(() => (kind === 'insert' ? insertRows(this.#target, rows, this.#defaults) : updateRows(this.#target, rows)));
    } catch (error) {
      if (rows.length === 1) {
        failures.set((rows[0] as Classified).pending, databaseMessage(error));
        return;
      }
      for (const row of rows) await this.#write([row], kind, failures);
    }
  }

  async #inSavepoint<T>(work: () => Promise<T>): Promise<T> {
    const { sequelize, transaction } = this.settings;
    if (transaction === null) return work();
    const name = `timeline_import_${(this.#savepoint += 1)}`;
    await sequelize.query(`SAVEPOINT ${name}`, { transaction });
    try {
      const result = await work();
      await sequelize.query(`RELEASE SAVEPOINT ${name}`, { transaction });
      return result;
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

/** Whether every value the file gives equals the stored one (JSON compared by meaning, the rest as text). */
function isUnchanged(stored: StoredRow, values: Readonly<Record<string, unknown>>): boolean {
  for (const [name, value] of Object.entries(values)) {
    if (name === ID) continue;
    const current = stored[name];
    if (columnOfExportName(name)?.kind === 'json') {
      if (canonicalJson((current ?? null) as JsonValue) !== canonicalJson((value ?? null) as JsonValue)) return false;
    } else if ((current === null || current === undefined ? null : String(current)) !== (value ?? null)) return false;
  }
  return true;
}

function databaseMessage(error: unknown): string {
  const parent = (error as { parent?: { message?: string; detail?: string } }).parent;
  const message = parent?.message ?? (error as Error).message ?? String(error);
  return parent?.detail ? `${message} (${parent.detail})` : message;
}
