/**
 * The `restored` event (issue 13): its package template renders like `deleted.ejs`, in English
 * and Dutch, and the page's badges name it in both languages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventLabel } from '../../src/render/event-label.js';
import type { Locale } from '../../src/render/locale.js';
import { MessageRenderer, PACKAGE_VIEWS_DIR } from '../../src/render/message-renderer.js';
import { translate } from '../../src/render/translate.js';

function render(template: string, locale: Locale): string {
  const t = (msgid: string, params?: Record<string, string>) => translate(locale, msgid, params);
  return new MessageRenderer([]).render(template, { timestamp: 'July 1, 2016, 9:08 a.m.', user: 'ann', object: 'Hello', t });
}

describe('timeline_logger/restored.ejs', () => {
  it.each<[Locale, string]>([
    ['en', 'July 1, 2016, 9:08 a.m. - ann restored Hello\n'],
    ['nl', 'July 1, 2016, 9:08 a.m. - ann heeft Hello hersteld\n'],
  ])('renders <timestamp> - <user> restored <object> in %s', (locale, message) => {
    expect(render('timeline_logger/restored.ejs', locale)).toBe(message);
  });

  it('is deleted.ejs with the other verb, byte for byte', () => {
    const read = (name: string) => readFileSync(path.join(PACKAGE_VIEWS_DIR, 'timeline_logger', name), 'utf8');
    expect(read('restored.ejs')).toBe(read('deleted.ejs').replace('deleted', 'restored'));
  });
});

describe('the restored event label', () => {
  it('is shown as the verb in each locale, and an app label still wins', () => {
    expect(eventLabel('restored', 'en', {})).toBe('restored');
    expect(eventLabel('restored', 'nl', {})).toBe('hersteld');
    expect(eventLabel('restored', 'nl', { restored: { nl: 'teruggezet' } })).toBe('teruggezet');
  });
});
