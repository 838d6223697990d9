import type { Sequelize, Transaction } from 'sequelize';
import { timelineColumn } from '../model/timeline-columns.js';
import { copyErrorLine, copyRowsIn } from './import-copy.js';
import { databaseCode, databaseMessage } from './import-database-error.js';
import { IdHighWaterMark } from './import-id-high-water-mark.js';
import { ImportIdSequence } from './import-id-sequence.js';
import { checkContentTypes, checkDuplicateIds, checkIdRange, UserCheck } from './import-batch-checks.js';
import type { ImportResultBuilder, RowStatus } from './import-result.js';
import { insertRows, presentColumns, updateRows, type StatementTarget, type WritableRow } from './import-statements.js';
import type { PendingRow } from './pending-row.js';
import { pgClientOf } from './pg-client.js';
import { isUnchanged, readRowsById } from './stored-rows.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import type { TimelineTable } from './timeline-table.js';

/** Settings of an {@link ImportBatchWriter}. */
export interface BatchWriterSettings {
  readonly sequelize: Sequelize;
  readonly table: TimelineTable;
  /** The import's transaction, or null to write batch by batch (`useTransactions: false`). */
  readonly transaction: Transaction | null;
  /** Template of new rows without one. */
  readonly defaultTemplate: string;
  /** Timestamp (canonical ISO) of new rows without one. */
  readonly now: string;
  /** Allowed content types, or null for any. */
  readonly contentTypes: ReadonlySet<string> | null;
  /** Lock the users found `FOR KEY SHARE` (the user foreign key is checked after loading). Defaults to `false`. */
  readonly lockUsers?: boolean;
}

const ID = singleColumnOfKind('id').exportName;
const ID_FIELD = singleColumnOfKind('id').field;

interface Classified extends WritableRow {
  status: RowStatus;
  id: string | null;
}

/** PostgreSQL's `sequence_generator_limit_exceeded`: nextval past the sequence's maximum. */
const SEQUENCE_EXHAUSTED = '2200H';
const NO_ID_LEFT = 'no id left: the id sequence has reached its maximum; give the row an id of its own';

/**
 * Validates a batch against the database (users, content types, duplicate ids), sorts its rows
 * into new / update / skip by id, and writes them: new rows with one `COPY ... FROM STDIN`
 * ({@link copyRowsIn}), updates with one `UPDATE ... FROM json_to_recordset($1)` per set of
 * columns. A batch whose ids are all above the {@link IdHighWaterMark} is new without a lookup;
 * others are read by id first. No savepoints while every statement succeeds: when the database
 * refuses one, the rows are retried one by one (without a transaction), or (inside the
 * import's transaction, which the refusal aborted) the transaction is rolled back, a fresh one
 * begun, and from then on every statement runs in a savepoint and is retried row by row, so the
 * failing rows are reported as `error` with the database's message while the rest of the file
 * is still checked. The import then rolls back, as for any failed row.
 *
 * @example
 * ```ts
 * const writer = new ImportBatchWriter({ sequelize, table, transaction, defaultTemplate, now, contentTypes: null });
 * await writer.process(batch, result);
 * await writer.transaction?.commit(); // the transaction the import ends in
 * ```
 */
export class ImportBatchWriter {
  #transaction: Transaction | null;
  #users: UserCheck;
  readonly #sequence: ImportIdSequence;
  /** Read before the first batch. */
  #mark: IdHighWaterMark | null = null;
  /** A statement failed inside the import's transaction: statements now run in savepoints. */
  #careful = false;
  /** Values of new rows for the columns their file lacks, by file column name. */
  readonly #defaults: Readonly<Record<string, unknown>>;
  #savepoint = 0;

