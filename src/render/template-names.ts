/**
 * The names an EJS template's code can read, found without running it: every identifier in its
 * tags that is not a property name (`.length`) or inside a quoted string. It over-counts on
 * purpose (object keys and the template's own variables are listed too) and gives up where a
 * simple scan could miss a name: a slash (a regular expression or a comment), a backtick
 * (`${...}` inside a string), a backslash or a non-ASCII character outside strings.
 *
 * @module
 */

/** `<%%` (a literal `<%`, not a tag), or an EJS tag (`<%`, `<%=`, `<%-`, `<%_`, `<%#` a comment) up to the first `%>`. */
const TAG = /<%%|<%([#=_-]?)([\s\S]*?)[_-]?%>/g;
const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$]/;

/**
 * The identifiers `source`'s code may read, or null when the code cannot be scanned with
 * certainty (see the module notes).
 *
 * @example
 * ```ts
 * templateNames("<%= t('{user} created {object}', { user, object }) %>"); // Set { 't', 'user', 'object' }
 * templateNames('<%= user.replace(/a/g, "b") %>');                         // null (a slash)
 * ```
 */
export function templateNames(source: string): ReadonlySet<string> | null {
  const names = new Set<string>();
  for (const [tag, kind, code] of source.matchAll(TAG)) {
    if (tag === '<%%' || kind === '#') continue;
    if (!scanCode(code ?? '', names)) return null;
  }
  return names;
}

/** Adds `code`'s identifiers to `names`; false when a character makes the scan unsure. */
function scanCode(code: string, names: Set<string>): boolean {
  let index = 0;
  while (index < code.length) {
    const char = code.charAt(index);
    if (char === "'" || char === '"') {
      index = endOfString(code, index);
      if (index === -1) return false;
    } else if (char === '`' || char === '/' || char === '\\' || char.charCodeAt(0) > 0x7e) {
      return false;
    } else if (IDENTIFIER_START.test(char)) {
      let end = index + 1;
      while (end < code.length && IDENTIFIER_PART.test(code.charAt(end))) end += 1;
      if (!isPropertyName(code, index)) names.add(code.slice(index, end));
      index = end;
    } else if (/[0-9]/.test(char)) {
      // A number, with whatever letters it carries (1e3, 0x1f, 10n).
      while (index < code.length && /[0-9A-Za-z_.]/.test(code.charAt(index))) index += 1;
    } else {
      index += 1;
    }
  }
  return true;
}

/** The index just past the string literal opening at `start`, or -1 when it does not close on its line. */
function endOfString(code: string, start: number): number {
  const quote = code.charAt(start);
  for (let index = start + 1; index < code.length; index += 1) {
    const char = code.charAt(index);
    if (char === '\\') index += 1;
    else if (char === quote) return index + 1;
    else if (char === '\n') return -1;
  }
  return -1;
}

/** Whether the identifier at `start` follows a `.` (a property), but not a spread's `...`. */
function isPropertyName(code: string, start: number): boolean {
  let before = start - 1;
  while (before >= 0 && /\s/.test(code.charAt(before))) before -= 1;
  return code.charAt(before) === '.' && code.slice(Math.max(0, before - 2), before + 1) !== '...';
}
