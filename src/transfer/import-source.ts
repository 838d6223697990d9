import { stat, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ImportError } from '../errors.js';
import type { FormatName } from './formats/format-adapter.js';
import { formatFromFileName, FORMAT_NAMES, isFormatName } from './formats/format-registry.js';
import { gunzipIfCompressed, startsWithGzip } from './gunzip-input.js';

/** What can be imported: a file path, a stream, or the file's contents. */
export type ImportSource = string | Readable | Buffer;

/**
 * The format to read `source` as: `format` when given, else the file name's extension (after a
 * `.gz`, which is ignored: `logs.ndjson.gz` is ndjson).
 *
 * @throws ImportError for an unknown format, or when neither tells it (streams and buffers need `format`).
 * @example
 * ```ts
 * resolveImportFormat('logs.jsonl', undefined); // 'ndjson'
 * ```
 */
export function resolveImportFormat(source: ImportSource, format: FormatName | undefined): FormatName {
  if (format !== undefined) {
    if (!isFormatName(format)) throw new ImportError(`Unknown format ${JSON.stringify(format)}: use one of ${FORMAT_NAMES.join(', ')}.`);
    return format;
  }
  const guessed = typeof source === 'string' ? formatFromFileName(source) : null;
  if (guessed === null) {
    throw new ImportError(
      `Cannot tell the format of ${typeof source === 'string' ? source : 'this input'}: pass format (one of ${FORMAT_NAMES.join(', ')}).`,
    );
  }
  return guessed;
}

/**
 * `source` as a byte stream of at most `maxBytes`, decompressed when it is gzip-compressed
 * (told by its first bytes, not its name; the limit then counts the decompressed bytes, so a
 * small file that unpacks to gigabytes is refused). Plain files and buffers are measured up
 * front; a stream or compressed input fails once it passes the limit (it is read lazily, as the
 * format reader asks).
 *
 * @throws ImportError when a file is missing or the input is too large; while reading, when the gzip data is corrupt.
 * @example
 * ```ts
 * const input = await openImportSource('logs.csv', 1024 ** 3);
 * const archive = await openImportSource('timeline_logs_..._ids-1-10000.ndjson.gz', 1024 ** 3);
 * ```
 */
export async function openImportSource(source: ImportSource, maxBytes: number): Promise<Readable> {
  if (typeof source === 'string') return openFile(source, maxBytes);
  if (Buffer.isBuffer(source)) {
    if (startsWithGzip(source)) return limited(gunzipIfCompressed(Readable.from([source])), maxBytes, () => true);
    if (source.length > maxBytes) throw tooLarge(maxBytes, false);
    return Readable.from([source]);
  }
  let compressed = false;
  const chunks = gunzipIfCompressed(asBuffers(source), () => {
    compressed = true;
  });
  return limited(chunks, maxBytes, () => compressed);
}

/** A stream's chunks as bytes (a stream with an encoding set gives strings). */
async function* asBuffers(source: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<Buffer | string>) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/**
 * Opens the file before anything reads it, so a folder, a missing file or one that cannot be
 * read is an ImportError here instead of an `error` event on a stream nobody listens to yet.
 */
async function openFile(file: string, maxBytes: number): Promise<Readable> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new ImportError(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`, { cause: error });
  });
  if (!info.isFile()) throw new ImportError(`Cannot read ${file}: it is not a file.`);
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ImportError(`Cannot read ${file}: ${error.code === 'EACCES' ? 'permission denied' : error.message}.`, { cause: error });
  });
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, head.length, 0).catch(async (error: NodeJS.ErrnoException) => {
    await handle.close();
    throw new ImportError(`Cannot read ${file}: ${error.message}.`, { cause: error });
  });
  if (startsWithGzip(head.subarray(0, bytesRead))) return limited(gunzipIfCompressed(handle.createReadStream()), maxBytes, () => true);
  if (info.size > maxBytes) {
    await handle.close();
    throw tooLarge(maxBytes, false);
  }
  return handle.createReadStream();
}

/** A stream of `chunks` that fails once they pass `maxBytes` (lazily: nothing is read before the format reader asks). */
function limited(chunks: AsyncIterable<Buffer>, maxBytes: number, decompressed: () => boolean): Readable {
  return Readable.from(limitBytes(chunks, maxBytes, decompressed), { objectMode: false });
}

async function* limitBytes(source: AsyncIterable<Buffer>, maxBytes: number, decompressed: () => boolean): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > maxBytes) throw tooLarge(maxBytes, decompressed());
    yield chunk;
  }
}

function tooLarge(maxBytes: number, decompressed: boolean): ImportError {
  return new ImportError(
    `The input is larger than ${maxBytes} bytes${decompressed ? ' once decompressed' : ''}: split it, or raise maxBytes (--max-bytes).`,
  );
}
