/**
 * The locales timeline-logger ships and their data.
 *
 * Each shipped locale lives in one file under `locales/` holding its messages, its month and
 * day names and its Django date formats; adding a locale means adding that file and listing it
 * in {@link LOCALE_DATA}.
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
