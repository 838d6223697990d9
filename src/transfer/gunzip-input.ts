import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ImportError } from '../errors.js';

/** The first two bytes of every gzip stream (RFC 1952). */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Whether `head` (the first bytes of an input) starts a gzip stream: by its magic bytes, whatever
 * the file is called.
 *
 * @example
 * ```ts
 * startsWithGzip(gzipSync('{"id":1}\n')); // true
 * ```
 */
export function startsWithGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * Passes `chunks` through, decompressed when they start with gzip's magic bytes (several
 * concatenated gzip members are read as one stream, as `gunzip` does). Lazy: nothing is read
 * before the caller asks. `onGzip` is called once the input turns out to be compressed.
 *
 * @throws ImportError when the gzip data is corrupt or cut short.
 * @example
 * ```ts
 * for await (const chunk of gunzipIfCompressed(fileStream)) process(chunk);
 * ```
 */
export async function* gunzipIfCompressed(chunks: AsyncIterable<Buffer>, onGzip?: () => void): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const all = (async function* (): AsyncGenerator<Buffer> {
    yield* head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  })();
  if (!startsWithGzip(Buffer.concat(head))) {
    yield* all;
    return;
  }
  onGzip?.();
  const gunzip = createGunzip();
  const piped = pipeline(Readable.from(all, { objectMode: false }), gunzip);
  piped.catch(() => undefined); // its error surfaces through gunzip below
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(
      `The gzip-compressed input cannot be decompressed (${(error as Error).message}): it is corrupt or cut short. Check the file with gzip -t.`,
      { cause: error },
    );
  }
}
