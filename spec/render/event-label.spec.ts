import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { resolveOptions } from '../../src/options.js';
import { eventLabel, resolveEventLabels, type EventLabels } from '../../src/render/event-label.js';
import type { Locale } from '../../src/render/locale.js';

const LABELS: EventLabels = {
  purchased: { en: 'purchased', nl: 'gekocht' },
  shipped: { en: 'shipped' },
  created: { en: 'added' },
};

describe('eventLabel', () => {
  it.each<[string, Locale, string]>([
    ['purchased', 'nl', 'gekocht'],
    ['purchased', 'en', 'purchased'],
    ['shipped', 'nl', 'shipped'], // no Dutch label: the English one
    ['created', 'en', 'added'], // the app's label wins in its locale
    ['created', 'nl', 'aangemaakt'], // the package's translation beats the app's English
    ['deleted', 'nl', 'verwijderd'],
    ['viewed', 'nl', 'viewed'], // unlabelled: as stored
    ['toString', 'nl', 'toString'], // not an own key
  ])('%s in %s is %j', (event, locale, label) => {
    expect(eventLabel(event, locale, LABELS)).toBe(label);
  });
});

describe('the eventLabels option', () => {
  it('defaults to none and is frozen', () => {
    expect(resolveOptions({}).eventLabels).toEqual({});
    const resolved = resolveOptions({ eventLabels: { purchased: { nl: 'gekocht' } } }).eventLabels;
    expect(resolved).toEqual({ purchased: { nl: 'gekocht' } });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.purchased)).toBe(true);
  });

  it('keeps an event named __proto__ as an event', () => {
    const resolved = resolveEventLabels(JSON.parse('{"__proto__": {"nl": "proto"}}'));
    expect(eventLabel('__proto__', 'nl', resolved)).toBe('proto');
    expect(Object.getPrototypeOf(resolved)).toBe(Object.prototype);
  });

  it.each<[string, unknown, RegExp]>([
    ['a list', [['purchased', 'gekocht']], /^option eventLabels must be an object of events to labels per locale/],
    [
      'a label instead of labels per locale',
      { purchased: 'gekocht' },
      /^option eventLabels\.purchased must be an object of labels per locale \(got "gekocht"\)/,
    ],
    ['an unknown locale', { purchased: { fr: 'acheté' } }, /^option eventLabels\.purchased must be keyed by en or nl \(got "fr"\)/],
    ['an empty label', { purchased: { nl: ' ' } }, /^option eventLabels\.purchased\.nl must be a non-empty string/],
    [
      'an event too long for the column',
      { ['x'.repeat(65)]: { en: 'x' } },
      /^option eventLabels must be keyed by events of 1 to 64 characters/,
    ],
  ])('refuses %s at setup with a ConfigurationError naming it', (_case, value, message) => {
    const resolve = (): unknown => resolveOptions({ eventLabels: value as EventLabels });
    expect(resolve).toThrow(ConfigurationError);
    expect(resolve).toThrow(message);
  });
});
