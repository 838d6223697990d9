/**
 * The YAML file of issue 11 #2: `levels` lines of `width` aliases, each naming the line
 * before, so the last expands to width^levels values (9^9, 387 million) once written out.
 * Nine levels make 528 bytes; before aliases were refused, the import grew to a 4 GB heap and
 * crashed after 90 s, and seven levels (428 bytes) committed 28 MB of `extra_data`.
 *
 * @example
 * ```ts
 * writeFileSync('bomb.yaml', aliasBomb(9));
 * ```
 */
export function aliasBomb(levels: number, width = 9): string {
  const lines = ['- id:', '  template: timeline_logger/default.ejs', '  timestamp: "2024-01-01T00:00:00Z"', '  extra_data:'];
  lines.push(`    a0: &a0 [${Array.from({ length: width }, () => 'x').join(',')}]`);
  for (let level = 1; level < levels; level += 1) {
    lines.push(`    a${level}: &a${level} [${Array.from({ length: width }, () => `*a${level - 1}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}
