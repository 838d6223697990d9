import { stat, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ImportError } from '../errors.js';
import type { FormatName } from './formats/format-adapter.js';
import { formatFromFileName, FORMAT_NAMES, isFormatName } from './formats/format-registry.js';

/** What can be imported: a file path, a stream, or the file's contents. */
export type ImportSource = string | Readable | Buffer;

/**
 * The format to read `source` as: `format` when given, else the file name's extension.
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
 * `source` as a byte stream of at most `maxBytes`: files and buffers are measured up front, a
 * stream fails once it passes the limit (it is read lazily, as the format reader asks).
 *
 * @throws ImportError when a file is missing or the input is too large.
 * @example
 * ```ts
 * const input = await openImportSource('logs.csv', 1024 ** 3);
 * ```
 */
export async function openImportSource(source: ImportSource, maxBytes: number): Promise<Readable> {
  if (typeof source === 'string') return openFile(source, maxBytes);
  if (Buffer.isBuffer(source)) {
    if (source.length > maxBytes) throw tooLarge(maxBytes);
    return Readable.from([source]);
  }
  return Readable.from(limitBytes(source, maxBytes), { objectMode: false });
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
  if (info.size > maxBytes) throw tooLarge(maxBytes);
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ImportError(`Cannot read ${file}: ${error.code === 'EACCES' ? 'permission denied' : error.message}.`, { cause: error });
  });
  return handle.createReadStream();
}

/** Passes a stream through lazily (nothing is read before the format reader asks), failing past `maxBytes`. */
async function* limitBytes(source: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    seen += buffer.length;
    if (seen > maxBytes) throw tooLarge(maxBytes);
    yield buffer;
  }
}

function tooLarge(maxBytes: number): ImportError {
  return new ImportError(`The input is larger than ${maxBytes} bytes: split it, or raise maxBytes (--max-bytes).`);
}