  constructor(private readonly settings: BatchWriterSettings) {
    const { sequelize, table, transaction } = settings;
    this.#transaction = transaction;
    this.#users = new UserCheck(sequelize, table.userReference, transaction, settings.lockUsers ?? false);
    this.#sequence = new ImportIdSequence(sequelize, table);
    this.#defaults = {
      [timelineColumn('template').exportName]: settings.defaultTemplate,
      [timelineColumn('timestamp').exportName]: settings.now,
    };
  }

  /** The transaction the import runs in now: the one it was given, or the fresh one begun after a refused statement. */
  get transaction(): Transaction | null {
    return this.#transaction;
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
    const fresh = classified.filter((row) => row.status === 'new');
    await this.#attempt(fresh, 'insert', failures);
    this.#mark?.raise(fresh.map((row) => row.id));
    for (const group of groupByColumns(classified.filter((row) => row.status === 'update'))) await this.#attempt(group, 'update', failures);
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
    await this.#sequence.fixToMaxId(null);
  }

  async #classify(batch: readonly PendingRow[]): Promise<Classified[]> {
    const { sequelize, table } = this.settings;
    const ids = batch
      .filter((pending) => pending.errors.length === 0 && typeof pending.values[ID] === 'string')
      .map((pending) => pending.values[ID] as string);
    this.#mark ??= await IdHighWaterMark.read(sequelize, table, this.#transaction);
    const lookUp = this.#careful || !this.#mark.above(ids);
    const stored = new Map(
      lookUp ? (await readRowsById(sequelize, table, ids, this.#transaction)).map((row) => [row[ID] as string, row]) : [],
    );
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
    // Ids written explicitly (by hand, an earlier import, or this one's earlier batches, which
    // only its own transaction sees) may be ahead of the sequence.
    await this.#sequence.fixToMaxId(this.#transaction);
    let ids: (string | null)[] | null;
    try {
      ids = await this.#guarded(() => this.#sequence.take(missing.length, this.#transaction));
    } catch (error) {
      // Another session took the last ids between the check and nextval (the check is one statement with it).
      if (databaseCode(error) !== SEQUENCE_EXHAUSTED) throw error;
      if (this.#transaction !== null && !this.#careful) await this.#recover();
      ids = null;
    }
    if (ids === null) {
      // An imported id at the type's maximum leaves the sequence nothing to hand out.
      for (const row of missing) {
        row.status = 'invalid';
        row.pending.errors.push({ field: ID, message: NO_ID_LEFT });
      }
      return;
    }
    missing.forEach((row, index) => {
      row.id = ids[index] ?? null;
    });
  }

  /** Writes the rows with one statement; refused ones are retried as the class explains. */
  async #attempt(rows: readonly Classified[], kind: 'insert' | 'update', failures: Map<PendingRow, string>): Promise<void> {
    if (rows.length === 0) return;
    if (this.#careful) return this.#write(rows, kind, failures);
    try {
      if (kind === 'update') await updateRows(this.#target(), rows);
      else if (this.#transaction !== null) await copyRowsIn(pgClientOf(this.#transaction), this.settings.table, rows, this.#defaults);
      else await this.#copyCommitted(rows);
    } catch (error) {
      if (this.#transaction === null) {
        for (const row of rows) await this.#write([row], kind, failures);
        return;
      }
      await this.#recover();
      await this.#write(rows, kind, failures);
      if (rows.some((row) => failures.has(row.pending))) return;
      // The refusal came from rows the rolled-back transaction held (a constraint across rows):
      // the row the database named, else the statement's rows, carry its message.
      const line = kind === 'insert' ? copyErrorLine(error) : null;
      const named = line === null ? undefined : rows[line - 1];
      for (const row of named ? [named] : rows) failures.set(row.pending, databaseMessage(error));
    }
  }

  /** Without the import's transaction: the copy in a transaction of its own, committed at once. */
  async #copyCommitted(rows: readonly Classified[]): Promise<void> {
    const transaction = await this.settings.sequelize.transaction();
    try {
      await copyRowsIn(pgClientOf(transaction), this.settings.table, rows, this.#defaults);
    } catch (error) {
      await transaction.rollback();
      throw error;
    }
    await transaction.commit();
  }

  /** The refused statement aborted the import's transaction: roll it back and go on in a fresh one, carefully. */
  async #recover(): Promise<void> {
    const { sequelize, table } = this.settings;
    await (this.#transaction as Transaction).rollback();
    this.#transaction = await sequelize.transaction();
    this.#users = new UserCheck(sequelize, table.userReference, this.#transaction);
    this.#careful = true;
  }

  /** Today's careful path: one statement in a savepoint, then row by row when it is refused. */
  async #write(rows: readonly Classified[], kind: 'insert' | 'update', failures: Map<PendingRow, string>): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.#guarded(() => (kind === 'insert' ? insertRows(this.#target(), rows, this.#defaults) : updateRows(this.#target(), rows)));
    } catch (error) {
      if (rows.length === 1) {
        failures.set((rows[0] as Classified).pending, databaseMessage(error));
        return;
      }
      for (const row of rows) await this.#write([row], kind, failures);
    }
  }

  /** In a savepoint once a statement has failed in the transaction; as it is otherwise. */
  async #guarded<T>(work: () => Promise<T>): Promise<T> {
    const { sequelize } = this.settings;
    const transaction = this.#transaction;
    if (transaction === null || !this.#careful) return work();
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

  #target(): StatementTarget {
    return { sequelize: this.settings.sequelize, table: this.settings.table, transaction: this.#transaction };
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
