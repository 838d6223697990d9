/**
 * JSON that is already text: `jsonb` columns read as PostgreSQL's text output, compacted once,
 * so exports need not parse every document into objects only to serialise it again.
 *
 * @module
 */

/**
 * A compact JSON document kept as text. JSON writers splice `text` in as it is; formats that
 * need the value (YAML) parse it.
 *
 * @example
 * ```ts
 * const raw = RawJson.fromJsonb('{"a": [1, 2]}');
 * raw.text; // '{"a":[1,2]}'
 * `{"extra_data":${raw.text}}`;
 * ```
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** Wraps PostgreSQL's `jsonb` text output, compacted as by {@link compactJsonbText}. */
  static fromJsonb(text: string): RawJson {
    return new RawJson(compactJsonbText(text));
  }

  /** The parsed value. */
  parse(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const MAX_EXACT_DIGITS = 15;

/**
 * PostgreSQL's `jsonb` text output (`{"a": [1, 2]}`) in the exact form
 * `JSON.stringify(JSON.parse(text))` gives (`{"a":[1,2]}`), without building the objects:
 * the whitespace between tokens is dropped and strings are copied as they are (both escape the
 * same characters the same way). Documents whose round trip through JavaScript would change
 * more than whitespace (numbers with a fraction, an exponent, `-0` or more than 15 digits, and
 * integer-like object keys, which JavaScript reorders) take that round trip, so the result is
 * always what the object path wrote.
 *
 * @example
 * ```ts
 * compactJsonbText('{"title": ["old", "new"], "n": 3}'); // '{"title":["old","new"],"n":3}'
 * ```
 */
export function compactJsonbText(text: string): string {
  let result = '';
  let copied = 0;
  let index = 0;
  let keyCandidate = false;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = stringEnd(text, index);
      keyCandidate = isDigits(text, index + 1, end);
      index = end + 1;
      continue;
    }
    if (code === SPACE) {
      result += text.slice(copied, index);
      copied = index + 1;
    } else if (code === COLON) {
      if (keyCandidate) return roundTrip(text);
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      const end = numberEnd(text, index);
      if (!isPlainInteger(text, index, end)) return roundTrip(text);
      index = end;
      keyCandidate = false;
      continue;
    }
    keyCandidate = false;
    index += 1;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const code = text.charCodeAt(index);
    if (code === QUOTE || Number.isNaN(code)) return index;
    index += code === BACKSLASH ? 2 : 1;
  }
}

function numberEnd(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const code = text.charCodeAt(index);
    if (!((code >= 48 && code <= 57) || code === 46 || code === 101 || code === 69 || code === 43 || code === 45)) return index;
    index += 1;
  }
}

/** An integer JavaScript writes back digit for digit. */
function isPlainInteger(text: string, start: number, end: number): boolean {
  const digitsStart = text.charCodeAt(start) === 45 ? start + 1 : start;
  if (end - digitsStart > MAX_EXACT_DIGITS || end === digitsStart) return false;
  if (digitsStart > start && text.charCodeAt(digitsStart) === 48) return false; // -0
  return isDigits(text, digitsStart, end);
}

function isDigits(text: string, start: number, end: number): boolean {
  if (end === start) return false;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function roundTrip(text: string): string {
  return JSON.stringify(JSON.parse(text));
}
