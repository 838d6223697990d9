import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors.js';
import { readLines } from '../../src/transfer/formats/read-lines.js';

async function lines(chunks: readonly (string | Buffer)[], options?: Parameters<typeof readLines>[1]): Promise<string[]> {
  const result: string[] = [];
  for await (const line of readLines(Readable.from(chunks, { objectMode: true }), options)) result.push(line);
  return result;
}

/**
 * Counts the characters `String.prototype.indexOf` looks at while searching for a newline, so a
 * spec can tell a splitter that scans each chunk once from one that rescans the line it is
 * building (issue 11 #7: 37 s for one 32 MB line), without timing anything.
 */
async function countNewlineScans<T>(work: () => Promise<T>): Promise<{ result: T; scanned: number }> {
  const descriptor = Object.getOwnPropertyDescriptor(String.prototype, 'indexOf') as PropertyDescriptor;
  const original = descriptor.value as (this: string, search: string, from?: number) => number;
  let scanned = 0;
  const counting = function (this: string, search: string, from?: number): number {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = original.call(this, search, from);
    if (search === '\n') scanned += (found === -1 ? this.length : found + 1) - start;
    return found;
  };
  Object.defineProperty(String.prototype, 'indexOf', { ...descriptor, value: counting });
  try {
    return { result: await work(), scanned };
  } finally {
    Object.defineProperty(String.prototype, 'indexOf', descriptor);
  }
}

describe('readLines', () => {
  it.each([
    ['\\n', ['a\nb\n'], ['a', 'b']],
    ['\\r\\n', ['a\r\nb\r\n'], ['a', 'b']],
    ['a last line without a newline', ['a\nb'], ['a', 'b']],
    ['a \\r\\n split between chunks', ['a\r', '\nb'], ['a', 'b']],
    ['a line over many chunks', ['ab', 'cd', 'e\nf', 'g'], ['abcde', 'fg']],
    ['empty lines', ['\n\na\n'], ['', '', 'a']],
    ['a byte order mark', [Buffer.from('\ufeffa\nb')], ['a', 'b']],
    ['a character split between byte chunks', [Buffer.from('é\n').subarray(0, 1), Buffer.from('é\n').subarray(1)], ['é']],
  ])('splits %s', async (_name, chunks, expected) => {
    expect(await lines(chunks)).toEqual(expected);
  });

  it('looks at each character once, however many chunks a line spans (linear, not quadratic)', async () => {
    const chunk = 'x'.repeat(256);
    const chunks = [...Array.from({ length: 1024 }, () => chunk), '\nshort\n'];
    const total = chunks.reduce((sum, piece) => sum + piece.length, 0);
    const { result, scanned } = await countNewlineScans(() => lines(chunks));
    expect(result.map((line) => line.length)).toEqual([256 * 1024, 5]);
    // The quadratic splitter rescanned the growing line with every chunk: about 512 times the input here.
    expect(scanned).toBeLessThanOrEqual(total);
  });

  it('refuses a line longer than the limit with an ImportError naming the line', async () => {
    const reading = lines(['short\n', 'x'.repeat(6), 'x'.repeat(6), '\n'], { maxLineLength: 10 });
    await expect(reading).rejects.toThrow(ImportError);
    await expect(lines(['short\n', 'x'.repeat(11)], { maxLineLength: 10 })).rejects.toThrow(/^Line 2 is longer than 10 characters/);
  });
});
