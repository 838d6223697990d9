/**
 * The README's TypeScript blocks, for consumer-install.spec.ts to compile against the installed
 * package. A block right after a `<!-- consumer-app: PATH -->` comment (invisible on GitHub and
 * npm; blank lines may separate them) is the file PATH of the full example app; every other
 * ```ts block is a snippet.
 */

/** One ```ts block of the README. */
export interface ReadmeBlock {
  /** The README line of the opening fence, for messages. */
  readonly line: number;
  /** Where a block of the full example goes in the app (e.g. `src/app.ts`); null for a snippet. */
  readonly file: string | null;
  readonly code: string;
}

const MARKER = /^<!-- consumer-app: (\S+) -->$/;

/**
 * The ```ts blocks of `readme`, in order.
 *
 * @throws Error when a marker is not followed by a ```ts block, or a block is never closed.
 * @example
 * ```ts
 * readmeBlocks('<!-- consumer-app: src/app.ts -->\n\n```ts\nexport {};\n```\n');
 * // [{ line: 3, file: 'src/app.ts', code: 'export {};\n' }]
 * ```
 */
export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split('\n');
  const blocks: ReadmeBlock[] = [];
  let file: string | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const marked = MARKER.exec(line.trim())?.[1];
    if (marked !== undefined) {
      file = marked;
      continue;
    }
    if (line.trim() === '') continue;
    if (line.trimEnd() === '```ts') {
      const end = lines.indexOf('```', index + 1);
      if (end === -1) throw new Error(`README line ${index + 1}: the \`\`\`ts block is never closed`);
      blocks.push({ line: index + 1, file, code: `${lines.slice(index + 1, end).join('\n')}\n` });
      index = end;
    } else if (file !== null) {
      throw new Error(`README line ${index + 1}: the marker for ${file} must be followed by a \`\`\`ts block`);
    } else if (/^\s*(`{3,}|~{3,})/.test(line)) {
      const fence = line.trim().slice(0, 3);
      const end = lines.findIndex((next, at) => at > index && next.trim().startsWith(fence));
      index = end === -1 ? lines.length : end;
    }
    file = null;
  }
  return blocks;
}
