import type { FieldMessage } from './resource.js';

/**
 * A cleaned file row on its way to the database: `values` hold only the columns the file has
 * (by file column name); the batch checks append to `errors`, and a row with errors is invalid.
 *
 * @example
 * ```ts
 * const pending: PendingRow = { row: 1, values: { id: '7', event: 'created' }, errors: [] };
 * ```
 */
export interface PendingRow {
  /** The data row number, 1-based (the header is not counted). */
  readonly row: number;
  readonly values: Record<string, unknown>;
  readonly errors: FieldMessage[];
}
