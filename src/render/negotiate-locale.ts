/**
 * `Accept-Language` negotiation (RFC 9110 §12.5.4) against the shipped locales.
 *
 * @module
 */
import { parseLocale, SUPPORTED_LOCALES, type Locale } from './locale.js';

/** A `q` parameter as RFC 9110 §12.4.2 writes it: 0 to 1 with at most three decimals. */
const QUALITY = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

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
