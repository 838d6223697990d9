import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, type Locale, SUPPORTED_LOCALES, isLocale, localeData, parseLocale } from '../../src/render/locale.js';

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

describe('catalogs', () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

  it.each(SUPPORTED_LOCALES)('%s translations keep exactly the placeholders of their msgid', (locale) => {
    for (const [msgid, text] of Object.entries(localeData(locale).messages)) {
      expect(placeholders(text), msgid).toEqual(placeholders(msgid));
    }
  });

  it('translates every message and page string into Dutch', () => {
    const msgids = [
      'Anonymous user',
      'None',
      '{timestamp} - {user} event on {object}',
      '{timestamp} - {user} created {object}',
      '{timestamp} - {user} updated {object}',
      '{timestamp} - {user} updated {object} ({changes})',
      '{timestamp} - {user} deleted {object}',
      'Timeline',
      'Previous',
      'Next',
      'First',
      'Last',
      'Page {page} of {pages}',
      'No events yet.',
      'Newer',
      'Older',
      'Pagination',
      'a.m.',
      'p.m.',
      'noon',
      'midnight',
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
