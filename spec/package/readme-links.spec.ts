/**
 * The README is the package's page on the npm registry, which resolves no relative link: every
 * link and image there must be absolute, and those into this repository must name a file (and
 * heading) that exists. The guides in docs/ are read on GitHub, where relative links work; they
 * must resolve too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { headingAnchors, markdownLinks } from './markdown-links.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  repository?: { type?: string; url?: string };
  homepage?: string;
  bugs?: { url?: string };
};
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** `https://github.com/owner/name` from the manifest's `git+https://github.com/owner/name.git`. */
function repositoryUrl(): string {
  const match = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+?)\.git$/.exec(manifest.repository?.url ?? '');
  if (match?.[1] === undefined) throw new Error(`package.json repository.url must be git+https://github.com/<owner>/<name>.git`);
  return match[1];
}

/** Why `target` (a file in the repository, with an optional #anchor) does not resolve, or null. */
function brokenTarget(file: string, anchor: string | undefined): string | null {
  const absolute = path.join(ROOT, file);
  if (!existsSync(absolute)) return `${file} does not exist`;
  if (anchor === undefined || anchor === '' || !file.endsWith('.md')) return null;
  return headingAnchors(readFileSync(absolute, 'utf8')).has(anchor) ? null : `${file} has no heading #${anchor}`;
}

describe('package.json', () => {
  it('names the repository, its home page and where to report bugs', () => {
    const repository = repositoryUrl();
    expect(manifest.repository?.type).toBe('git');
    expect(manifest.homepage).toBe(`${repository}#readme`);
    expect(manifest.bugs?.url).toBe(`${repository}/issues`);
  });
});

describe('README.md on the registry page', () => {
  it('has only absolute links and images', () => {
    const relative = markdownLinks(readme)
      .filter(({ target }) => !target.startsWith('#') && !/^(https:|mailto:)/.test(target))
      .map(({ target, line }) => `line ${line}: ${target}`);
    expect(relative).toEqual([]);
  });

  it('links only to files and headings that exist in the repository', () => {
    const repository = repositoryUrl();
    const blob = new RegExp(`^${repository}/(?:blob|tree)/main/([^#?]+)(?:#(.*))?$`);
    const raw = new RegExp(`^${repository.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/([^#?]+)$`);
    const own = headingAnchors(readme);
    const broken = markdownLinks(readme).flatMap(({ target, image, line }) => {
      if (target.startsWith('#')) return own.has(target.slice(1)) ? [] : [`line ${line}: no heading ${target}`];
      const [, file, anchor] = (image ? raw : blob).exec(target) ?? [];
      if (file === undefined)
        return target.startsWith(repository) ? [`line ${line}: ${target} is not a ${image ? 'raw' : 'blob'} URL on main`] : [];
      const problem = brokenTarget(file, anchor);
      return problem === null ? [] : [`line ${line}: ${problem}`];
    });
    expect(broken).toEqual([]);
  });
});

describe('the guides in docs/', () => {
  it('link only to files and headings that exist', () => {
    const broken = readdirSync(path.join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) =>
        markdownLinks(readFileSync(path.join(ROOT, 'docs', name), 'utf8')).flatMap(({ target, line }) => {
          if (/^(https?:|mailto:)/.test(target)) return [];
          const [file = '', anchor] = target.split('#');
          const problem = brokenTarget(file === '' ? `docs/${name}` : path.posix.join('docs', file), anchor);
          return problem === null ? [] : [`docs/${name} line ${line}: ${problem}`];
        }),
      );
    expect(broken).toEqual([]);
  });
});
