import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { compactJsonbText, RawJson } from '../../src/transfer/raw-json.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Documents whose jsonb text differs from JSON.stringify in more than whitespace, or that nearly do. */
const DOCUMENTS = [
  '{"changes": {"title": ["old 1", "new 1"], "stock": [3, 7]}}',
  '{"s": "a: b, c", "q": "say \\"hi\\": [1, 2]", "back": "c:\\\\dir \\\\", "ctl": "\\u0001\\u001f\\b\\f\\n\\r\\t", "u": "é 😀 ☕"}',
  '{"n": [0, -1, 12, 123456789012345, -123456789012345]}',
  '{"f": [1.0, 2.50, -0, 1e3, 1E-2, 1234567890123456, 12345678901234567890]}',
  '{"10": "ten", "9": "nine", "a": "letter", "01": "padded"}',
  '{"nested": {"k": {"": [true, false, null, {}, []]}}}',
  '[]',
  '"just text: with, separators"',
  '-0',
  '42',
];

describe('compactJsonbText', () => {
  it('gives exactly what JSON.stringify(JSON.parse(text)) gives for PostgreSQL jsonb output', async () => {
    for (const document of DOCUMENTS) {
      const [row] = await db.sequelize.query<{ text: string }>('SELECT $1::jsonb::text AS text', {
        bind: [document],
        type: QueryTypes.SELECT,
      });
      const text = (row as { text: string }).text;
      expect(compactJsonbText(text), text).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  it('drops whitespace between tokens only, keeping spaces inside strings', () => {
    expect(compactJsonbText('{"a b": [1, "c, d"], "e": {"f": null}}')).toBe('{"a b":[1,"c, d"],"e":{"f":null}}');
  });

  it('leaves text without whitespace as it is', () => {
    expect(compactJsonbText('{"a":1}')).toBe('{"a":1}');
  });
});

describe('RawJson', () => {
  it('keeps the compact text and parses it on request', () => {
    const raw = RawJson.fromJsonb('{"a": [1, {"b": "c"}]}');
    expect(raw.text).toBe('{"a":[1,{"b":"c"}]}');
    expect(raw.parse()).toEqual({ a: [1, { b: 'c' }] });
  });
});
