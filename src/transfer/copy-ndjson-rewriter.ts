import type { ByteSink } from './byte-sink.js';
import { canonicalUtcText } from './canonical-utc-text.js';
import { CopyRewriter } from './copy-rewriter.js';
import { compactJsonBytes } from './json-bytes.js';
import { compactJsonbText } from './raw-json.js';

/**
 * How the ndjson rewriter writes a column of `COPY` text output: `text` as a JSON string,
 * `key` as a number when it is at most 15 digits (else a string, as the key widget renders it),
 * `number` as it is (integer user keys), `timestamp` as its canonical text, `json` as the
 * compact document (a JSON string value as its JSON text, as the JSON widget renders it).
 */
export type CopyNdjsonColumn = 'text' | 'key' | 'number' | 'timestamp' | 'json';

/** One column of {@link CopyNdjsonRewriter}: its name in the file and how it is written. */
export interface CopyNdjsonField {
  readonly name: string;
  readonly kind: CopyNdjsonColumn;
}

const TAB = 9;
const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const ZERO = 48;
const NINE = 57;
const NULL_TEXT = Buffer.from('null');
const HEX = '0123456789abcdef';
const MAX_NUMBER_DIGITS = 15;
/** `COPY`'s text-format escapes that JSON spells the same way: `\\`, `\b`, `\f`, `\n`, `\r`, `\t`. */
const SAME_ESCAPE = new Uint8Array(128);
for (const char of '\\bfnrt') SAME_ESCAPE[char.charCodeAt(0)] = 1;

/**
 * Turns PostgreSQL's `COPY (SELECT ...) TO STDOUT` output (text format) of the stored columns
 * into exactly the lines the ndjson writer makes of the same rows: `{"id":7,...}` with the
 * keys in order, strings escaped as `JSON.stringify` does (the text format's own escapes are
 * mostly JSON's), timestamps canonical, `jsonb` compact (through `compactJsonbText` when
 * JavaScript would write it differently, as the writer does).
 *
 * @example
 * ```ts
 * const rewriter = new CopyNdjsonRewriter([{ name: 'id', kind: 'key' }, { name: 'event', kind: 'text' }]);
 * rewriter.push(Buffer.from('7\tsaid "hi"\n')).toString(); // '{"id":7,"event":"said \\"hi\\""}\n'
 * ```
 */
export class CopyNdjsonRewriter extends CopyRewriter {
  readonly #kinds: readonly CopyNdjsonColumn[];
  /** `{"id":`, `,"event":`, ...: what goes before each value. */
  readonly #keys: readonly Buffer[];

  constructor(fields: readonly CopyNdjsonField[]) {
    super();
    this.#kinds = fields.map((field) => field.kind);
    this.#keys = fields.map((field, index) => Buffer.from(`${index === 0 ? '{' : ','}${JSON.stringify(field.name)}:`));
  }

  /** A control character becomes 6 bytes (`\u0001`); keys and braces add the rest. */
  protected growth(): number {
    return 6;
  }

  protected rewriteRow(input: Buffer, start: number, sink: ByteSink): number {
    const kinds = this.#kinds;
    let position = start;
    for (let index = 0; index < kinds.length; index += 1) {
      const end = cellEnd(input, position);
      if (end === -1) return -1;
      const last = index === kinds.length - 1;
      if (input[end] !== (last ? NEWLINE : TAB)) throw new Error(`unexpected COPY output at column ${index + 1}`);
      const key = this.#keys[index] as Buffer;
      sink.copy(key, 0, key.length);
      if (end - position === 2 && input[position] === BACKSLASH && input[position + 1] === 78)
        sink.copy(NULL_TEXT, 0, 4); // \N
      else writeValue(kinds[index] as CopyNdjsonColumn, input, position, end, sink);
      position = end + 1;
    }
    sink.byte(125); // }
    sink.byte(NEWLINE);
    return position;
  }
}

