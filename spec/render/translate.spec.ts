import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import type { Locale } from '../../src/render/locale.js';
import { interpolate, translate } from '../../src/render/translate.js';

describe('translate', () => {
  it.each<[Locale, string, Record<string, string | number> | undefined, string]>([
    ['nl', 'Anonymous user', undefined, 'Anonieme gebruiker'],
    ['nl', 'None', undefined, 'Geen'],
    ['nl', 'Timeline', undefined, 'Tijdlijn'],
    ['nl', 'Page {page} of {pages}', { page: 2, pages: 7 }, 'Pagina 2 van 7'],
    ['en', 'Page {page} of {pages}', { page: 2, pages: 7 }, 'Page 2 of 7'],
    ['en', 'Anonymous user', undefined, 'Anonymous user'],
    [
      'nl',
      '{timestamp} - {user} created {object}',
      { timestamp: '1 juli 2016 09:08', user: 'Ann', object: 'Nieuw bericht' },
      '1 juli 2016 09:08 - Ann heeft Nieuw bericht aangemaakt',
    ],
    [
      'nl',
      '{timestamp} - {user} updated {object} ({changes})',
      { timestamp: 'T', user: 'Ann', object: 'Post', changes: 'title, body' },
      'T - Ann heeft Post gewijzigd (title, body)',
    ],
    [
      'en',
      '{timestamp} - {user} event on {object}',
      { timestamp: 'July 1, 2016, 9:08 a.m.', user: 'Anonymous user', object: 'New blog entry' },
      'July 1, 2016, 9:08 a.m. - Anonymous user event on New blog entry',
    ],
  ])('translate(%j, %j, %j) → %j', (locale, msgid, params, expected) => {
    expect(translate(locale, msgid, params)).toBe(expected);
  });

  it('falls back to the msgid, interpolated, when the locale has no translation', () => {
    expect(translate('nl', 'Nothing like this is translated')).toBe('Nothing like this is translated');
    expect(translate('nl', 'Hello {name}', { name: 'Ann' })).toBe('Hello Ann');
  });

  it('does not mistake Object.prototype members for translations', () => {
    expect(translate('nl', 'constructor')).toBe('constructor');
    expect(translate('nl', 'toString')).toBe('toString');
    expect(translate('nl', '__proto__')).toBe('__proto__');
  });

  it('leaves placeholders without a param, and substitutes in a single pass', () => {
    expect(translate('en', '{user} did {what}', { user: 'Ann' })).toBe('Ann did {what}');
    expect(translate('en', '{user} did {what}', { user: '{what}', what: 'x' })).toBe('{what} did x');
    expect(translate('en', '{toString}', {})).toBe('{toString}');
  });

  it('throws a ConfigurationError for a locale it does not ship', () => {
    expect(() => translate('fr' as Locale, 'None')).toThrow(ConfigurationError);
  });
});

describe('interpolate', () => {
  it.each<[string, Record<string, string | number> | undefined, string]>([
    ['plain text', { a: 1 }, 'plain text'],
    ['{a}{a}', { a: 1 }, '11'],
    ['{a} {b_2}', { a: 0, b_2: 'two' }, '0 two'],
    ['{ a } {1x}', { a: 1 }, '{ a } {1x}'],
    ['{a}', undefined, '{a}'],
    ['$& {a}', { a: '$1 $&' }, '$& $1 $&'],
  ])('interpolate(%j, %j) → %j', (text, params, expected) => {
    expect(interpolate(text, params)).toBe(expected);
  });
});
