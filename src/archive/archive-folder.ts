import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { ArchiveError } from '../errors.js';

/**
 * Checks that `folder` can take archive files: it exists, is a folder and is writable.
 *
 * @throws ArchiveError saying which of these it is not.
 * @example
 * ```ts
 * await checkArchiveFolder('/var/backups/timeline');
 * ```
 */
export async function checkArchiveFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    throw ArchiveError.unusableFolder(folder, error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.message})`, error);
  });
  if (!info.isDirectory()) throw ArchiveError.unusableFolder(folder, 'is not a folder');
  await access(folder, constants.W_OK | constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    throw ArchiveError.unusableFolder(folder, 'is not writable', error);
  });
}

/**
 * Flushes `folder`'s entries to disk (`fsync` on the folder), so a file just linked into it
 * survives a crash.
 *
 * @example
 * ```ts
 * await link(temporary, final);
 * await syncFolder(path.dirname(final));
 * ```
 */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
