import { constants } from 'node:buffer';
import { ImportError } from '../../errors.js';

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /**
   * A longer line fails the iteration with an ImportError naming it. Defaults to the longest
   * string JavaScript can hold (`buffer.constants.MAX_STRING_LENGTH`, about 512 Mi characters).
   */
  readonly maxLineLength?: number;
}

/**
 * The lines of a text stream (`\n` or `\r\n`), without a leading byte order mark. Unlike
 * `readline`, a failing input rejects the iteration instead of ending it quietly.
 *
 * Linear in the input however long a line is: each chunk is scanned for newlines once, and a
 * line spread over many chunks is kept as a list of pieces and joined once, when its end
 * arrives. (Appending each chunk to one string and searching it again from its start made one
 * 32 MB line take 37 s, issue 11.)
 *
 * @throws ImportError (rejecting the iteration) for a line longer than `maxLineLength`.
 * @example
 * ```ts
 * for await (const line of readLines(createReadStream('logs.ndjson'))) console.log(line);
 * ```
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, options: ReadLinesOptions = {}): AsyncGenerator<string> {
  const maxLength = options.maxLineLength ?? constants.MAX_STRING_LENGTH;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  /** The pieces of the line being read, and their total length. */
  let pieces: string[] = [];
  let pending = 0;
  let lineNumber = 0;
  const tooLong = (): ImportError =>
    new ImportError(`Line ${lineNumber + 1} is longer than ${maxLength} characters, more than one row can be read from.`);
  /** The line ending with `last`: the pieces joined once, a trailing `\r` removed. */
  const finish = (last: string): string => {
    if (pending + last.length > maxLength) throw tooLong();
    const line = pieces.length === 0 ? last : pieces.join('') + last;
    pieces = [];
    pending = 0;
    lineNumber += 1;
    return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield finish(text.slice(start, end));
      start = end + 1;
    }
    if (start === text.length) continue;
    pending += text.length - start;
    if (pending > maxLength) throw tooLong();
    pieces.push(start === 0 ? text : text.slice(start));
  }
  const rest = finish(decoder.decode());
  if (rest !== '') yield rest;
}
