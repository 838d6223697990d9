import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/render/locale.js';
import { negotiateLocale } from '../../src/render/negotiate-locale.js';

describe('negotiateLocale', () => {
  it.each<[string | null | undefined, Locale | null]>([
    ['nl-NL,nl;q=0.9,en;q=0.8', 'nl'],
    ['fr, en;q=0.5', 'en'],
    ['fr', null],
    ['en-US,en;q=0.9', 'en'],
    ['fr;q=1, nl;q=0.5, en;q=0.6', 'en'],
    ['nl;q=0.8, en;q=0.8', 'nl'],
    ['en;q=0.8, nl;q=0.8', 'en'],
    ['de-DE, NL-be;q=0.3', 'nl'],
    ['*', 'en'],
    ['fr, *;q=0.1', 'en'],
    ['en;q=0, *', 'nl'],
    ['nl;q=0', null],
    ['nl;q=0, en;q=0, *', null],
    ['nl;q=abc, en', 'en'],
    ['nl;q=1.5, en;q=0.2', 'en'],
    ['nl ; q=0.7 , en ; q = 0.2', 'nl'],
    [',,, nl', 'nl'],
    ['', null],
    [null, null],
    [undefined, null],
  ])('negotiateLocale(%j) → %j', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});
