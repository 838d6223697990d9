import type { Writable } from 'node:stream';
import { TimelineLog, type TimelineRuntime } from '../model/timeline-log.js';
import type { ExportFilter } from './export-filter.js';
import type { ImportResult } from './import-result.js';
import type { ImportSource } from './import-source.js';
import { Resource, type ResourceField, type ResourceOptions } from './resource.js';
import { TimelineLogExporter, type ExportOptions, type ExportSummary } from './timeline-log-exporter.js';
import { timelineLogFields } from './timeline-log-fields.js';
import { TimelineLogImporter, type ImportOptions } from './timeline-log-importer.js';

/** Options of {@link TimelineLogResource}. */
export interface TimelineLogResourceOptions extends ResourceOptions {
  /** The set-up model. Defaults to `TimelineLog` (call `setupTimeline` first). */
  readonly model?: typeof TimelineLog;
  /** Model names `content_type` may take on import (e.g. `Object.keys(sequelize.models)`). Defaults to any text. */
  readonly contentTypes?: readonly string[];
}

/**
 * Exports and imports timeline logs in csv, tsv, json, ndjson, yaml and xlsx: streaming, lossless
 * (timestamps in UTC with microseconds, `extra_data` as JSON), safe against spreadsheet formula
 * injection. The columns are `id, content_type, object_id, object_repr, timestamp, user,
 * user_repr, template, event, extra_data, correlation_id`; choose with `fields` / `exclude`.
 * Files without a `correlation_id` column (older exports, django-timeline-logger's) import
 * with none.
 *
 * The resource may be made before `setupTimeline` runs (the CLI checks `--fields` first): it
 * reads the setup's runtime when first used and keeps it.
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
  #runtime: TimelineRuntime | undefined;
  #exporter: TimelineLogExporter | undefined;
  #importer: TimelineLogImporter | undefined;

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
    yield* this.#exporterOnce().rows(options);
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
    return this.#exporterOnce().count(filter);
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
    return this.#exporterOnce().exportTo(output, options);
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
    this.#importer ??= new TimelineLogImporter(this.#runtimeOnce(), this, this.#contentTypes);
    return this.#importer.import(source, options);
  }

  #exporterOnce(): TimelineLogExporter {
    this.#exporter ??= new TimelineLogExporter(this.#runtimeOnce(), this);
    return this.#exporter;
  }

  /** The setup's runtime, read on first use (not in the constructor: the resource may be made before `setupTimeline`). */
  #runtimeOnce(): TimelineRuntime {
    this.#runtime ??= this.#model.runtime;
    return this.#runtime;
  }
}
