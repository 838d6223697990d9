/**
 * Parser for the Python literals django-timeline-logger writes for `extra_data` in CSV
 * exports (`str(dict)`, e.g. `{'a': True, 'n': None, 's': "it's"}`). It reads exactly what
 * Python's `ast.literal_eval` would for these JSON-like values and refuses everything else,
 * instead of guessing (for example by swapping quotes, which corrupts `"it's"`).
 *
 * @module
 */
import type { JsonValue } from '../model/to-json-value.js';
import { MAX_JSON_DEPTH } from './json-value-check.js';

/** The result of {@link parsePythonLiteral}. */
export type ParsedPythonLiteral = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly reason: string };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};
const NUMBER = /^-?(?:\d+(?:_\d+)*)?(?:\.\d*)?(?:[eE][+-]?\d+)?/;

class PythonSyntaxError extends Error {}

/**
 * Parses one Python literal made of dicts (string keys), lists, tuples (as arrays), strings
 * (single or double quoted, with Python's escapes), ints, floats, `True`, `False` and `None`.
 *
 * @example
 * ```ts
 * parsePythonLiteral(`{'a': True, 'n': None, 'l': [1, 2.5, "it's"]}`);
 * // { ok: true, value: { a: true, n: null, l: [1, 2.5, "it's"] } }
 * parsePythonLiteral(`{'when': datetime.date(2016, 7, 1)}`);
 * // { ok: false, reason: 'unexpected "d" at position 10 ...' }
 * ```
 */
export function parsePythonLiteral(text: string): ParsedPythonLiteral {
  const parser = new LiteralParser(text);
  try {
    const value = parser.document();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof PythonSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

class LiteralParser {
  #position = 0;
  constructor(private readonly text: string) {}

  document(): JsonValue {
    const value = this.value(0);
    this.#skipSpace();
    if (this.#position < this.text.length) this.#fail('unexpected text after the value');
    return value;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) this.#fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.#skipSpace();
    const char = this.text[this.#position];
    if (char === '{') return this.#dict(depth);
    if (char === '[') return this.#sequence(depth, ']');
    if (char === '(') return this.#sequence(depth, ')');
    if (char === "'" || char === '"') return this.#string();
    if (char === 'u' || char === 'U') {
      const next = this.text[this.#position + 1];
      if (next === "'" || next === '"') {
        this.#position += 1;
        return this.#string();
      }
    }
    if (char !== undefined && /[-+\d.]/.test(char)) return this.#number();
    for (const [word, value] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (this.text.startsWith(word, this.#position) && !/\w/.test(this.text[this.#position + word.length] ?? '')) {
        this.#position += word.length;
        return value;
      }
    }
    return this.#fail(char === undefined ? 'unexpected end of text' : 'expected a dict, list, tuple, string, number, True, False or None');
  }

  #dict(depth: number): JsonValue {
    this.#position += 1;
    const result: Record<string, JsonValue> = {};
    for (;;) {
      this.#skipSpace();
      if (this.#eat('}')) return result;
      const keyChar = this.text[this.#position];
      if (keyChar !== "'" && keyChar !== '"') this.#fail('dict keys must be strings (JSON has no other keys)');
      const key = this.#string();
      this.#skipSpace();
      if (!this.#eat(':')) this.#fail('expected ":" after a dict key');
      Object.defineProperty(result, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.#skipSpace();
      if (this.#eat('}')) return result;
      if (!this.#eat(',')) this.#fail('expected "," or "}" in a dict');
    }
  }

  #sequence(depth: number, close: string): JsonValue {
    this.#position += 1;
    const result: JsonValue[] = [];
    for (;;) {
      this.#skipSpace();
      if (this.#eat(close)) return result;
      result.push(this.value(depth + 1));
      this.#skipSpace();
      if (this.#eat(close)) return result;
      if (!this.#eat(',')) this.#fail(`expected "," or "${close}"`);
    }
  }

  #string(): string {
    const quote = this.text[this.#position] as string;
    if (this.text.startsWith(quote.repeat(3), this.#position)) this.#fail('triple-quoted strings are not supported');
    this.#position += 1;
    let result = '';
    for (;;) {
      const char = this.text[this.#position];
      if (char === undefined || char === '\n') this.#fail('unterminated string');
      this.#position += 1;
      if (char === quote) return result;
      result += char === '\\' ? this.#escape() : char;
    }
  }

  #escape(): string {
    const char = this.text[this.#position];
    if (char === undefined) this.#fail('unterminated string');
    this.#position += 1;
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return simple;
    if (char === 'x') return this.#codePoint(2);
    if (char === 'u') return this.#codePoint(4);
    if (char === 'U') return this.#codePoint(8);
    if (/[0-7]/.test(char)) {
      let digits = char;
      while (digits.length < 3 && /[0-7]/.test(this.text[this.#position] ?? '')) digits += this.text[this.#position++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    if (char === 'N') this.#fail('\\N{...} escapes are not supported');
    return `\\${char}`; // Python keeps unknown escapes as they are
  }

  #codePoint(length: number): string {
    const hex = this.text.slice(this.#position, this.#position + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) this.#fail(`expected ${length} hex digits after the escape`);
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) this.#fail('escape beyond the last Unicode code point');
    this.#position += length;
    return String.fromCodePoint(code);
  }

  #number(): number {
    let sign = 1;
    const start = this.#position;
    if (this.text[this.#position] === '+') this.#position += 1;
    else if (this.text[this.#position] === '-') {
      sign = -1;
      this.#position += 1;
    }
    const match = NUMBER.exec(this.text.slice(this.#position));
    const literal = match?.[0] ?? '';
    if (!/\d/.test(literal) || literal.startsWith('-')) this.#fail('expected a number', start);
    if (/^0\d/.test(literal.replaceAll('_', '')) && /^\d+$/.test(literal.replaceAll('_', '')))
      this.#fail('leading zeros are not a Python int', start);
    this.#position += literal.length;
    if (/[\w.]/.test(this.text[this.#position] ?? '')) this.#fail('malformed number (complex, hex or similar are not JSON values)', start);
    const value = sign * Number(literal.replaceAll('_', ''));
    const isInteger = /^[\d_]+$/.test(literal);
    if (isInteger && !Number.isSafeInteger(value)) this.#fail('integer too large to keep exactly', start);
    if (!Number.isFinite(value)) this.#fail('number out of range', start);
    return value === 0 ? 0 * sign : value;
  }

  #skipSpace(): void {
    while (/\s/.test(this.text[this.#position] ?? '')) this.#position += 1;
  }

  #eat(char: string): boolean {
    if (this.text[this.#position] !== char) return false;
    this.#position += 1;
    return true;
  }

  #fail(message: string, at = this.#position): never {
    throw new PythonSyntaxError(`${message} at position ${at} of a Python literal`);
  }
}
