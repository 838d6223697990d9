/**
 * A small generic import/export resource in the spirit of django-import-export: a list of
 * fields (column name + widget), chosen with `fields` / `exclude`, and hooks subclasses override.
 *
 * @module
 */
import { ConfigurationError } from '../errors.js';
import { FieldValueError, type RenderTarget, type Widget } from './widgets.js';

/** One column of a resource. */
export interface ResourceField<T = unknown> {
  /** The column name in files. */
  readonly column: string;
  /** Converts between the value and the file cell. */
  readonly widget: Widget<T>;
}

/** Which columns a resource imports and exports. */
export interface ResourceOptions {
  /** Only these columns, in this order. Defaults to every column of the resource. */
  readonly fields?: readonly string[];
  /** Leave these columns out. Defaults to `[]`. */
  readonly exclude?: readonly string[];
}

/** A validation message about one field of one row. */
export interface FieldMessage {
  /** The column. */
  readonly field: string;
  /** What is wrong, e.g. `not valid JSON: Unexpected token`. */
  readonly message: string;
}

/** A file row after cleaning: the values of the columns it has, and the messages of those that failed. */
export interface CleanedRow {
  readonly values: Readonly<Record<string, unknown>>;
  readonly errors: readonly FieldMessage[];
}

/**
 * The generic core: fields, their selection, rendering and cleaning, and the hooks
 * `beforeImportRow`, `afterImport` and `filterExport` (no-ops here; override them).
 *
 * @typeParam Filter what `filterExport` receives and returns.
 * @typeParam Result what `afterImport` receives.
 * @example
 * ```ts
 * class AuditResource extends TimelineLogResource {
 *   override filterExport(filter: ExportFilter): ExportFilter {
 *     return { ...filter, event: 'deleted' };
 *   }
 * }
 * ```
 */
export class Resource<Filter, Result> {
  /** The selected fields, in column order. */
  readonly fields: readonly ResourceField[];

  constructor(declared: readonly ResourceField[], options: ResourceOptions = {}) {
    this.fields = Object.freeze(selectFields(declared, options));
  }

  /** The selected column names, in order. */
  get columns(): string[] {
    return this.fields.map((field) => field.column);
  }

  /** One exported row as cells in column order. */
  renderRow(row: Readonly<Record<string, unknown>>, target: RenderTarget): unknown[] {
    return this.fields.map((field) => field.widget.render(row[field.column] as never, target));
  }

  /** Cleans the selected columns a file row has (absent columns are left out of `values`). */
  cleanRow(record: Readonly<Record<string, unknown>>): CleanedRow {
    const values: Record<string, unknown> = {};
    const errors: FieldMessage[] = [];
    for (const field of this.fields) {
      if (!Object.hasOwn(record, field.column)) continue;
      try {
        values[field.column] = field.widget.clean(record[field.column]);
      } catch (error) {
        if (!(error instanceof FieldValueError)) throw error;
        errors.push({ field: field.column, message: error.message });
      }
    }
    return { values, errors };
  }

  /**
   * Called with each file row (column → cell) before it is cleaned; return the row to import.
   * `rowNumber` is the data row number (the header is not counted). Defaults to the row as is.
   */
  beforeImportRow(record: Record<string, unknown>, rowNumber: number): Record<string, unknown> | Promise<Record<string, unknown>> {
    void rowNumber;
    return record;
  }

  /** Called once after an import, before its transaction commits (throw to roll it back). Defaults to nothing. */
  afterImport(result: Result): void | Promise<void> {
    void result;
  }

  /** Narrows what an export reads. Defaults to the filter as given. */
  filterExport(filter: Filter): Filter {
    return filter;
  }
}

function selectFields(declared: readonly ResourceField[], options: ResourceOptions): ResourceField[] {
  const known = new Map(declared.map((field) => [field.column, field]));
  const unknown = [...(options.fields ?? []), ...(options.exclude ?? [])].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw ConfigurationError.invalidOption('fields/exclude', `column names among ${[...known.keys()].join(', ')}`, unknown.join(', '));
  }
  const chosen = options.fields ? options.fields.map((name) => known.get(name) as ResourceField) : [...declared];
  const excluded = new Set(options.exclude ?? []);
  const result = chosen.filter((field) => !excluded.has(field.column));
  if (result.length === 0) throw ConfigurationError.invalidOption('fields/exclude', 'a selection of at least one column', 'none');
  return result;
}
