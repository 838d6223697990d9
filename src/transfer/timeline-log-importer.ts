import { ImportError } from '../errors.js';
import { onPrimary } from '../db/on-primary.js';
import type { TimelineRuntime } from '../model/timeline-log.js';
import { UnreadableRow, type FormatName, type SourceRecord } from './formats/format-adapter.js';
import { loadFormat } from './formats/format-registry.js';
import { ImportBatchWriter } from './import-batch-writer.js';
import { DeferredIndexes } from './import-deferred-indexes.js';
import { ImportResultBuilder, type ImportResult } from './import-result.js';
import { openImportSource, resolveImportFormat, type ImportSource } from './import-source.js';
import { isoFromDate } from '../model/canonical-timestamp.js';
import type { PendingRow } from './pending-row.js';
import { positiveInteger } from './positive-integer.js';
import type { CleanedRow } from './resource.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import { describeTimelineTable } from './timeline-table.js';

/** Options of `TimelineLogResource.import`. */
export interface ImportOptions {
  /** The file's format. Defaults to the file name's extension (required for streams and buffers). */
  readonly format?: FormatName;
  /** Validate and write inside a transaction, then roll everything back. Defaults to `false`. */
  readonly dryRun?: boolean;
  /** One transaction for the whole import: any invalid or failed row rolls everything back. Without it, good rows are kept batch by batch. Defaults to `true`. */
  readonly useTransactions?: boolean;
  /** Rows per multi-row statement. Defaults to `2000`. */
  readonly batchSize?: number;
  /** Flat formats: remove the `'` the export's formula guard added. Defaults to `true`. */
  readonly formulaGuard?: boolean;
  /**
   * Refuse input larger than this many bytes; for xlsx also an archive that unpacks to more, or
   * whose cells hold more characters of text (see docs/import-export.md, "Limits on untrusted
   * files"). Defaults to 1 GiB.
   */
  readonly maxBytes?: number;
  /** `all` keeps every row's outcome in `result.rows`; `problems` only invalid and failed rows (for huge files). Defaults to `all`. */
  readonly rowDetails?: 'all' | 'problems';
  /**
   * For a large import into an empty table: drop its secondary indexes and the user foreign key
   * inside the import's transaction, load, then build them again from their own definitions
   * (PostgreSQL builds an index over loaded rows much faster than it keeps one up to date row by
   * row). Applies only when the table is empty when the import starts; the table is then locked
   * (ACCESS EXCLUSIVE) until the import ends, so other sessions wait to read or write it. Needs
   * `useTransactions` (an error otherwise). See docs/import-export.md. Defaults to `false`.
   *
   * @example
   * ```ts
   * await resource.import('all-logs.csv', { buildIndexesAfterLoad: true });
   * ```
   */
  readonly buildIndexesAfterLoad?: boolean;
  /** Called after each batch with the number of rows processed so far. */
  readonly onProgress?: (rows: number) => void;
}

/** The hooks of the resource an import runs for (a subclass's overrides included). */
export interface ImportHooks {
  beforeImportRow(record: Record<string, unknown>, rowNumber: number): Record<string, unknown> | Promise<Record<string, unknown>>;
  cleanRow(record: Readonly<Record<string, unknown>>): CleanedRow;
  afterImport(result: ImportResult): void | Promise<void>;
}

const DEFAULT_MAX_BYTES = 1024 ** 3;
const DEFAULT_BATCH_SIZE = 2000;
const ID = singleColumnOfKind('id').exportName;

/**
 * The import half of `TimelineLogResource`: reads a source record by record, cleans each row
 * through the resource's hooks, and hands batches to an {@link ImportBatchWriter}, one batch
 * in flight while the next is read, inside one transaction unless told otherwise.
 *
 * @example
 * ```ts
 * const importer = new TimelineLogImporter(TimelineLog.runtime, resource, null);
 * const result = await importer.import('logs.csv', { dryRun: true });
 * ```
 */
export class TimelineLogImporter {
  constructor(
    private readonly runtime: TimelineRuntime,
    private readonly hooks: ImportHooks,
    /** Model names `content_type` may take, or null for any. */
    private readonly contentTypes: ReadonlySet<string> | null,
  ) {}

