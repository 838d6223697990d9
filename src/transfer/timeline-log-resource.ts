import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { ConfigurationError, ImportError } from '../errors.js';
import { TimelineLog } from '../model/timeline-log.js';
import type { ExportFilter } from './export-filter.js';
import { countExportRows, readExportChunks, type ExportTuple } from './export-reader.js';
import { formatFromFileName, isFormatName, loadFormat, FORMAT_NAMES } from './formats/format-registry.js';
import { UnreadableRow, type ColumnSpec, type FormatName, type SourceRecord } from './formats/format-adapter.js';
import { ImportBatchWriter } from './import-batch-writer.js';
import type { PendingRow } from './pending-row.js';
import { ImportResultBuilder, type ImportResult } from './import-result.js';
import { isoFromDate } from './iso-timestamp.js';
import { Resource, type ResourceField, type ResourceOptions } from './resource.js';
import { describeTimelineTable } from './timeline-table.js';
import { TIMELINE_LOG_COLUMNS, type TimelineLogColumn } from './timeline-log-columns.js';
import { timelineLogFields } from './timeline-log-fields.js';
import type { RenderTarget, Widget } from './widgets.js';

/** Options of {@link TimelineLogResource}. */
export interface TimelineLogResourceOptions extends ResourceOptions {
  /** The set-up model. Defaults to `TimelineLog` (call `setupTimeline` first). */
  readonly model?: typeof TimelineLog;
  /** Model names `content_type` may take on import (e.g. `Object.keys(sequelize.models)`). Defaults to any text. */
  readonly contentTypes?: readonly string[];
}

/** Options of {@link TimelineLogResource.exportTo}. */
export interface ExportOptions {
  /** Defaults to `csv`. */
  readonly format?: FormatName;
  /** Which logs. Defaults to all (then narrowed by `filterExport`). */
  readonly filter?: ExportFilter;
  /** Flat formats: prefix `'` to cells a spreadsheet could run as formulas. Defaults to `true`. */
  readonly formulaGuard?: boolean;
  /** Start text formats with a UTF-8 byte order mark (Excel opens such CSV as UTF-8). Defaults to `false`. */
  readonly bom?: boolean;
  /** Rows per query. Defaults to `2000` (as fast as larger chunks, less memory). */
  readonly chunkSize?: number;
  /** Called after each chunk with the number of rows written so far. */
  readonly onProgress?: (rows: number) => void;
}

/** What {@link TimelineLogResource.exportTo} did. */
export interface ExportSummary {
  /** Rows written. */
  readonly rows: number;
  readonly format: FormatName;
}

/** Options of {@link TimelineLogResource.import}. */
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
  /** Refuse input larger than this many bytes. Defaults to 1 GiB. */
  readonly maxBytes?: number;
  /** `all` keeps every row's outcome in `result.rows`; `problems` only invalid and failed rows (for huge files). Defaults to `all`. */
  readonly rowDetails?: 'all' | 'problems';
  /** Called after each batch with the number of rows processed so far. */
  readonly onProgress?: (rows: number) => void;
}

/** What can be imported: a file path, a stream, or the file's contents. */
export type ImportSource = string | Readable | Buffer;

const DEFAULT_MAX_BYTES = 1024 ** 3;
/** Export rows per query: 2000 ran as fast as 5000 at 1M rows with about 40 MB less peak RSS (bench/transfer.ts). */
const DEFAULT_CHUNK_SIZE = 2000;

/**
 * Exports and imports timeline logs in csv, tsv, json, ndjson, yaml and xlsx: streaming, lossless
 * (timestamps in UTC with microseconds, `extra_data` as JSON), safe against spreadsheet formula
 * injection. The columns are `id, content_type, object_id, object_repr, timestamp, user,
 * user_repr, template, event, extra_data`; choose with `fields` / `exclude`.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { TimelineLogResource } from 'timeline-logger';
 *
 * const resource = new TimelineLogResource({ exclude: ['user_repr'] });
 * await resource.exportTo(createWriteStream('logs.csv'), { format: 'csv', filter: { since: '2024-01-01' } });
 * const result = await resource.import('logs.csv', { dryRun: true });
 * console.log(result.totals); // { new: 0, update: 0, skip: 120, invalid: 0, error: 0 }
 * ```
 */
export class TimelineLogResource extends Resource<ExportFilter, ImportResult> {
  readonly #model: typeof TimelineLog;
  readonly #contentTypes: ReadonlySet<string> | null;

  constructor(options: TimelineLogResourceOptions = {}, declared: readonly ResourceField[] = timelineLogFields()) {
    super(declared, options);
    this.#model = options.model ?? TimelineLog;
    this.#contentTypes = options.contentTypes ? new Set(options.contentTypes) : null;
  }

