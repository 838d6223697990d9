/**
 * A growable byte buffer for the `COPY` rewriters: bytes are copied, appended or written in
 * place (`reserve` + `commit`) without a Buffer or string per cell.
 *
 * @example
 * ```ts
 * const sink = new ByteSink(16);
 * sink.copy(Buffer.from('abc'), 0, 2);
 * sink.text('é');
 * sink.bytes().toString(); // 'abé'
 * ```
 */
/** Copies up to this many bytes byte by byte (measured: faster than Buffer#copy below about 64). */
const SHORT_COPY = 48;

export class ByteSink {
  /** Bytes written so far. */
  length = 0;
  #buffer: Buffer;

  constructor(capacity: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(capacity, 64));
  }

  /** Makes room for `count` more bytes and returns the buffer to write them at `length` (then call {@link commit}). */
  reserve(count: number): Buffer {
    const needed = this.length + count;
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#buffer.length * 2));
      this.#buffer.copy(grown, 0, 0, this.length);
      this.#buffer = grown;
    }
    return this.#buffer;
  }

  /** Sets the length after writing into the buffer {@link reserve} returned; returns `result` (for a caller's return). */
  commit<T>(length: number, result: T): T {
    this.length = length;
    return result;
  }

  /** Appends `source[start, end)`. */
  copy(source: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const buffer = this.reserve(end - start);
    if (end - start > SHORT_COPY) {
      this.length += source.copy(buffer, this.length, start, end);
      return;
    }
    // A loop beats a native call for a few bytes (most copies are a cell or two).
    let written = this.length;
    for (let index = start; index < end; index += 1) buffer[written++] = source[index] as number;
    this.length = written;
  }

  /** Appends one byte. */
  byte(code: number): void {
    this.reserve(1)[this.length] = code;
    this.length += 1;
  }

  /** Appends `text` as UTF-8. */
  text(text: string): void {
    const buffer = this.reserve(text.length * 3);
    this.length += buffer.write(text, this.length, 'utf8');
  }

  /** Forgets everything written after `length` was `mark`. */
  rewind(mark: number): void {
    this.length = mark;
  }

  /** The bytes written (a view of the buffer: write no more after taking it). */
  bytes(): Buffer {
    return this.#buffer.subarray(0, this.length);
  }
}
