import { open, link } from 'node:fs/promises';
import { ArchiveError } from '../errors.js';

const CHUNK = 64 * 1024;

/**
 * Gives the finished file `temporary` its final name `final` without ever overwriting a file:
 * a hard link (which fails when `final` exists) instead of a rename (which replaces it). When
 * `final` exists with exactly the same bytes (an earlier run archived these rows and its delete
 * did not commit), it is kept. The caller removes `temporary` afterwards.
 *
 * @returns `created` when `final` was linked, `reused` when it was already there, identical.
 * @throws ArchiveError when `final` exists with other contents, or the link fails.
 * @example
 * ```ts
 * const outcome = await publishArchive('archive/.timeline_logs-1f2e.tmp', 'archive/timeline_logs_..._ids-1-9.ndjson.gz');
 * await unlink('archive/.timeline_logs-1f2e.tmp');
 * ```
 */
export async function publishArchive(temporary: string, final: string): Promise<'created' | 'reused'> {
  try {
    await link(temporary, final);
    return 'created';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ArchiveError.writeFailed(final, error);
  }
  if (await sameContents(temporary, final)) return 'reused';
  throw ArchiveError.fileExists(final);
}

/** Whether the two files hold the same bytes (read side by side, a chunk at a time). */
async function sameContents(a: string, b: string): Promise<boolean> {
  const first = await open(a, 'r');
  try {
    const second = await open(b, 'r');
    try {
      const [infoA, infoB] = await Promise.all([first.stat(), second.stat()]);
      if (!infoB.isFile() || infoA.size !== infoB.size) return false;
      const bufferA = Buffer.alloc(CHUNK);
      const bufferB = Buffer.alloc(CHUNK);
      for (let position = 0; position < infoA.size; position += CHUNK) {
        const [readA, readB] = await Promise.all([first.read(bufferA, 0, CHUNK, position), second.read(bufferB, 0, CHUNK, position)]);
        if (readA.bytesRead !== readB.bytesRead || !bufferA.subarray(0, readA.bytesRead).equals(bufferB.subarray(0, readB.bytesRead))) {
          return false;
        }
      }
      return true;
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
}
