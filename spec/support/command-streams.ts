/** Real streams for running a command in-process: stdin from a string, stdout/stderr captured. */
import { PassThrough, Readable } from 'node:stream';

/** A writable stream remembering everything written to it. */
export interface CapturedStream extends PassThrough {
  /** Everything written so far. */
  text(): string;
}

/** A writable stream that keeps what it is given. */
export function capture(): CapturedStream {
  const stream = new PassThrough() as CapturedStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  return stream;
}

/** A stdin that delivers `input` and then ends (an empty string: ends at once, as `< /dev/null`). */
export function stdinOf(input: string): Readable {
  return Readable.from(input === '' ? [] : [Buffer.from(input)]);
}
