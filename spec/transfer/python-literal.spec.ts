import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from '../../src/transfer/python-literal.js';

describe('parsePythonLiteral', () => {
  it.each([
    [`{'a': True, 'n': None, 'f': False}`, { a: true, n: null, f: false }],
    [`{'s': "it's", 'd': 'say "hi"'}`, { s: "it's", d: 'say "hi"' }],
    [`{'esc': 'tab\\there\\nnew \\'q\\' \\\\ back'}`, { esc: "tab\there\nnew 'q' \\ back" }],
    [`{'u': '\\u00e9\\xe9\\U0001F600', 'oct': '\\101', 'keep': '\\d'}`, { u: 'ééé😀'.slice(0, 2) + '😀', oct: 'A', keep: '\\d' }],
    [`{'changes': {'title': [None, 'New'], 'n': [1, -2.5, 1e3, 0]}}`, { changes: { title: [null, 'New'], n: [1, -2.5, 1000, 0] } }],
    [`{'t': (1, 2), 'one': (1,), 'empty': (), 'l': [], 'd': {}}`, { t: [1, 2], one: [1], empty: [], l: [], d: {} }],
    [`{'trailing': [1, 2,], }`, { trailing: [1, 2] }],
    [`{'unicode': 'Café ☕'}`, { unicode: 'Café ☕' }],
    [`{"double": "quotes"}`, { double: 'quotes' }],
    [`  {'spaced' :  1 }  `, { spaced: 1 }],
    [`u'text'`, 'text'],
    [`{'__proto__': 1}`, JSON.parse('{"__proto__": 1}')],
  ])('parses %s', (text, expected) => {
    const parsed = parsePythonLiteral(text);
    expect(parsed).toEqual({ ok: true, value: expected });
  });

  it('keeps __proto__ as an own key (no prototype pollution)', () => {
    const parsed = parsePythonLiteral(`{'__proto__': {'polluted': True}}`);
    expect(parsed.ok && Object.keys(parsed.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [`{'a': true}`, /expected a dict/],
    [`{'a': null}`, /expected a dict/],
    [`{'when': datetime.date(2016, 7, 1)}`, /expected a dict/],
    [`{'d': Decimal('1.5')}`, /expected a dict/],
    [`{1: 'int key'}`, /dict keys must be strings/],
    [`{'a': 1`, /expected "," or "}"/],
    [`{'a': 'unterminated}`, /unterminated string/],
    [`{'a': 1} extra`, /unexpected text after the value/],
    [`{'big': 123456789012345678901234567890}`, /integer too large/],
    [`{'inf': inf}`, /expected a dict/],
    [`{'c': 1j}`, /malformed number/],
    [`{'x': 0x1F}`, /malformed number/],
    [`{'b': b'bytes'}`, /expected a dict/],
    [`{'s': {1, 2}}`, /dict keys must be strings|expected ":"/],
    [`'''triple'''`, /triple-quoted/],
    [`{'n': '\\N{BULLET}'}`, /\\N\{...\} escapes/],
    ['', /unexpected end/],
  ])('refuses %s', (text, reason) => {
    const parsed = parsePythonLiteral(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  it('never swaps quotes to guess', () => {
    // A JSON-looking repr with an apostrophe inside a double-quoted string stays exact.
    expect(parsePythonLiteral(`{'note': "don't", 'q': '"'}`)).toEqual({ ok: true, value: { note: "don't", q: '"' } });
  });

  it('refuses nesting deeper than 200 levels instead of overflowing the stack', () => {
    expect(parsePythonLiteral('['.repeat(500) + ']'.repeat(500)).ok).toBe(false);
  });
});
