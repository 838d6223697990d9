import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isCursorKey, type CursorKey } from '../../src/http/cursor.js';

const KEY: CursorKey = { timestamp: '2016-07-01T09:08:00.123456Z', id: '9223372036854775807' };

describe('keyset cursors', () => {
  it('round-trip the full microsecond timestamp and a bigint id', () => {
    expect(decodeCursor(encodeCursor(KEY))).toEqual(KEY);
    expect(decodeCursor(encodeCursor(KEY, 'an app secret of some length'), 'an app secret of some length')).toEqual(KEY);
  });

  it('are URL-safe tokens that do not show the key in clear', () => {
    const token = encodeCursor(KEY);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('2016');
  });

  it('refuse every single-character change', () => {
    const token = encodeCursor(KEY);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let index = 0; index < token.length; index += 1) {
      if (token[index] === '.') continue;
      const replacement = alphabet[(alphabet.indexOf(token[index] as string) + 1) % alphabet.length] as string;
      const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
      expect(decodeCursor(tampered), `changed at ${index}`).toBeNull();
    }
  });

  it('refuse a cursor re-encoded with another key, signed with another secret, or cut short', () => {
    const token = encodeCursor(KEY);
    const [, signature] = token.split('.');
    const forged = `${Buffer.from('2016-07-01T09:08:00.123456Z~1').toString('base64url')}.${signature}`;
    expect(decodeCursor(forged)).toBeNull();
    expect(decodeCursor(token, 'another secret entirely')).toBeNull();
    expect(decodeCursor(token.slice(0, -2))).toBeNull();
    expect(decodeCursor(token.split('.')[0] as string)).toBeNull();
  });

  it.each(['', '.', 'a.b.c', '!!!.???', 'x'.repeat(500), 'eyJ0IjoxfQ.AAAA'])('refuse the malformed token %j', (token) => {
    expect(decodeCursor(token)).toBeNull();
  });

  it.each([
    [{ timestamp: '2016-07-01T09:08:00.123456Z', id: '1' }, true],
    [{ timestamp: '2016-02-30T00:00:00.000000Z', id: '1' }, false],
    [{ timestamp: '2016-07-01T24:00:00.000000Z', id: '1' }, false],
    [{ timestamp: '2016-07-01T09:08:00.123Z', id: '1' }, false],
    [{ timestamp: '2016-07-01T09:08:00.123456+02:00', id: '1' }, false],
    [{ timestamp: '2016-07-01T09:08:00.123456Z', id: '0' }, false],
    [{ timestamp: '2016-07-01T09:08:00.123456Z', id: '9223372036854775808' }, false],
    [{ timestamp: '2016-07-01T09:08:00.123456Z', id: '1e3' }, false],
  ])('check the key %j (valid: %s)', (key, valid) => {
    expect(isCursorKey(key)).toBe(valid);
  });

  it('will not encode an impossible key', () => {
    expect(() => encodeCursor({ timestamp: 'yesterday', id: '1' })).toThrow(TypeError);
  });
});
