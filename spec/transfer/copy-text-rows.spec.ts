/** The COPY text-format encoder of imports: every value PostgreSQL must read back as it was sent. */
import { describe, expect, it } from 'vitest';
import { copyTextField, copyTextRows } from '../../src/transfer/copy-text-rows.js';
import { copyErrorLine } from '../../src/transfer/import-copy.js';

describe('copyTextField', () => {
  it.each([
    ['null', null, false, '\\N'],
    ['undefined', undefined, false, '\\N'],
    ['the empty string (not null)', '', false, ''],
    ['the text \\N (not null)', '\\N', false, '\\\\N'],
    ['the end-of-data marker \\.', '\\.', false, '\\\\.'],
    ['a backslash', 'a\\b', false, 'a\\\\b'],
    ['tab, newline and carriage return', 'a\tb\nc\r\nd', false, 'a\\tb\\nc\\r\\nd'],
    ['other control characters as they are', 'a\u0001\u0008\u000b\u000c\u007f', false, 'a\u0001\u0008\u000b\u000c\u007f'],
    ['unicode as it is', 'é 😀 \u200f\u05e9', false, 'é 😀 \u200f\u05e9'],
    ['a number', 42, false, '42'],
    ['JSON null is SQL null', null, true, '\\N'],
    ['a JSON string', 'hello', true, '"hello"'],
    ['a JSON string with escapes', 'a\\b\n"c"\t', true, '"a\\\\\\\\b\\\\n\\\\"c\\\\"\\\\t"'],
    ['a JSON object', { a: [1, 2.5, true, false, null], 'k\u00e9': {} }, true, '{"a":[1,2.5,true,false,null],"k\u00e9":{}}'],
    ['a JSON number', 1.5, true, '1.5'],
    ['JSON false', false, true, 'false'],
  ])('%s', (_name, value, json, expected) => {
    expect(copyTextField(value, json)).toBe(expected);
  });
});

describe('copyTextRows', () => {
  it('writes one line per row in table column order, the id first and defaults for absent columns', () => {
    const text = copyTextRows(
      [
        { id: '7', pending: { row: 1, values: { event: 'paid', extra_data: { n: 1 } }, errors: [] } },
        { id: '8', pending: { row: 2, values: { template: 'x.ejs', object_repr: '' }, errors: [] } },
      ],
      { template: 'timeline_logger/default.ejs', timestamp: '2024-01-01T00:00:00.000000Z' },
    );
    expect(text).toBe(
      [
        '7\t\\N\t\\N\t\\N\t2024-01-01T00:00:00.000000Z\t\\N\t\\N\ttimeline_logger/default.ejs\tpaid\t{"n":1}\t\\N',
        '8\t\\N\t\\N\t\t2024-01-01T00:00:00.000000Z\t\\N\t\\N\tx.ejs\t\\N\t\\N\t\\N',
        '',
      ].join('\n'),
    );
  });
});

describe('copyErrorLine', () => {
  it('reads the line PostgreSQL names, or null', () => {
    expect(copyErrorLine({ where: 'COPY timeline_logs, line 3: "3\\tPost"' })).toBe(3);
    expect(copyErrorLine({ where: 'COPY timeline_logs, line 12, column event: "x"' })).toBe(12);
    expect(copyErrorLine({ where: 'SQL statement "SELECT 1"' })).toBeNull();
    expect(copyErrorLine(new Error('no where'))).toBeNull();
  });
});
