import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowDigest } from '../../src/seal/canonical-row.js';

/** The canonical form, spelled out: SHA-256 of the UTF-8 of JSON.stringify of the text forms. */
function definition(row: readonly (string | null)[]): Buffer {
  return createHash('sha256').update(JSON.stringify(row), 'utf8').digest();
}

describe('rowDigest', () => {
  it('is the SHA-256 of the JSON array of the text forms, as UTF-8, whatever the characters', () => {
    const rows = [
      ['7', 'Post', null, 'tab\there "quoted" \\ back', '2026-01-01 08:00:00+00', '{"a": 1, "b": [1, 2]}'],
      ['8', 'café ☕ 𝄞 中文', '', '\u0000\u001f\u2028', null],
      [],
    ];
    for (const row of rows) expect(rowDigest(row).equals(definition(row))).toBe(true);
  });

  it('gives the digest that seals already stored hold', () => {
    expect(rowDigest(['1', 'Post', null, 'Hello ☕']).toString('hex')).toBe(
      '10aa4545604240e4391317814eb4b42e5763ceaa8f17de2d04150852f4a483e1',
    );
  });
});
