/**
 * A markdown table (header row, separator, one line per row), ready to paste into the README
 * or `docs/`. Cells are printed as given; `align` right-aligns the columns whose index it lists
 * (numbers read better that way).
 *
 * @example
 * ```ts
 * console.log(markdownTable(['workload', 'ms'], [['log()', '1.2']], { right: [1] }));
 * // | workload | ms |
 * // |---|---:|
 * // | log() | 1.2 |
 * ```
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: { readonly right?: readonly number[] } = {},
): string {
  const right = new Set(align.right ?? []);
  const separator = header.map((_, index) => (right.has(index) ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), `|${separator.join('|')}|`, ...rows.map(line)].join('\n');
}
