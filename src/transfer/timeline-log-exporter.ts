import type { Writable } from 'node:stream';
import { ConfigurationError } from '../errors.js';
import { TIMELINE_COLUMNS, type TimelineColumn, type TimelineColumnKind } from '../model/timeline-columns.js';
import type { TimelineRuntime } from '../model/timeline-log.js';
import { copyExport, type CopyFormat } from './copy-export.js';
import type { ExportFilter } from './export-filter.js';
import { countExportRows, readExportChunks, type ExportTuple } from './export-reader.js';
import type { FormatName } from './formats/format-adapter.js';
import { FORMAT_NAMES, isFormatName, loadFormat } from './formats/format-registry.js';
import { positiveInteger } from './positive-integer.js';
import { Resource, type ResourceField } from './resource.js';
import { columnOfExportName, TIMELINE_LOG_COLUMNS, type TimelineLogColumn } from './timeline-log-columns.js';
import { describeTimelineTable, type TimelineTable } from './timeline-table.js';
import { builtInRendering, type RenderTarget, type Widget } from './widgets.js';

/** Options of `TimelineLogResource.exportTo`. */
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

/** What `TimelineLogResource.exportTo` did. */
export interface ExportSummary {
  /** Rows written. */
  readonly rows: number;
  readonly format: FormatName;
}

/** The parts of the resource an export reads: its selected fields and hooks (a subclass's overrides included). */
export interface ExportHooks {
  readonly fields: readonly ResourceField[];
  filterExport(filter: ExportFilter): ExportFilter;
  renderRow(row: Readonly<Record<string, unknown>>, target: RenderTarget): unknown[];
}

/** Export rows per query: 2000 ran as fast as 5000 at 1M rows with about 40 MB less peak RSS (bench/transfer.ts). */
const DEFAULT_CHUNK_SIZE = 2000;
const COPY_FORMATS: ReadonlySet<FormatName> = new Set(['csv', 'tsv', 'ndjson']);
/** The rendering a widget must have for `COPY` to write its column. */
const BUILT_IN_RENDERING: Readonly<Record<TimelineColumnKind, 'asIs' | 'key' | 'json'>> = {
  id: 'key',
  text: 'asIs',
  timestamp: 'asIs',
  userKey: 'key',
  json: 'json',
};
const JSON_COLUMNS: ReadonlySet<string> = new Set(
  TIMELINE_COLUMNS.filter((column) => column.kind === 'json').map((column) => column.exportName),
);

/**
 * The export half of `TimelineLogResource`. csv, tsv and ndjson exports whose columns all use
 * the built-in widgets go through one `COPY (SELECT ...) TO STDOUT` (see `copyExport`), whose
 * output is rewritten into the same bytes; every other export reads the logs in keyset chunks
 * and renders each row's tuple through the resource's widgets (or its own `renderRow`) into a
 * format writer.
 *
 * @example
 * ```ts
 * const exporter = new TimelineLogExporter(TimelineLog.runtime, resource);
 * await exporter.exportTo(process.stdout, { format: 'ndjson' });
 * ```
 */
export class TimelineLogExporter {
  constructor(
    private readonly runtime: TimelineRuntime,
    private readonly hooks: ExportHooks,
  ) {}

  /** The logs matching `filter` as objects of the selected columns (see `TimelineLogResource.rows`). */
  async *rows(options: { filter?: ExportFilter; chunkSize?: number } = {}): AsyncGenerator<Record<string, unknown>> {
    const columns = this.hooks.fields.map((field) => field.column);
    const render = this.#tupleRenderer({ flat: false });
    for await (const chunk of this.#chunks(options.filter ?? {}, options.chunkSize ?? DEFAULT_CHUNK_SIZE, false)) {
      for (const tuple of chunk) {
        const cells = render(tuple);
        yield Object.fromEntries(columns.map((column, index) => [column, cells[index]]));
      }
    }
  }

