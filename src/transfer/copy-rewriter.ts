import { ByteSink } from './byte-sink.js';

/** Sees one row of `COPY` text output: `input[start, end)`, its newline included. */
export type CopyRowObserver = (input: Buffer, start: number, end: number) => void;

/**
 * The streaming half of a `COPY ... TO STDOUT` export: turns PostgreSQL's output, chunk by
 * chunk, into the bytes of the export file, row by row. A row split across chunks waits for
 * the next one. Subclasses rewrite one complete row.
 *
 * @example
 * ```ts
 * for await (const chunk of copyStream) await writeText(output, rewriter.push(chunk));
 * rewriter.finish();
 * ```
 */
export abstract class CopyRewriter {
  /** Rows rewritten so far. */
  rows = 0;
  #carry: Buffer | null = null;
  #observer: CopyRowObserver | null = null;

  /**
   * Has `observer` see each row's `COPY` text as it is rewritten (the archive writer reads the
   * id and timestamp of each row from it). Returns the rewriter.
   */
  observeRows(observer: CopyRowObserver): this {
    this.#observer = observer;
    return this;
  }

  /** The rewritten complete rows of `chunk` (after what was left of the last row). */
  push(chunk: Buffer): Buffer {
    const input = this.#carry === null ? chunk : Buffer.concat([this.#carry, chunk]);
    const sink = new ByteSink(Math.ceil(input.length * this.growth()) + 1024);
    let position = 0;
    for (;;) {
      const mark = sink.length;
      const next = this.rewriteRow(input, position, sink);
      if (next === -1) {
        sink.rewind(mark);
        break;
      }
      this.#observer?.(input, position, next);
      position = next;
      this.rows += 1;
    }
    this.#carry = position < input.length ? Buffer.from(input.subarray(position)) : null;
    return sink.bytes();
  }

  /**
   * Checks that the output ended with a complete row.
   *
   * @throws Error when it did not (the copy was cut short).
   */
  finish(): void {
    if (this.#carry !== null) throw new Error('The COPY output ended inside a row.');
  }

  /** About how many times its input a chunk's output is (the sink grows past it when needed). */
  protected abstract growth(): number;

  /**
   * Writes the rewritten row starting at `start` to `sink` and returns the index after its
   * newline, or -1 when the row is not complete in `input` (what it wrote is then dropped).
   */
  protected abstract rewriteRow(input: Buffer, start: number, sink: ByteSink): number;
}