  /**
   * The logs matching `filter` (narrowed by `filterExport`), in id order, read by keyset in
   * chunks: each row has the selected columns, with the timestamp as ISO text (microseconds)
   * and `extra_data` as an object.
   *
   * @example
   * ```ts
   * for await (const row of new TimelineLogResource().rows({ filter: { event: 'deleted' } })) console.log(row.id, row.timestamp);
   * ```
   */
  async *rows(options: { filter?: ExportFilter; chunkSize?: number } = {}): AsyncGenerator<Record<string, unknown>> {
    const columns = this.columns;
    const render = this.#tupleRenderer({ flat: false });
    for await (const chunk of this.#chunks(options.filter ?? {}, options.chunkSize ?? DEFAULT_CHUNK_SIZE, false)) {
      for (const tuple of chunk) {
        const cells = render(tuple);
        yield Object.fromEntries(columns.map((column, index) => [column, cells[index]]));
      }
    }
  }

  /**
   * How many logs an export with `filter` writes.
   *
   * @example
   * ```ts
   * await new TimelineLogResource().count({ contentType: 'Post' }); // 42
   * ```
   */
  async count(filter: ExportFilter = {}): Promise<number> {
    const { sequelize } = this.#model.runtime;
    return countExportRows(sequelize, await this.#table(), this.filterExport(filter));
  }

  /**
   * Streams the logs to `output` in `format` (constant memory at any table size; waits for the
   * output to drain). The output stream is not ended.
   *
   * @example
   * ```ts
   * await new TimelineLogResource().exportTo(process.stdout, { format: 'ndjson' });
   * ```
   */
  async exportTo(output: Writable, options: ExportOptions = {}): Promise<ExportSummary> {
    const format = options.format ?? 'csv';
    if (!isFormatName(format)) throw ConfigurationError.invalidOption('format', `one of ${FORMAT_NAMES.join(', ')}`, format);
    const adapter = await loadFormat(format);
    const render = this.#tupleRenderer({ flat: adapter.flat });
    const chunks = this.#chunks(options.filter ?? {}, options.chunkSize ?? DEFAULT_CHUNK_SIZE, this.#rendersJsonText());
    const writer = adapter.createWriter(output, { columns: this.#columnSpecs(), formulaGuard: options.formulaGuard ?? true, bom: options.bom ?? false });
    let rows = 0;
    for await (const chunk of chunks) {
      for (let index = 0; index < chunk.length; index += 1) chunk[index] = render(chunk[index] as ExportTuple);
      await writer.write(chunk);
      rows += chunk.length;
      options.onProgress?.(rows);
    }
    await writer.end();
    return { rows, format };
  }

  /**
   * Imports logs from a file, stream or buffer. Rows are matched by `id` (empty: a new log);
   * timestamps are kept as given; rows are validated (JSON, dates, users, lengths, content
   * types when configured) and written in multi-row batches. With transactions (the default)
   * any invalid or failed row rolls the whole import back; a dry run always does. Never throws
   * for bad rows: they are in the result with their data row number.
   *
   * @throws ImportError when the input cannot be read at all (unknown format, too large, broken file).
   * @example
   * ```ts
   * const result = await new TimelineLogResource().import('logs.ndjson', { dryRun: true });
   * for (const row of result.rows.filter((row) => row.status === 'invalid')) console.error(row.row, row.errors);
   * ```
   */
  async import(source: ImportSource, options: ImportOptions = {}): Promise<ImportResult> {
    const { sequelize, options: setup } = this.#model.runtime;
    const format = resolveFormat(source, options.format);
    const adapter = await loadFormat(format);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const input = await openSource(source, maxBytes);
    const dryRun = options.dryRun ?? false;
    const batchSize = positive('batchSize', options.batchSize ?? 2000);
    const transaction = dryRun || (options.useTransactions ?? true) ? await sequelize.transaction() : null;
    const result = new ImportResultBuilder((options.rowDetails ?? 'all') === 'all');
    try {
      const table = await describeTimelineTable(sequelize, setup.tableName, setup.userModel, transaction);
      const writer = new ImportBatchWriter({
        sequelize,
        table,
        transaction,
        defaultTemplate: setup.defaultTemplate,
        now: isoFromDate(setup.now()),
        contentTypes: this.#contentTypes,
      });
      let batch: PendingRow[] = [];
      let rowNumber = 0;
      // The database writes one batch while the next is read and validated (one batch in flight).
      let inFlight: Promise<void> | null = null;
      const send = async (rows: PendingRow[], through: number): Promise<void> => {
        await inFlight;
        inFlight = writer.process(rows, result).then(() => options.onProgress?.(through));
        inFlight.catch(() => undefined); // awaited with the next batch or below
      };
      try {
        for await (const record of adapter.readRecords(input, { formulaGuard: options.formulaGuard ?? true })) {
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
        throw new ImportError(`The ${format} input cannot be read after data row ${rowNumber}: ${(error as Error).message}`, { cause: error });
      }
      await send(batch, rowNumber);
      await inFlight;
      const keep = !dryRun && !(transaction !== null && result.failed);
      const summary = result.build(dryRun, keep);
      if (keep) await this.afterImport(summary);
      if (transaction !== null) await (keep ? transaction.commit() : transaction.rollback());
      if (keep || (transaction === null && !dryRun)) await writer.fixSequence();
      return summary;
    } catch (error) {
      if (transaction !== null && !(transaction as unknown as { finished?: string }).finished) await transaction.rollback();
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
    const prepared = this.beforeImportRow(record, row);
    return prepared instanceof Promise ? prepared.then((value) => this.#clean(value, row)) : this.#clean(prepared, row);
  }

  #clean(prepared: Record<string, unknown>, row: number): PendingRow {
    if (!Object.hasOwn(prepared, 'id')) {
      return { row, values: {}, errors: [{ field: 'id', message: 'the file has no id column: add one (leave it empty for new logs)' }] };
    }
    const cleaned = this.cleanRow(prepared);
    // values are only read from here on (no copy); errors get the batch checks' messages appended.
    return { row, values: cleaned.values as Record<string, unknown>, errors: [...cleaned.errors] };
  }

  #columnSpecs(): ColumnSpec[] {
    return this.fields.map((field) => ({ name: field.column, kind: field.widget.kind }));
  }

  async #table() {
    const { sequelize, options } = this.#model.runtime;
    return describeTimelineTable(sequelize, options.tableName, options.userModel);
  }

  async *#chunks(filter: ExportFilter, chunkSize: number, jsonText: boolean): AsyncGenerator<ExportTuple[]> {
    const { sequelize } = this.#model.runtime;
    const table = await this.#table();
    yield* readExportChunks(sequelize, table, this.filterExport(filter), positive('chunkSize', chunkSize), { jsonText });
  }

  /** extra_data may stay `jsonb` text when its widget renders such text (or it is not exported). */
  #rendersJsonText(): boolean {
    if (this.#customRenderRow()) return false;
    const field = this.fields.find((candidate) => candidate.column === 'extra_data');
    return field === undefined || field.widget.rendersJsonText === true;
  }

  #customRenderRow(): boolean {
    return this.renderRow !== Resource.prototype.renderRow;
  }

  /**
   * Renders a row read as a tuple into cells, field by field (what renderRow does, without an
   * object per row). A subclass that overrides renderRow gets its row object as before.
   */
  #tupleRenderer(target: RenderTarget): (tuple: ExportTuple) => unknown[] {
    if (this.#customRenderRow()) {
      return (tuple) => this.renderRow(Object.fromEntries(TIMELINE_LOG_COLUMNS.map((column, index) => [column, tuple[index]])), target);
    }
    const widgets = this.fields.map((field) => field.widget);
    const indexes = this.fields.map((field) => TIMELINE_LOG_COLUMNS.indexOf(field.column as TimelineLogColumn));
    const count = widgets.length;
    if (count === TIMELINE_LOG_COLUMNS.length && indexes.every((source, index) => source === index)) {
      // Every column in table order: each cell replaces its own value, in place (no array per row).
      return (tuple) => {
        for (let index = 0; index < count; index += 1) tuple[index] = (widgets[index] as Widget<unknown>).render(tuple[index], target);
        return tuple;
      };
    }
    return (tuple) => {
      const cells = new Array<unknown>(count);
      for (let index = 0; index < count; index += 1) {
        const source = indexes[index] as number;
        cells[index] = (widgets[index] as Widget<unknown>).render(source === -1 ? undefined : tuple[source], target);
      }
      return cells;
    };
  }
}

