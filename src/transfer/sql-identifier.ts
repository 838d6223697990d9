/**
 * A column or alias quoted for SQL: wrapped in double quotes, inner quotes doubled, so any name
 * (including keywords such as `user` or `timestamp`) can be used as it is.
 *
 * @example
 * ```ts
 * quoteIdentifier('user_id'); // '"user_id"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
