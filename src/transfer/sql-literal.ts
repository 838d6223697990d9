/**
 * A string as an SQL literal, for the one statement that cannot take bound parameters
 * (`COPY (SELECT ...) TO STDOUT`): quotes doubled, and backslashes doubled in an `E''` literal
 * when there are any, so the text means the same whatever `standard_conforming_strings` says
 * (the escaping node-postgres' `escapeLiteral` does).
 *
 * @example
 * ```ts
 * sqlLiteral("it's");  // "'it''s'"
 * sqlLiteral('a\\b');  // " E'a\\\\b'"
 * ```
 */
export function sqlLiteral(value: string): string {
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return value.includes('\\') ? ` E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}
