/**
 * Links and headings of a Markdown file, read the way GitHub and the npm registry render it:
 * text inside code (fenced blocks and `code spans`) is neither a link nor a heading.
 */

/** One link or image of a Markdown file. */
export interface MarkdownLink {
  readonly target: string;
  readonly image: boolean;
  /** 1-based line number, for messages. */
  readonly line: number;
}

const INLINE = /(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const HTML = /<(img|a)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;

/**
 * The lines of `markdown` with fenced code blocks blanked and code spans removed, so line
 * numbers still match the file.
 */
function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return '';
    }
    if (marker !== undefined) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, '');
  });
}

/**
 * Every inline link, image, reference definition and HTML `<a href>`/`<img src>` outside code.
 *
 * @example
 * ```ts
 * markdownLinks('![shot](docs/a.png) and [guide](https://example.com/guide)');
 * // [{ target: 'docs/a.png', image: true, line: 1 }, { target: 'https://example.com/guide', image: false, line: 1 }]
 * ```
 */
export function markdownLinks(markdown: string): MarkdownLink[] {
  return proseLines(markdown).flatMap((text, index) => {
    const line = index + 1;
    const links: MarkdownLink[] = [];
    for (const [, bang, target] of text.matchAll(INLINE)) links.push({ target: target ?? '', image: bang === '!', line });
    for (const [, tag, target] of text.matchAll(HTML)) links.push({ target: target ?? '', image: tag?.toLowerCase() === 'img', line });
    const reference = REFERENCE.exec(text)?.[1];
    if (reference !== undefined) links.push({ target: reference, image: false, line });
    return links;
  });
}

/**
 * The anchors GitHub gives the headings of `markdown` (github-slugger's rule: lower case,
 * punctuation dropped, spaces to hyphens, `-1`, `-2` for repeats).
 *
 * @example
 * ```ts
 * headingAnchors('## Automatic tracking: `withTimeline`\n## Speed\n## Speed');
 * // Set { 'automatic-tracking-withtimeline', 'speed', 'speed-1' }
 * ```
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const source = markdown.split('\n');
  proseLines(markdown).forEach((text, index) => {
    if (!/^\s{0,3}#{1,6}\s/.test(text)) return;
    const heading = (source[index] ?? '').replace(/^\s*#+\s*/, '').replace(/\s+#+\s*$/, '');
    const plain = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  });
  return anchors;
}
