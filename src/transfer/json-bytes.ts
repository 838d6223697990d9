import type { ByteSink } from './byte-sink.js';

/**
 * How `jsonb` text is encoded in the bytes {@link compactJsonBytes} reads:
 * - `raw`: as it is;
 * - `csvQuoted`: inside a quoted CSV cell, each `"` doubled (written back doubled);
 * - `copyText`: in `COPY`'s text format, each `\` doubled (written back single).
 */
export type JsonBytesEncoding = 'raw' | 'csvQuoted' | 'copyText';

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
/** JavaScript writes back integers of up to 15 digits digit for digit. */
const MAX_EXACT_DIGITS = 15;

/**
 * Writes PostgreSQL's `jsonb` text in `input[start, end)` to `sink` without the spaces between
 * tokens, byte by byte (strings are copied as they are: PostgreSQL and `JSON.stringify` escape
 * the same characters the same way). That is exactly `JSON.stringify(JSON.parse(text))` unless
 * the document has a number JavaScript would write differently (a fraction, an exponent,
 * more than 15 digits, `-0`) or an integer-like object key (JavaScript puts those first): then
 * it returns `false`, having written part of the document, and the caller takes the
 * `compactJsonbText` way instead (see raw-json.ts, the same rules).
 *
 * @example
 * ```ts
 * const sink = new ByteSink(64);
 * compactJsonBytes(Buffer.from('{"a": [1, 2]}'), 0, 13, 'raw', sink); // true
 * sink.bytes().toString(); // '{"a":[1,2]}'
 * ```
 */
export function compactJsonBytes(input: Buffer, start: number, end: number, encoding: JsonBytesEncoding, sink: ByteSink): boolean {
  const quoteWidth = encoding === 'csvQuoted' ? 2 : 1;
  const backslashWidth = encoding === 'copyText' ? 2 : 1;
  const output = sink.reserve(end - start);
  let written = sink.length;
  let inString = false;
  let digitsOnly = false;
  let stringLength = 0;
  let digitKey = false;
  let position = start;
  while (position < end) {
    const code = input[position] as number;
    if (inString) {
      if (code === QUOTE) {
        output[written++] = QUOTE;
        if (quoteWidth === 2) output[written++] = QUOTE;
        position += quoteWidth;
        inString = false;
        digitKey = digitsOnly && stringLength > 0;
        continue;
      }
      if (code === BACKSLASH) {
        if (backslashWidth === 2 && input[position + 1] !== BACKSLASH) return sink.commit(written, false);
        output[written++] = BACKSLASH;
        position += backslashWidth;
        // The escaped character, which may itself be a (doubled) quote or backslash.
        const escaped = input[position] as number;
        const width = escaped === QUOTE ? quoteWidth : escaped === BACKSLASH ? backslashWidth : 1;
        for (let index = 0; index < width; index += 1) output[written++] = input[position + index] as number;
        if (escaped === BACKSLASH && width === 2) written -= 1; // copyText: one backslash out
        position += width;
        digitsOnly = false;
        stringLength += 1;
        continue;
      }
      output[written++] = code;
      if (code < ZERO || code > NINE) digitsOnly = false;
      stringLength += 1;
      position += 1;
      continue;
    }
    if (code === SPACE) {
      position += 1;
      continue;
    }
    if (code === QUOTE) {
      output[written++] = QUOTE;
      if (quoteWidth === 2) output[written++] = QUOTE;
      position += quoteWidth;
      inString = true;
      digitsOnly = true;
      stringLength = 0;
      continue;
    }
    if (code === COLON && digitKey) return sink.commit(written, false);
    digitKey = false;
    if (code === MINUS || (code >= ZERO && code <= NINE)) {
      const numberEnd = plainIntegerEnd(input, position, end);
      if (numberEnd === -1) return sink.commit(written, false);
      while (position < numberEnd) output[written++] = input[position++] as number;
      continue;
    }
    output[written++] = code;
    position += 1;
  }
  return sink.commit(written, true);
}

/** The end of the integer at `start` when JavaScript writes it back unchanged, else -1. */
function plainIntegerEnd(input: Buffer, start: number, end: number): number {
  const digitsStart = input[start] === MINUS ? start + 1 : start;
  let position = digitsStart;
  while (position < end) {
    const code = input[position] as number;
    if (code < ZERO || code > NINE) break;
    position += 1;
  }
  const digits = position - digitsStart;
  if (digits === 0 || digits > MAX_EXACT_DIGITS) return -1;
  if (digitsStart > start && input[digitsStart] === ZERO) return -1; // -0
  const next = input[position];
  return next === 46 || next === 101 || next === 69 ? -1 : position; // . e E
}
