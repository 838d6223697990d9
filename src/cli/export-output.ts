import { lstat, open, rm, stat, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TimelineLoggerError } from '../errors.js';

/** Where `export --output FILE` writes, and what it may undo. */
export interface ExportOutput {
  /** The stream to write the export to; its errors are kept for {@link ExportOutput.close}. */
  readonly stream: Writable;
  /** Ends the stream and waits until everything is written. */
  close(): Promise<void>;
  /** Stops writing and removes the file, but only when this run created it and it is still that regular file. */
  discard(): Promise<void>;
}

/**
 * Opens `file` for an export. A new file is created exclusively (so the run knows it made it and
 * may remove it when the export fails); an existing FIFO or device (`/dev/stdout`) is written to
 * and never removed; an existing regular file, a folder, or a path in a missing folder is
 * refused with a message, as the program never overwrites or deletes what it did not create.
 *
 * @throws TimelineLoggerError (exit 1) when the path cannot be written.
 * @example
 * ```ts
 * const output = await openExportOutput('logs.csv');
 * try { await resource.exportTo(output.stream, { format: 'csv' }); await output.close(); }
 * catch (error) { await output.discard(); throw error; }
 * ```
 */
export async function openExportOutput(file: string): Promise<ExportOutput> {
  const created = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return null;
    throw cannotWrite(file, error);
  });
  if (created !== null) return outputOf(created, file, true);
  const existing = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw cannotWrite(file, error);
  });
  if (existing.isDirectory()) throw new TimelineLoggerError(`Cannot write to ${file}: it is a folder; give a file name.`);
  if (existing.isFile()) {
    throw new TimelineLoggerError(`${file} already exists: export never overwrites a file; remove it or choose another name.`);
  }
  const handle = await open(file, 'w').catch((error: NodeJS.ErrnoException) => {
    throw cannotWrite(file, error);
  });
  return outputOf(handle, file, false);
}

function outputOf(handle: FileHandle, file: string, created: boolean): ExportOutput {
  const stream = handle.createWriteStream();
  let failure: Error | null = null;
  // Kept, not thrown: an `error` event without a listener would end the process.
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    stream,
    async close() {
      stream.end();
      await finished(stream).catch(() => undefined);
      if (failure !== null) throw cannotWrite(file, failure);
    },
    async discard() {
      stream.destroy();
      await finished(stream).catch(() => undefined);
      if (!created) return;
      const info = await lstat(file).catch(() => null);
      if (info?.isFile() === true) await rm(file, { force: true });
    },
  };
}

function cannotWrite(file: string, error: NodeJS.ErrnoException): TimelineLoggerError {
  const reason = error.code === 'ENOENT' ? 'its folder does not exist' : error.code === 'EISDIR' ? 'it is a folder' : error.message;
  return new TimelineLoggerError(`Cannot write to ${file}: ${reason}.`, { cause: error });
}