function writeValue(kind: CopyNdjsonColumn, input: Buffer, start: number, end: number, sink: ByteSink): void {
  switch (kind) {
    case 'text':
      return writeJsonString(input, start, end, sink);
    case 'number':
      return sink.copy(input, start, end);
    case 'key':
      return writeKey(input, start, end, sink);
    case 'timestamp':
      return sink.text(JSON.stringify(canonicalUtcText(input.toString('latin1', start, end))));
    case 'json':
      return writeJson(input, start, end, sink);
  }
}

/** A key is a number when it is at most 15 digits (written as JavaScript writes `Number(text)`), else a string. */
function writeKey(input: Buffer, start: number, end: number, sink: ByteSink): void {
  const digits = end - start;
  if (digits === 0 || digits > MAX_NUMBER_DIGITS || !allDigits(input, start, end)) return writeJsonString(input, start, end, sink);
  if (input[start] !== ZERO || digits === 1) return sink.copy(input, start, end);
  sink.text(String(Number(input.toString('latin1', start, end))));
}

/** A `jsonb` document (its backslashes doubled by the text format), compact; a string value as a JSON string of its text. */
function writeJson(input: Buffer, start: number, end: number, sink: ByteSink): void {
  if (input[start] !== QUOTE) {
    const mark = sink.length;
    if (compactJsonBytes(input, start, end, 'copyText', sink)) return;
    sink.rewind(mark);
  }
  const text = compactJsonbText(unescapeCopyText(input.toString('utf8', start, end)));
  sink.text(text.startsWith('"') ? JSON.stringify(text) : text);
}

/** The cell's text as a JSON string: `"` and control characters escaped, the text format's escapes turned into JSON's. */
function writeJsonString(input: Buffer, start: number, end: number, sink: ByteSink): void {
  const output = sink.reserve((end - start) * 6 + 2);
  let written = sink.length;
  output[written++] = QUOTE;
  for (let position = start; position < end; position += 1) {
    const code = input[position] as number;
    if (code === BACKSLASH) {
      const escaped = input[position + 1] as number;
      position += 1;
      if (SAME_ESCAPE[escaped] === 1) {
        output[written++] = BACKSLASH;
        output[written++] = escaped;
        continue;
      }
      if (escaped !== 118) throw new Error(`unexpected COPY escape \\${String.fromCharCode(escaped)}`);
      written = writeUnicodeEscape(output, written, 11); // \v
    } else if (code === QUOTE) {
      output[written++] = BACKSLASH;
      output[written++] = QUOTE;
    } else if (code < 32) {
      written = writeUnicodeEscape(output, written, code);
    } else {
      output[written++] = code;
    }
  }
  output[written++] = QUOTE;
  sink.commit(written, undefined);
}

/** `\u00XX` (lower-case hex, as `JSON.stringify` writes it) at `written`; the index after it. */
function writeUnicodeEscape(output: Buffer, written: number, code: number): number {
  return written + output.write(`\\u00${HEX[code >> 4]}${HEX[code & 15]}`, written, 'latin1');
}

/** The text a `COPY` text-format value stands for (`\\` → `\`, `\n` → line feed, ...). */
function unescapeCopyText(text: string): string {
  return text.includes('\\') ? text.replace(/\\(.)/g, (_match, escaped: string) => COPY_ESCAPES[escaped] ?? escaped) : text;
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The index of the tab or newline ending the cell at `start`, or -1 when it is not complete. */
function cellEnd(input: Buffer, start: number): number {
  const length = input.length;
  for (let position = start; position < length; position += 1) {
    const code = input[position];
    if (code === TAB || code === NEWLINE) return position;
  }
  return -1;
}

function allDigits(input: Buffer, start: number, end: number): boolean {
  for (let position = start; position < end; position += 1) {
    const code = input[position] as number;
    if (code < ZERO || code > NINE) return false;
  }
  return true;
}
