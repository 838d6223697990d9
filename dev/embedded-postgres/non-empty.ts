/**
 * Reading optional text settings (environment variables, command output) where blank means unset.
 */

/**
 * `value` without surrounding blank space, or `null` when it is missing or blank.
 *
 * @example
 * ```ts
 * nonEmpty('  /usr/lib/postgresql/17/bin\n'); // '/usr/lib/postgresql/17/bin'
 * nonEmpty(process.env.DATABASE_URL); // null when unset or ''
 * ```
 */
export function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() ? value.trim() : null;
}
