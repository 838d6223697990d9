import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import {
  DEFAULT_LOCALE,
  type Locale,
  SUPPORTED_LOCALES,
  isLocale,
  localeData,
  parseLocale,
} from '../../src/render/locale.js';
import { negotiateLocale } from '../../src/render/negotiate-locale.js';
import { interpolate, translate } from '../../src/render/translate.js';

describe('locales', () => {
  it('ships English (the default) and Dutch', () => {
    expect(SUPPORTED_LOCALES).toEqual(['en', 'nl']);
    expect(DEFAULT_LOCALE).toBe('en');
  });

  it.each([
    ['en', true],
    ['nl', true],
    ['nl-NL', false],
    ['fr', false],
    ['constructor', false],
    [undefined, false],
  ])('isLocale(%j) is %j', (value, expected) => {
    expect(isLocale(value)).toBe(expected);
  });
});

describe('parseLocale', () => {
  it.each<[string | null | undefined, Locale | null]>([
    ['nl', 'nl'],
    ['nl-NL', 'nl'],
    ['NL', 'nl'],
    ['nl_BE', 'nl'],
    ['nl_NL.UTF-8', 'nl'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['  en  ', 'en'],
    ['fr', null],
    ['fr-FR', null],
    ['english', null],
    ['n', null],
    ['C', null],
    ['*', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('parseLocale(%j) → %j', (value, expected) => {
    expect(parseLocale(value)).toBe(expected);
  });
});

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

describe('catalogs', () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

  it.each(SUPPORTED_LOCALES)('%s translations keep exactly the placeholders of their msgid', (locale) => {
    for (const [msgid, text] of Object.entries(localeData(locale).messages)) {
      expect(placeholders(text), msgid).toEqual(placeholders(msgid));
    }
  });

  it('translates every message and page string into Dutch', () => {
    const msgids = [
      'Anonymous user', 'None',
      '{timestamp} - {user} event on {object}', '{timestamp} - {user} created {object}',
      '{timestamp} - {user} updated {object}', '{timestamp} - {user} updated {object} ({changes})',
      '{timestamp} - {user} deleted {object}',
      'Timeline', 'Previous', 'Next', 'First', 'Last', 'Page {page} of {pages}', 'No events yet.',
      'Newer', 'Older', 'Pagination', 'a.m.', 'p.m.', 'noon', 'midnight',
    ];
    for (const msgid of msgids) expect(Object.hasOwn(localeData('nl').messages, msgid), msgid).toBe(true);
  });

  it.each<[Locale, string, string, string]>([
    ['en', 'N j, Y', 'P', 'N j, Y, P'],
    ['nl', 'j F Y', 'H:i', 'j F Y H:i'],
  ])('%s uses Django’s date formats', (locale, date, time, dateTime) => {
    expect(localeData(locale).formats).toEqual({ date, time, dateTime });
  });
});
