/**
 * Message lookup in the shipped catalogs.
 *
 * The English text is the message id (as with gettext): English needs no catalog and an
 * untranslated message falls back to its English text.
 *
 * @module
 */
import { localeData, type Locale } from './locale.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces each `{name}` in `text` with `params[name]`, in a single pass (a value that itself
 * contains `{x}` is not expanded again). Placeholders without a param are left as they are.
 *
 * @example
 * ```ts
 * interpolate('Page {page} of {pages}', { page: 2, pages: 5 }); // 'Page 2 of 5'
 * ```
 */
export function interpolate(text: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params || !text.includes('{')) return text;
  return text.replace(PLACEHOLDER, (placeholder, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : placeholder));
}

/**
 * Translates an English msgid (the English text is the key) and interpolates `{name}`
 * placeholders from `params`. A msgid the locale has no translation for comes back as the
 * English text, interpolated.
 *
 * @example
 * ```ts
 * translate('nl', 'Anonymous user'); // 'Anonieme gebruiker'
 * translate('nl', '{timestamp} - {user} created {object}', { timestamp: '1 juli 2016 09:08', user: 'Ann', object: 'Post' });
 * // '1 juli 2016 09:08 - Ann heeft Post aangemaakt'
 * translate('en', 'Page {page} of {pages}', { page: 1, pages: 3 }); // 'Page 1 of 3'
 * ```
 */
export function translate(locale: Locale, msgid: string, params?: Readonly<Record<string, string | number>>): string {
  const messages = localeData(locale).messages;
  const text = Object.hasOwn(messages, msgid) ? (messages[msgid] ?? msgid) : msgid;
  return interpolate(text, params);
}

/**
 * The msgid for `count`: `one` for exactly 1, else `other`, the plural rule of both shipped
 * locales (English and Dutch). Translate the result as usual, with `count` among the params.
 *
 * @example
 * ```ts
 * translate('nl', pluralMsgid(1, 'Exported {count} timeline log.', 'Exported {count} timeline logs.'), { count: 1 });
 * ```
 */
export function pluralMsgid(count: number, one: string, other: string): string {
  return count === 1 ? one : other;
}
