import { TIMELINE_COLUMNS, type TimelineColumn, type TimelineColumnKind } from '../model/timeline-columns.js';

/**
 * One column of {@link TimelineLogResource}: the `exportName` of a timeline column.
 *
 * The names are spelled out because the model's column list is typed as plain strings; the
 * list itself ({@link TIMELINE_LOG_COLUMNS}) comes from the table definition.
 */
export type TimelineLogColumn =
  | 'id'
  | 'content_type'
  | 'object_id'
  | 'object_repr'
  | 'timestamp'
  | 'user'
  | 'user_repr'
  | 'template'
  | 'event'
  | 'extra_data'
  | 'correlation_id';

/**
 * The columns of {@link TimelineLogResource}, in their default order: the file names of the
 * timeline table's columns (`TIMELINE_COLUMNS`), so a new column appears here by itself.
 *
 * @example
 * ```ts
 * TIMELINE_LOG_COLUMNS; // ['id', 'content_type', ..., 'event', 'extra_data', 'correlation_id']
 * ```
 */
export const TIMELINE_LOG_COLUMNS: readonly TimelineLogColumn[] = Object.freeze(
  TIMELINE_COLUMNS.map((column) => column.exportName as TimelineLogColumn),
);

const BY_EXPORT_NAME: ReadonlyMap<string, TimelineColumn> = new Map(TIMELINE_COLUMNS.map((column) => [column.exportName, column]));

/**
 * The timeline column a file column stands for, or undefined for a name that is none.
 *
 * @example
 * ```ts
 * columnOfExportName('user')?.field; // 'user_id'
 * ```
 */
export function columnOfExportName(name: string): TimelineColumn | undefined {
  return BY_EXPORT_NAME.get(name);
}

/**
 * The one column of `kind` (the primary key, the user key): import and export treat it apart.
 *
 * @throws TypeError when the table definition has none or several of that kind.
 * @example
 * ```ts
 * singleColumnOfKind('userKey').exportName; // 'user'
 * ```
 */
export function singleColumnOfKind(kind: TimelineColumnKind): TimelineColumn {
  const found = TIMELINE_COLUMNS.filter((column) => column.kind === kind);
  if (found.length !== 1) throw new TypeError(`the timeline table must have one ${kind} column (it has ${found.length})`);
  return found[0] as TimelineColumn;
}

/**
 * The positions of the columns of `kind` in {@link TIMELINE_COLUMNS} order (the order of export tuples).
 *
 * @example
 * ```ts
 * indexesOfKind('json'); // [9]
 * ```
 */
export function indexesOfKind(kind: TimelineColumnKind): number[] {
  return TIMELINE_COLUMNS.flatMap((column, index) => (column.kind === kind ? [index] : []));
}
