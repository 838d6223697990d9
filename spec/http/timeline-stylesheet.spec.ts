/**
 * The page's colours, read from the stylesheet itself: every text colour must reach WCAG AA
 * (4.5:1) on the backgrounds it is used on, in the light and the dark theme.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_VIEWS_DIR } from '../../src/render/message-renderer.js';

const CSS = readFileSync(`${PACKAGE_VIEWS_DIR}timeline_logger/timeline.css`, 'utf8');

function variables(block: string): Map<string, string> {
  return new Map(
    [...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((match) => [match[1] as string, (match[2] as string).toLowerCase()]),
  );
}

const light = variables(CSS.slice(CSS.indexOf(':root {'), CSS.indexOf('}', CSS.indexOf(':root {'))));
const darkStart = CSS.indexOf('@media (prefers-color-scheme: dark)');
const dark = new Map([...light, ...variables(CSS.slice(darkStart, CSS.indexOf('}\n}', darkStart)))]);

function luminance(hex: string): number {
  const channel = (offset: number): number => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

const PAIRS: readonly [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['accent', 'bg'],
  ['accent', 'surface'],
  ['accent-text', 'accent'],
  ['created-fg', 'created-bg'],
  ['updated-fg', 'updated-bg'],
  ['deleted-fg', 'deleted-bg'],
  ['restored-fg', 'restored-bg'],
  ['other-fg', 'other-bg'],
  ['text', 'hover'],
];

/** Every event tone the stylesheet has a badge rule for (`.badge-created`, ...), so a new tone is checked too. */
const TONES = [...new Set([...CSS.matchAll(/^\.badge-([\w-]+) \{/gm)].map((match) => match[1] as string))];

describe('the timeline stylesheet', () => {
  it('defines a light and a dark theme and visible focus', () => {
    expect(light.size).toBeGreaterThan(15);
    expect(darkStart).toBeGreaterThan(0);
    for (const name of ['bg', 'surface', 'text', 'muted', 'accent']) expect(dark.get(name), name).not.toBe(light.get(name));
    expect(CSS).toMatch(/:focus-visible\s*{\s*outline: 3px solid var\(--focus\)/);
  });

  it('checks the colours of every badge tone, restored included', () => {
    expect(TONES).toEqual(expect.arrayContaining(['created', 'updated', 'deleted', 'restored']));
    for (const tone of TONES) expect(PAIRS, tone).toContainEqual([`${tone}-fg`, `${tone}-bg`]);
  });

  it.each(PAIRS)('keeps --%s on --%s at 4.5:1 or more in both themes', (foreground, background) => {
    for (const [theme, colours] of [
      ['light', light],
      ['dark', dark],
    ] as const) {
      const ratio = contrast(colours.get(foreground) ?? '#ffffff', colours.get(background) ?? '#ffffff');
      expect(ratio, `${theme}: ${colours.get(foreground)} on ${colours.get(background)}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
