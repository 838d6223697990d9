import { guardFormula } from '../formula-guard.js';

/** The field separators of csv and tsv. */
export type Delimiter = ',' | '\t';

/**
 * A function writing one value as a CSV (`,`) or TSV (tab) cell, RFC 4180 style: null is an
 * empty unquoted cell and the empty string `""` (as PostgreSQL's `COPY ... CSV` does), so both
 * survive a round trip; with `formulaGuard`, text a spreadsheet could run as a formula gets a
 * leading `'`; a cell is quoted when it holds a quote, the delimiter, a line feed or a carriage
 * return, or is exactly `\.` (PostgreSQL's end-of-data marker, which `COPY ... FROM` and psql
 * would stop at). Both export paths (rows rendered in JavaScript and `COPY` output) use it.
 *
 * @example
 * ```ts
 * const cell = delimitedCellWriter(',', true);
 * cell('=1+1');       // "'=1+1"
 * cell('a "b", c');   // '"a ""b"", c"'
 * cell(null);         // ''
 * cell('');           // '""'
 * ```
 */
export function delimitedCellWriter(delimiter: Delimiter, formulaGuard: boolean): (value: unknown) => string {
  const needsQuotes = delimiter === ',' ? /[",\n\r]/ : /["\t\n\r]/;
  return (value) => {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'string' ? value : String(value);
    if (text === '') return '""';
    if (formulaGuard) text = guardFormula(text);
    if (!needsQuotes.test(text) && text !== '\\.') return text;
    return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
  };
}
