import type { CliContext } from './cli-context.js';

/**
 * Why a file could not be opened, in words for an operator: the common file system codes
 * translated, anything else as the system says it.
 *
 * @example
 * ```ts
 * fileErrorReason(Object.assign(new Error('EISDIR: ...'), { code: 'EISDIR' }), t); // 'it is a folder'
 * ```
 */
export function fileErrorReason(error: unknown, t: CliContext['t']): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EISDIR') return t('it is a folder');
  if (code === 'ENOENT') return t('no such file or folder');
  if (code === 'EACCES' || code === 'EPERM') return t('permission denied');
  if (code === 'EROFS') return t('the file system is read-only');
  return error instanceof Error ? error.message : String(error);
}
