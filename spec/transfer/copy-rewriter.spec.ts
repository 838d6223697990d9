import { describe, expect, it } from 'vitest';
import { CopyCsvRewriter } from '../../src/transfer/copy-csv-rewriter.js';
import { CopyNdjsonRewriter } from '../../src/transfer/copy-ndjson-rewriter.js';
import type { CopyRewriter } from '../../src/transfer/copy-rewriter.js';

/** PostgreSQL's `COPY ... (FORMAT csv)` output of (text, timestamp, json) rows, with cells spanning lines. */
const CSV = [
  '=a,2020-01-01 00:00:00.5+00,"{""a"": [1, 2], ""s"": ""x, \\""y\\"": z""}"',
  '"multi\nline, ""quoted""",12345-01-01 00:00:00+00,"[2.50, -0]"',
  '\\.,0002-03-04 05:06:07+00 BC,',
  ',infinity,-7',
  '"",2016-07-01 09:08:12.345678+00,"{""10"": 1, ""b"": 2}"',
  '',
].join('\n');

/** PostgreSQL's `COPY` text output of (key, text, timestamp, json) rows. */
const TEXT = [
  '7\tsay "hi"\\t\\\\ \\v\x01\t2020-01-01 00:00:00+00\t{"a": "b\\\\"c", "n": [1, 2]}',
  '1234567890123456\t\\N\t2020-01-01 00:00:00.25+00\t"text: \\\\"q\\\\""',
  '0\t\t2020-01-01 00:00:00+00\t{"x": 1.50}',
  '',
].join('\n');

function inPieces(rewriter: () => CopyRewriter, input: string, size: number): string {
  const bytes = Buffer.from(input);
  const instance = rewriter();
  const out: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) out.push(instance.push(bytes.subarray(start, start + size)));
  instance.finish();
  return Buffer.concat(out).toString();
}

describe('COPY rewriters', () => {
  const csv = () => new CopyCsvRewriter(['text', 'timestamp', 'json'], ',', true);
  const ndjson = () =>
    new CopyNdjsonRewriter([
      { name: 'id', kind: 'key' },
      { name: 'event', kind: 'text' },
      { name: 'timestamp', kind: 'timestamp' },
      { name: 'extra_data', kind: 'json' },
    ]);

  it('rewrite csv rows as the csv writer writes them', () => {
    expect(inPieces(csv, CSV, CSV.length).split('\n')).toEqual([
      `'=a,2020-01-01T00:00:00.500000Z,"{""a"":[1,2],""s"":""x, \\""y\\"": z""}"`,
      '"multi',
      `line, ""quoted""",12345-01-01T00:00:00.000000Z,"[2.5,0]"`,
      `"\\.",'-000001-03-04T05:06:07.000000Z,`,
      `,infinity,'-7`,
      `"",2016-07-01T09:08:12.345678Z,"{""10"":1,""b"":2}"`,
      '',
    ]);
  });

  it('rewrite text rows as the ndjson writer writes them', () => {
    const lines = inPieces(ndjson, TEXT, TEXT.length).split('\n');
    expect(lines).toEqual([
      '{"id":7,"event":"say \\"hi\\"\\t\\\\ \\u000b\\u0001","timestamp":"2020-01-01T00:00:00.000000Z","extra_data":{"a":"b\\"c","n":[1,2]}}',
      '{"id":"1234567890123456","event":null,"timestamp":"2020-01-01T00:00:00.250000Z","extra_data":"\\"text: \\\\\\"q\\\\\\"\\""}',
      '{"id":0,"event":"","timestamp":"2020-01-01T00:00:00.000000Z","extra_data":{"x":1.5}}',
      '',
    ]);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ event: 'say "hi"\t\\ \v\x01' });
  });

  it('give the same bytes whatever the chunks, split at any byte', () => {
    for (const [rewriter, input] of [
      [csv, CSV],
      [ndjson, TEXT],
    ] as const) {
      const whole = inPieces(rewriter, input, input.length);
      for (let size = 1; size < 40; size += 1) expect(inPieces(rewriter, input, size)).toBe(whole);
    }
  });

  it('refuse output that ends inside a row', () => {
    const rewriter = csv();
    rewriter.push(Buffer.from('"open,'));
    expect(() => rewriter.finish()).toThrow('ended inside a row');
  });
});
