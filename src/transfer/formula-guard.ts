/**
 * Spreadsheet formula injection guard for flat formats (CSV, TSV, XLSX).
 *
 * A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be run as a
 * formula when the file is opened in a spreadsheet, so it gets a leading `'`. A cell that
 * already starts with `'` gets one too, which makes {@link unguardFormula} an exact inverse:
 * import removes exactly one leading `'` before one of those characters, and nothing else.
 *
 * @module
 */

/** Characters that make a spreadsheet treat a cell as a formula, plus the guard itself (by char code, for speed). */
const GUARDED_START = new Uint8Array(128);
for (const char of ['=', '+', '-', '@', '\t', '\r', "'"]) GUARDED_START[char.charCodeAt(0)] = 1;

/**
 * Whether a cell starting with the character (or UTF-8 byte) `code` gets the guard: `=`, `+`,
 * `-`, `@`, tab, carriage return or `'`.
 *
 * @example
 * ```ts
 * isFormulaStart('='.charCodeAt(0)); // true
 * ```
 */
export function isFormulaStart(code: number): boolean {
  return code < 128 && GUARDED_START[code] === 1;
}

/**
 * The cell as written to a flat format: prefixed with `'` when it could run as a formula.
 *
 * @example
 * ```ts
 * guardFormula('=HYPERLINK("http://evil")'); // "'=HYPERLINK(\"http://evil\")"
 * guardFormula("'quoted");                    // "''quoted"
 * guardFormula('plain');                      // 'plain'
 * ```
 */
export function guardFormula(text: string): string {
  return text.length > 0 && isFormulaStart(text.charCodeAt(0)) ? `'${text}` : text;
}

/**
 * The inverse of {@link guardFormula}: removes one leading `'` when the next character is one
 * `guardFormula` would have guarded; leaves every other cell as it is.
 *
 * @example
 * ```ts
 * unguardFormula("'=1+1");  // '=1+1'
 * unguardFormula("''x");    // "'x"
 * unguardFormula("'hello"); // "'hello" (not a guard: kept)
 * ```
 */
export function unguardFormula(text: string): string {
  return text.length > 1 && text.charCodeAt(0) === 39 && isFormulaStart(text.charCodeAt(1)) ? text.slice(1) : text;
}