  /** How many logs an export with `filter` writes. */
  async count(filter: ExportFilter = {}): Promise<number> {
    return countExportRows(this.runtime.sequelize, await this.#table(), this.hooks.filterExport(filter));
  }

  /** Streams the logs to `output` (see `TimelineLogResource.exportTo`). */
  async exportTo(output: Writable, options: ExportOptions = {}): Promise<ExportSummary> {
    const format = options.format ?? 'csv';
    if (!isFormatName(format)) throw ConfigurationError.invalidOption('format', `one of ${FORMAT_NAMES.join(', ')}`, format);
    const adapter = await loadFormat(format);
    const columns = this.hooks.fields.map((field) => ({ name: field.column, kind: field.widget.kind }));
    const writerOptions = { columns, formulaGuard: options.formulaGuard ?? true, bom: options.bom ?? false };
    const copyColumns = this.#copyColumns(format);
    if (copyColumns !== null) {
      // The header (and byte order mark) are what the writer writes for no rows; COPY writes the rows.
      await adapter.createWriter(output, writerOptions).end();
      const rows = await copyExport(this.runtime.sequelize, await this.#table(), output, {
        format: format as CopyFormat,
        columns: copyColumns,
        filter: this.hooks.filterExport(options.filter ?? {}),
        formulaGuard: writerOptions.formulaGuard,
        onProgress: options.onProgress,
      });
      return { rows, format };
    }
    const render = this.#tupleRenderer({ flat: adapter.flat });
    const chunks = this.#chunks(options.filter ?? {}, options.chunkSize ?? DEFAULT_CHUNK_SIZE, this.#rendersJsonText());
    const writer = adapter.createWriter(output, writerOptions);
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

  async #table(): Promise<TimelineTable> {
    const { sequelize, options } = this.runtime;
    return describeTimelineTable(sequelize, options.tableName, options.userModel);
  }

  async *#chunks(filter: ExportFilter, chunkSize: number, jsonText: boolean): AsyncGenerator<ExportTuple[]> {
    const table = await this.#table();
    yield* readExportChunks(this.runtime.sequelize, table, this.hooks.filterExport(filter), positiveInteger('chunkSize', chunkSize), {
      jsonText,
    });
  }

  /** JSON columns (extra_data) may stay `jsonb` text when their widgets render such text (or they are not exported). */
  #rendersJsonText(): boolean {
    if (this.#customRenderRow()) return false;
    return this.hooks.fields.every((field) => !JSON_COLUMNS.has(field.column) || field.widget.rendersJsonText === true);
  }

  /**
   * The columns of a csv, tsv or ndjson export that `COPY` can write: every field a timeline
   * column rendered the built-in way (key, as is, JSON), and no overridden renderRow. Else
   * null: widgets of the resource's own and xlsx, yaml and json take the row-by-row way.
   */
  #copyColumns(format: FormatName): TimelineColumn[] | null {
    if (!COPY_FORMATS.has(format) || this.#customRenderRow()) return null;
    const columns: TimelineColumn[] = [];
    for (const field of this.hooks.fields) {
      const column = columnOfExportName(field.column);
      if (column === undefined || builtInRendering(field.widget) !== BUILT_IN_RENDERING[column.kind]) return null;
      columns.push(column);
    }
    return columns;
  }

  #customRenderRow(): boolean {
    return this.hooks.renderRow !== Resource.prototype.renderRow;
  }

  /**
   * Renders a row read as a tuple into cells, field by field (what renderRow does, without an
   * object per row). A subclass that overrides renderRow gets its row object as before.
   */
  #tupleRenderer(target: RenderTarget): (tuple: ExportTuple) => unknown[] {
    if (this.#customRenderRow()) {
      return (tuple) =>
        this.hooks.renderRow(Object.fromEntries(TIMELINE_LOG_COLUMNS.map((column, index) => [column, tuple[index]])), target);
    }
    const widgets = this.hooks.fields.map((field) => field.widget);
    const indexes = this.hooks.fields.map((field) => TIMELINE_LOG_COLUMNS.indexOf(field.column as TimelineLogColumn));
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
