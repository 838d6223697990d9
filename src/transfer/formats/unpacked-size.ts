import { createRequire } from 'node:module';
import type { Duplex, Readable } from 'node:stream';
import { ImportError } from '../../errors.js';

/** An entry of unzipper's streaming parser: a stream of the entry's unpacked bytes. */
interface ZipEntry extends Readable {
  readonly path: string;
}

/** The part of unzipper's API used here. */
interface Unzipper {
  Parse(options: { forceStream: true }): Duplex;
}

/**
 * exceljs's own copy of unzipper, not one of ours: the count must read the archive exactly as
 * exceljs will (entries by their local headers, in file order, entries of unknown size up to
 * the next data-descriptor signature), or a crafted file could show the count small entries
 * and exceljs large ones.
 */
const unzipper = createRequire(createRequire(import.meta.url).resolve('exceljs'))('unzipper') as Unzipper;

/**
 * Unpacks every entry of the zip archive `archive` (an xlsx file), counting the bytes without
 * keeping them, and resolves with the total. A compressed xlsx can unpack to a thousand times
 * its size (a "zip bomb"), so this runs before anything parses the archive.
 *
 * @throws ImportError once the total passes `maxBytes` (nothing more is unpacked), or when the
 * archive cannot be unpacked.
 * @example
 * ```ts
 * await checkUnpackedSize(createReadStream('logs.xlsx'), 1024 ** 3);
 * ```
 */
export async function checkUnpackedSize(archive: Readable, maxBytes: number): Promise<number> {
  const parser = unzipper.Parse({ forceStream: true });
  let current: ZipEntry | null = null;
  let failure = null as Error | null; // set by the listener below, so not narrowed to null
  archive.on('error', (error) => parser.destroy(error));
  // unzipper reports a truncated archive on the parser without ending it, and may still hand
  // out an entry that never ends: fail the parser, the entry being read and any entry after.
  parser.on('error', (error: Error) => {
    if (failure !== null) return;
    failure = error;
    current?.destroy(error);
    parser.destroy(error);
  });
  archive.pipe(parser);
  let total = 0;
  try {
    for await (const entry of parser as AsyncIterable<ZipEntry>) {
      if (failure !== null) throw failure;
      current = entry;
      for await (const data of entry as AsyncIterable<Buffer>) {
        total += data.length;
        if (total > maxBytes) {
          throw new ImportError(`The xlsx file unpacks to more than ${maxBytes} bytes: split it, or raise maxBytes (--max-bytes).`);
        }
      }
    }
    return total;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const reason =
      (error as Error).message === 'FILE_ENDED' ? 'it ends in the middle of the archive (is it complete?)' : (error as Error).message;
    throw new ImportError(`The xlsx file cannot be unpacked: ${reason}`, { cause: error });
  } finally {
    archive.unpipe(parser);
    archive.destroy();
    parser.destroy();
  }
}
