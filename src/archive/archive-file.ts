import { canonicalUtcText } from '../transfer/canonical-utc-text.js';
import type { ArchiveRangeSummary } from './archive-range.js';

/**
 * One archive file written by `prune` with `archiveDir`: gzip-compressed ndjson, exactly what
 * `timeline-logger export --format ndjson` writes for the same rows (so `import` reads it back),
 * in id order.
 *
 * @example
 * ```ts
 * await TimelineLog.prune({ keepDays: 90, archiveDir: 'archive', onArchive: (file: ArchiveFile) => console.log(file.path, file.rows) });
 * ```
 */
export interface ArchiveFile {
  /** Where it is, e.g. `archive/timeline_logs_20261201T000000Z_20261231T235959Z_ids-1-10000.ndjson.gz`. */
  readonly path: string;
  /** How many logs it holds. */
  readonly rows: number;
  /** Its size on disk (compressed), in bytes. */
  readonly bytes: number;
  /** The lowest and highest id in it, as text (ids are `bigint`). */
  readonly firstId: string;
  readonly lastId: string;
  /** The earliest and latest timestamp in it (millisecond precision; an invalid Date for `infinity`). */
  readonly earliest: Date;
  readonly latest: Date;
  /** `true` when the file was already there with exactly these contents (an earlier run wrote it), and was kept. */
  readonly reused: boolean;
}

/**
 * The name of the archive of `range` from table `table`:
 * `<table>_<earliest>_<latest>_ids-<first>-<last>.ndjson.gz`, timestamps in ISO 8601 basic
 * format (UTC, whole seconds), so the names sort by time and say what each file holds.
 * Characters other than letters, digits, `_` and `-` in the table name become `_`.
 *
 * @example
 * ```ts
 * archiveFileName('timeline_logs', { rows: 2, firstId: '7', lastId: '9', earliest: '2026-12-01 00:00:00+00', latest: '2026-12-02 10:00:00.5+00' });
 * // 'timeline_logs_20261201T000000Z_20261202T100000Z_ids-7-9.ndjson.gz'
 * ```
 */
export function archiveFileName(table: string, range: ArchiveRangeSummary): string {
  const prefix = table.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${prefix}_${basicTimestamp(range.earliest)}_${basicTimestamp(range.latest)}_ids-${range.firstId}-${range.lastId}.ndjson.gz`;
}

/** `2026-12-01 10:20:30.5+00` → `20261201T102030Z` (a year before 1 or past 9999 keeps its sign and digits: `-0000440315T...`). */
function basicTimestamp(text: string): string {
  const canonical = canonicalUtcText(text); // 2026-12-01T10:20:30.500000Z, or infinity
  const match = /^(-?\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(canonical);
  return match === null ? canonical : `${match[1]}${match[2]}${match[3]}T${match[4]}${match[5]}${match[6]}Z`;
}

/**
 * The instant PostgreSQL's UTC text of a timestamp stands for (millisecond precision).
 *
 * @example
 * ```ts
 * dateOfTimestampText('2026-12-01 00:00:00.123456+00').toISOString(); // '2026-12-01T00:00:00.123Z'
 * ```
 */
export function dateOfTimestampText(text: string): Date {
  const canonical = canonicalUtcText(text);
  const match = /^(-?\d+)(-.*T.*\.\d{3})\d*Z$/.exec(canonical);
  if (match === null) return new Date(Number.NaN);
  const year = Number(match[1]);
  const expanded =
    year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return new Date(`${expanded}${match[2]}Z`);
}
