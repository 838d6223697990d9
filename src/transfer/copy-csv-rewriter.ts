import { canonicalUtcText } from './canonical-utc-text.js';
import { delimitedCellWriter, type Delimiter } from './formats/delimited-cell.js';
import { compactJsonbText } from './raw-json.js';
import type { ByteSink } from './byte-sink.js';
import { CopyRewriter } from './copy-rewriter.js';
import { isFormulaStart } from './formula-guard.js';
import { compactJsonBytes } from './json-bytes.js';

/** How the rewriter treats a column of `COPY ... CSV` output. */
export type CopyCsvColumn = 'text' | 'timestamp' | 'json';

const QUOTE = 34;
const NEWLINE = 10;
const BACKSLASH = 92;
const DOT = 46;
const APOSTROPHE = 39;
const MINUS = 45;

/**
 * Turns PostgreSQL's `COPY (SELECT ...) TO STDOUT (FORMAT csv)` output of the stored columns
 * into exactly what the CSV/TSV writer makes of the same rows, without parsing them into
 * values: PostgreSQL already quotes cells as the writer does (null empty, `''` as `""`,
 * quoted for a quote, the delimiter, CR or LF), so most bytes are copied as they are. The
 * rewriter adds the formula guard's `'`, quotes a bare `\.`, writes timestamps (read in UTC)
 * in the canonical form and drops `jsonb`'s spaces; a JSON document whose JavaScript
 * round trip would change more than spaces (fractions, exponents, long numbers, `-0`,
 * integer-like keys) is rewritten by `compactJsonbText`, as the writer does. Rows may be split
 * across chunks at any byte; the unfinished end waits for the next chunk.
 *
 * @example
 * ```ts
 * const rewriter = new CopyCsvRewriter(['text', 'timestamp', 'json'], ',', true);
 * rewriter.push(Buffer.from('=x,2020-01-01 00:00:00+00,"{""a"": 1}"\n')).toString();
 * // "'=x,2020-01-01T00:00:00.000000Z,\"{\"\"a\"\":1}\"\n"
 * ```
 */
export class CopyCsvRewriter extends CopyRewriter {
  readonly #columns: readonly CopyCsvColumn[];
  readonly #delimiter: number;
  readonly #guard: boolean;
  readonly #cell: (value: unknown) => string;

  constructor(columns: readonly CopyCsvColumn[], delimiter: Delimiter, formulaGuard: boolean) {
    super();
    this.#columns = columns;
    this.#delimiter = delimiter.charCodeAt(0);
    this.#guard = formulaGuard;
    this.#cell = delimitedCellWriter(delimiter, formulaGuard);
  }

  /** Timestamps grow by 5 bytes, JSON shrinks by its spaces. */
  protected growth(): number {
    return 1.1;
  }

  protected rewriteRow(input: Buffer, start: number, sink: ByteSink): number {
    const length = input.length;
    const columns = this.#columns;
    let position = start;
    let copied = start;
    for (let index = 0; index < columns.length; index += 1) {
      const cellStart = position;
      const quoted = input[position] === QUOTE;
      const end = quoted ? quotedCellEnd(input, position) : plainCellEnd(input, position, this.#delimiter);
      if (end === -1 || end >= length) return -1;
      const last = index === columns.length - 1;
      if (input[end] !== (last ? NEWLINE : this.#delimiter)) throw new Error(`unexpected COPY output at column ${index + 1}`);
      const kind = columns[index];
      if (end > cellStart) {
        if (kind === 'text') {
          const first = quoted ? cellStart + 1 : cellStart;
          if (this.#guard && first < (quoted ? end - 1 : end) && isFormulaStart(input[first] as number)) {
            sink.copy(input, copied, first);
            sink.byte(APOSTROPHE);
            copied = first;
          } else if (!quoted && end - cellStart === 2 && input[cellStart] === BACKSLASH && input[cellStart + 1] === DOT) {
            sink.copy(input, copied, cellStart);
            sink.text(this.#cell('\\.'));
            copied = end;
          }
        } else {
          sink.copy(input, copied, cellStart);
          if (kind === 'json') this.#json(input, cellStart, end, quoted, sink);
          else if (!writeUtcTimestamp(input, cellStart, end, sink))
            sink.text(this.#cell(canonicalUtcText(input.toString('latin1', cellStart, end))));
          copied = end;
        }
      }
      position = end + 1;
    }
    sink.copy(input, copied, position);
    return position;
  }

  /** The JSON cell `input[start, end)` compacted into `sink`: byte by byte, or through `compactJsonbText` when it is not plain. */
  #json(input: Buffer, start: number, end: number, quoted: boolean, sink: ByteSink): void {
    const mark = sink.length;
    const first = quoted ? start + 1 : start;
    if (quoted) sink.byte(QUOTE);
    if (this.#guard && input[first] === MINUS) sink.byte(APOSTROPHE);
    const contentEnd = quoted ? end - 1 : end;
    if (compactJsonBytes(input, first, contentEnd, quoted ? 'csvQuoted' : 'raw', sink)) {
      if (quoted) sink.byte(QUOTE);
      return;
    }
    sink.rewind(mark);
    const stored = input.toString('utf8', first, contentEnd);
    sink.text(this.#cell(compactJsonbText(quoted ? stored.replaceAll('""', '"') : stored)));
  }
}

/**
 * Writes the common spelling `YYYY-MM-DD HH:MM:SS[.f]+00` in canonical form byte by byte (what
 * `canonicalUtcText` makes of it; no guard or quoting applies to it). False for any other
 * spelling (other years, BC, infinity), which the caller passes to `canonicalUtcText`.
 */
function writeUtcTimestamp(input: Buffer, start: number, end: number, sink: ByteSink): boolean {
  const length = end - start;
  if (length < 22 || length > 29 || input[start + 4] !== 45 || input[start + 10] !== 32 || input[end - 3] !== 43) return false;
  const fractionDigits = length === 22 ? 0 : length - 23; // '.f..f' between the seconds and '+00'
  if (fractionDigits === 0 ? length !== 22 : input[start + 19] !== DOT) return false;
  const output = sink.reserve(27);
  let written = sink.length;
  for (let index = 0; index < 19; index += 1) output[written++] = input[start + index] as number;
  output[written - 9] = 84; // T
  output[written++] = DOT;
  for (let index = 0; index < fractionDigits; index += 1) output[written++] = input[start + 20 + index] as number;
  for (let index = fractionDigits; index < 6; index += 1) output[written++] = 48;
  output[written++] = 90; // Z
  sink.commit(written, undefined);
  return true;
}

/** The index after the closing quote of the quoted cell at `start` (`""` inside is a quote), or -1 when it is not complete. */
function quotedCellEnd(input: Buffer, start: number): number {
  let position = start + 1;
  for (;;) {
    const quote = input.indexOf(QUOTE, position);
    if (quote === -1 || quote + 1 >= input.length) return -1;
    if (input[quote + 1] !== QUOTE) return quote + 1;
    position = quote + 2;
  }
}

/** The index of the delimiter or newline ending the unquoted cell at `start`, or -1 when it is not complete. */
function plainCellEnd(input: Buffer, start: number, delimiter: number): number {
  const length = input.length;
  for (let position = start; position < length; position += 1) {
    const code = input[position];
    if (code === delimiter || code === NEWLINE) return position;
  }
  return -1;
}