  /**
   * Imports logs from `source` (see `TimelineLogResource.import`). Never throws for bad rows:
   * they are in the result with their data row number.
   *
   * @throws ImportError when the input cannot be read at all (unknown format, too large, broken file).
   */
  async import(source: ImportSource, options: ImportOptions = {}): Promise<ImportResult> {
    const { sequelize, options: setup } = this.runtime;
    const format = resolveImportFormat(source, options.format);
    const adapter = await loadFormat(format);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const input = await openImportSource(source, maxBytes);
    const dryRun = options.dryRun ?? false;
    if (options.buildIndexesAfterLoad === true && !dryRun && options.useTransactions === false) {
      input.destroy();
      throw new ImportError(
        'buildIndexesAfterLoad needs the import to run in one transaction: leave useTransactions on (drop --no-transactions).',
      );
    }
    const batchSize = positiveInteger('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
    const transaction = dryRun || (options.useTransactions ?? true) ? await sequelize.transaction() : null;
    const result = new ImportResultBuilder((options.rowDetails ?? 'all') === 'all');
    let writer: ImportBatchWriter | null = null;
    try {
      const table = await describeTimelineTable(sequelize, setup.tableName, setup.userModel, onPrimary(transaction));
      const deferred =
        options.buildIndexesAfterLoad === true && transaction !== null ? await DeferredIndexes.take(sequelize, table, transaction) : null;
      writer = new ImportBatchWriter({
        lockUsers: deferred?.userKeyDeferred ?? false,
        sequelize,
        table,
        transaction,
        defaultTemplate: setup.defaultTemplate,
        now: isoFromDate(setup.now()),
        contentTypes: this.contentTypes,
      });
      let batch: PendingRow[] = [];
      let rowNumber = 0;
      // The database writes one batch while the next is read and validated (one batch in flight).
      let inFlight: Promise<void> | null = null;
      const batches = writer;
      const send = async (rows: PendingRow[], through: number): Promise<void> => {
        await inFlight;
        inFlight = batches.process(rows, result).then(() => options.onProgress?.(through));
        inFlight.catch(() => undefined); // awaited with the next batch or below
      };
      try {
        for await (const record of adapter.readRecords(input, { formulaGuard: options.formulaGuard ?? true, maxBytes })) {
          rowNumber += 1;
          const prepared = this.#prepare(record, rowNumber);
          batch.push(prepared instanceof Promise ? await prepared : prepared);
          if (batch.length < batchSize) continue;
          await send(batch, rowNumber);
          batch = [];
        }
      } catch (error) {
        await (inFlight as Promise<void> | null)?.catch(() => undefined);
        if (error instanceof ImportError) throw error;
        if (isDatabaseError(error)) throw error;
        throw new ImportError(`The ${format} input cannot be read after data row ${rowNumber}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await send(batch, rowNumber);
      await (inFlight as Promise<void> | null);
      // Rebuilt unless the import rolls back anyway (a refused statement already brought them back).
      if (deferred !== null && !result.failed) await deferred.restore();
      const keep = !dryRun && !(transaction !== null && result.failed);
      const summary = result.build(dryRun, keep);
      if (keep) await this.hooks.afterImport(summary);
      // The writer's transaction: a fresh one replaces the given one after a refused statement.
      const ending = writer.transaction;
      if (ending !== null) await (keep ? ending.commit() : ending.rollback());
      if (keep || (transaction === null && !dryRun)) await writer.fixSequence();
      return summary;
    } catch (error) {
      const ending = writer?.transaction ?? transaction;
      if (ending !== null && !(ending as unknown as { finished?: string }).finished) await ending.rollback();
      input.destroy();
      throw error;
    }
  }

  /** Cleans one record; a promise only when beforeImportRow returns one (no await per row otherwise). */
  #prepare(record: SourceRecord, row: number): PendingRow | Promise<PendingRow> {
    if (record instanceof UnreadableRow) return { row, values: {}, errors: [{ field: 'row', message: `the row ${record.reason}` }] };
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return { row, values: {}, errors: [{ field: 'row', message: 'the row must be an object of column: value' }] };
    }
    const prepared = this.hooks.beforeImportRow(record, row);
    return prepared instanceof Promise ? prepared.then((value) => this.#clean(value, row)) : this.#clean(prepared, row);
  }

  #clean(prepared: Record<string, unknown>, row: number): PendingRow {
    if (!Object.hasOwn(prepared, ID)) {
      return { row, values: {}, errors: [{ field: ID, message: `the file has no ${ID} column: add one (leave it empty for new logs)` }] };
    }
    const cleaned = this.hooks.cleanRow(prepared);
    // values are only read from here on (no copy); errors get the batch checks' messages appended.
    return { row, values: cleaned.values, errors: [...cleaned.errors] };
  }
}

function isDatabaseError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'parent' in error && 'sql' in error;
}
