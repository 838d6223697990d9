import type { CopyRowObserver } from '../transfer/copy-rewriter.js';

const TAB = 9;

/** What an archive file holds: its row count, first and last id, earliest and latest timestamp. */
export interface ArchiveRangeSummary {
  readonly rows: number;
  /** The ids as PostgreSQL writes them (a `bigint` may not fit a JavaScript number). */
  readonly firstId: string;
  readonly lastId: string;
  /** PostgreSQL's text of the timestamps in a UTC, ISO session, e.g. `2026-12-01 00:00:00+00`. */
  readonly earliest: string;
  readonly latest: string;
}

/**
 * Watches the `COPY` text rows of an archive (in id order) and keeps what its name says: the
 * first and last id and the earliest and latest timestamp. Give {@link ArchiveRange.observe} to
 * `CopyRewriter.observeRows`.
 *
 * @example
 * ```ts
 * const range = new ArchiveRange(0, 4);
 * rewriter.observeRows(range.observe);
 * // ... after the copy:
 * range.summary(); // { rows: 2, firstId: '7', lastId: '9', earliest: '2026-...', latest: '2026-...' }
 * ```
 */
export class ArchiveRange {
  #rows = 0;
  #firstId = '';
  #lastId = '';
  #earliest = '';
  #latest = '';

  /** `idColumn` and `timestampColumn`: the 0-based positions of those cells in each row. */
  constructor(
    private readonly idColumn: number,
    private readonly timestampColumn: number,
  ) {}

  /** The observer: reads the id and timestamp cells of one row. */
  readonly observe: CopyRowObserver = (input, start, end) => {
    const id = cellText(input, start, end, this.idColumn);
    const timestamp = cellText(input, start, end, this.timestampColumn);
    if (this.#rows === 0) {
      this.#firstId = id;
      this.#earliest = timestamp;
      this.#latest = timestamp;
    } else if (compareTimestampText(timestamp, this.#earliest) < 0) this.#earliest = timestamp;
    else if (compareTimestampText(timestamp, this.#latest) > 0) this.#latest = timestamp;
    this.#lastId = id;
    this.#rows += 1;
  };

  /** What the rows seen so far span, or null when there were none. */
  summary(): ArchiveRangeSummary | null {
    if (this.#rows === 0) return null;
    return { rows: this.#rows, firstId: this.#firstId, lastId: this.#lastId, earliest: this.#earliest, latest: this.#latest };
  }
}

/** The text of cell `column` of the row `input[start, end)` (it ends with its newline). */
function cellText(input: Buffer, start: number, end: number, column: number): string {
  let position = start;
  for (let index = 0; index < column; index += 1) position = input.indexOf(TAB, position) + 1;
  const tab = input.indexOf(TAB, position);
  return input.toString('latin1', position, tab === -1 || tab >= end ? end - 1 : tab);
}

/**
 * Orders PostgreSQL's text of two UTC timestamps (`2026-12-01 00:00:00.5+00`, `12345-...`,
 * `0044-03-15 ... BC`, `infinity`): by year first (years may have more than 4 digits, and BC
 * counts down), then as text, which orders the rest of a year correctly.
 *
 * @example
 * ```ts
 * compareTimestampText('9999-01-01 00:00:00+00', '10000-01-01 00:00:00+00'); // negative
 * ```
 */
export function compareTimestampText(a: string, b: string): number {
  const yearA = yearOf(a);
  const yearB = yearOf(b);
  if (yearA !== yearB) return yearA < yearB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The astronomical year of a timestamp's text (1 BC is 0), or ±Infinity for `infinity`/`-infinity`. */
function yearOf(text: string): number {
  if (text === 'infinity') return Infinity;
  if (text === '-infinity') return -Infinity;
  const year = Number(text.slice(0, text.indexOf('-')));
  return text.endsWith(' BC') ? 1 - year : year;
}
