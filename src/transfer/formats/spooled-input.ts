import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An input copied to a temporary file, so it can be read more than once. */
export interface SpooledInput {
  /** A new stream of the copy, from its start. */
  open(): ReadStream;
  /** Deletes the copy and its folder. */
  remove(): Promise<void>;
}

/**
 * Copies `input` to a file in a new private folder under the system's temporary folder
 * (`os.tmpdir()`), for readers that need two passes over a stream (stdin, an upload).
 *
 * @throws what reading `input` throws (the copy is removed then).
 * @example
 * ```ts
 * const copy = await spoolInput(process.stdin);
 * try {
 *   await checkUnpackedSize(copy.open(), maxBytes);
 * } finally {
 *   await copy.remove();
 * }
 * ```
 */
export async function spoolInput(input: Readable): Promise<SpooledInput> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'timeline-import-'));
  const file = path.join(folder, 'input');
  const remove = (): Promise<void> => rm(folder, { recursive: true, force: true });
  try {
    await pipeline(input, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { open: () => createReadStream(file), remove };
}