function resolveFormat(source: ImportSource, format: FormatName | undefined): FormatName {
  if (format !== undefined) {
    if (!isFormatName(format)) throw new ImportError(`Unknown format ${JSON.stringify(format)}: use one of ${FORMAT_NAMES.join(', ')}.`);
    return format;
  }
  const guessed = typeof source === 'string' ? formatFromFileName(source) : null;
  if (guessed === null) {
    throw new ImportError(`Cannot tell the format of ${typeof source === 'string' ? source : 'this input'}: pass format (one of ${FORMAT_NAMES.join(', ')}).`);
  }
  return guessed;
}

async function openSource(source: ImportSource, maxBytes: number): Promise<Readable> {
  if (typeof source === 'string') {
    const size = await stat(source).then((info) => info.size, () => null);
    if (size === null) throw new ImportError(`Cannot read ${source}: no such file.`);
    if (size > maxBytes) throw tooLarge(maxBytes);
    return createReadStream(source);
  }
  if (Buffer.isBuffer(source)) {
    if (source.length > maxBytes) throw tooLarge(maxBytes);
    return Readable.from([source]);
  }
  return Readable.from(limitBytes(source, maxBytes), { objectMode: false });
}

/** Passes a stream through lazily (nothing is read before the format reader asks), failing past `maxBytes`. */
async function* limitBytes(source: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    seen += buffer.length;
    if (seen > maxBytes) throw tooLarge(maxBytes);
    yield buffer;
  }
}

function tooLarge(maxBytes: number): ImportError {
  return new ImportError(`The input is larger than ${maxBytes} bytes: split it, or raise maxBytes (--max-bytes).`);
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw ConfigurationError.invalidOption(name, 'a positive integer', value);
  return value;
}

function isDatabaseError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'parent' in error && 'sql' in error;
}
