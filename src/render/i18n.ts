/**
 * Message catalogs and locale helpers.
 *
 * The English text is the message id (as with gettext): English needs no catalog and an
 * untranslated message falls back to its English text. Each shipped locale lives in one file
 * under `locales/` holding its messages, its month and day names and its Django date formats;
 * adding a locale means adding that file and listing it in {@link LOCALE_DATA}.
 *
 * @module
 */
import { ConfigurationError } from '../errors.js';
import type { LocaleData } from './locale-data.js';
import { en } from './locales/en.js';
import { nl } from './locales/nl.js';

/**
 * A locale timeline-logger ships translations for.
 *
 * @example
 * ```ts
 * const locale: Locale = parseLocale(process.env.LANG) ?? DEFAULT_LOCALE;
 * ```
 */
export type Locale = 'en' | 'nl';

const LOCALE_DATA: Readonly<Record<Locale, LocaleData>> = Object.freeze({ en, nl });

/**
 * The locales timeline-logger ships, the default first.
 *
 * @example
 * ```ts
 * SUPPORTED_LOCALES.includes('nl'); // true
 * ```
 */
export const SUPPORTED_LOCALES: readonly Locale[] = Object.freeze(['en', 'nl'] as const);

/**
 * The locale used when none is configured or negotiated: `'en'`.
 *
 * @example
 * ```ts
 * const locale = negotiateLocale(req.get('accept-language')) ?? DEFAULT_LOCALE;
 * ```
 */
export const DEFAULT_LOCALE: Locale = 'en';

/** `ll`, `ll-RR`, `ll_RR`, plus a POSIX `.charset` / `@modifier` as in `LANG=nl_NL.UTF-8`. */
const LANGUAGE_TAG = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*(?:\.[a-z0-9-]+)?(?:@[a-z0-9]+)?$/i;

/** A `q` parameter as RFC 9110 §12.4.2 writes it: 0 to 1 with at most three decimals. */
const QUALITY = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Whether `value` is one of {@link SUPPORTED_LOCALES}.
 *
 * @example
 * ```ts
 * isLocale('nl'); // true
 * isLocale('nl-NL'); // false: use parseLocale to normalise tags
 * ```
 */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(LOCALE_DATA, value);
}

/**
 * Normalises a language tag to a supported locale: `'nl-NL'`, `'NL'`, `'nl_BE'` and
 * `'nl_NL.UTF-8'` all give `'nl'`. Unknown or malformed tags give `null`.
 *
 * @example
 * ```ts
 * parseLocale('en-GB'); // 'en'
 * parseLocale('fr-FR'); // null
 * ```
 */
export function parseLocale(value: string | null | undefined): Locale | null {
  if (typeof value !== 'string') return null;
  const match = LANGUAGE_TAG.exec(value.trim());
  const language = match?.[1]?.toLowerCase();
  return isLocale(language) ? language : null;
}

/** One entry of an Accept-Language header. */
interface LanguageRange {
  readonly tag: string;
  readonly quality: number;
}

/** Parses one `tag;q=0.8` entry; a malformed quality makes the entry unusable (null). */
function parseLanguageRange(entry: string): LanguageRange | null {
  // Lenient about whitespace (`q = 0.5`), which RFC 9110 does not allow but some clients send.
  const [tag = '', ...params] = entry.split(';').map((part) => part.trim().replace(/\s*=\s*/, '='));
  if (tag === '') return null;
  let quality = 1;
  for (const param of params) {
    if (!/^q=/i.test(param)) continue;
    const match = QUALITY.exec(param);
    if (!match?.[1]) return null;
    quality = Number(match[1]);
  }
  return { tag, quality };
}

/**
 * Picks the best supported locale from an `Accept-Language` header, respecting q-values
 * (ties keep the header's order). `*` stands for any locale not refused with `q=0`.
 * Returns `null` when the client accepts none of ours.
 *
 * @example
 * ```ts
 * negotiateLocale('nl-NL,nl;q=0.9,en;q=0.8'); // 'nl'
 * negotiateLocale('fr, en;q=0.5'); // 'en'
 * negotiateLocale('fr'); // null
 * ```
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (typeof acceptLanguage !== 'string') return null;
  const ranges = acceptLanguage
    .split(',')
    .map(parseLanguageRange)
    .filter((range): range is LanguageRange => range !== null);
  const refused = new Set(ranges.filter((range) => range.quality === 0).map((range) => parseLocale(range.tag)));
  const wanted = ranges.filter((range) => range.quality > 0).sort((a, b) => b.quality - a.quality);
  for (const { tag } of wanted) {
    if (tag === '*') {
      const any = SUPPORTED_LOCALES.find((locale) => !refused.has(locale));
      if (any) return any;
      continue;
    }
    const locale = parseLocale(tag);
    if (locale && !refused.has(locale)) return locale;
  }
  return null;
}

/**
 * The messages, calendar words and date formats of a shipped locale. Throws a
 * `ConfigurationError` for a locale we do not ship (only reachable from untyped callers).
 *
 * @example
 * ```ts
 * localeData('nl').formats.dateTime; // 'j F Y H:i'
 * ```
 */
export function localeData(locale: Locale): LocaleData {
  const data = isLocale(locale) ? LOCALE_DATA[locale] : undefined;
  if (!data) throw ConfigurationError.invalidOption('locale', `one of ${SUPPORTED_LOCALES.join(', ')}`, locale);
  return data;
}

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
  return text.replace(PLACEHOLDER, (placeholder, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : placeholder,
  );
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
export function translate(
  locale: Locale,
  msgid: string,
  params?: Readonly<Record<string, string | number>>,
): string {
  const messages = localeData(locale).messages;
  const text = Object.hasOwn(messages, msgid) ? (messages[msgid] ?? msgid) : msgid;
  return interpolate(text, params);
}
