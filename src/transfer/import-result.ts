import type { FieldMessage } from './resource.js';

/** What happened to one data row of an import. */
export type RowStatus = 'new' | 'update' | 'skip' | 'invalid' | 'error';

/** The outcome of one data row. */
export interface ImportRowResult {
  /** The data row number, 1-based; the header row is not counted. */
  readonly row: number;
  /** `new` inserted, `update` changed, `skip` identical to the stored row, `invalid` failed validation, `error` refused by the database. */
  readonly status: RowStatus;
  /** The log's id (assigned for new rows without one), or null when unknown. */
  readonly id: string | null;
  /** Why the row is invalid or failed, per field (`row` for the row as a whole). */
  readonly errors: readonly FieldMessage[];
}

/** Counts per status. */
export type ImportTotals = Record<RowStatus, number>;

/**
 * The result of an import: totals, per-row outcomes and whether anything was kept.
 *
 * @example
 * ```ts
 * const result = await resource.import('logs.csv', { dryRun: true });
 * if (result.totals.invalid > 0) for (const row of result.rows) if (row.status === 'invalid') console.log(row.row, row.errors);
 * ```
 */
export interface ImportResult {
  readonly totals: ImportTotals;
  /** Every row's outcome in file order, or only the `invalid` and `error` rows with `rowDetails: 'problems'`. */
  readonly rows: readonly ImportRowResult[];
  /** The import ran as a dry run. */
  readonly dryRun: boolean;
  /** The changes were kept (false after a dry run, or when invalid or failed rows rolled everything back). */
  readonly committed: boolean;
}

/**
 * Collects row outcomes; keeps all rows or only the problems (for huge files).
 *
 * @example
 * ```ts
 * const builder = new ImportResultBuilder(false);
 * builder.add({ row: 1, status: 'new', id: '7', errors: [] });
 * builder.build(false, true).totals.new; // 1
 * ```
 */
export class ImportResultBuilder {
  readonly totals: ImportTotals = { new: 0, update: 0, skip: 0, invalid: 0, error: 0 };
  readonly rows: ImportRowResult[] = [];
  constructor(private readonly keepAll: boolean) {}

  add(row: ImportRowResult): void {
    this.totals[row.status] += 1;
    if (this.keepAll || row.status === 'invalid' || row.status === 'error') this.rows.push(row);
  }

  get processed(): number {
    const { totals } = this;
    return totals.new + totals.update + totals.skip + totals.invalid + totals.error;
  }

  get failed(): boolean {
    return this.totals.invalid > 0 || this.totals.error > 0;
  }

  build(dryRun: boolean, committed: boolean): ImportResult {
    return { totals: { ...this.totals }, rows: this.rows, dryRun, committed };
  }
}
