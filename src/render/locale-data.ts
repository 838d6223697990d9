/**
 * The shape of one shipped locale: its message catalog, calendar words and Django date
 * formats. Each file under `locales/` fills one {@link LocaleData}; `locale.ts` lists them.
 *
 * @module
 */

/**
 * A message catalog: English msgid → translated text, both with the same `{name}` placeholders.
 *
 * @example
 * ```ts
 * const messages: Catalog = { 'Page {page} of {pages}': 'Pagina {page} van {pages}' };
 * ```
 */
export type Catalog = Readonly<Record<string, string>>;

/** Twelve month names, January first. */
export type MonthNames = readonly [string, string, string, string, string, string, string, string, string, string, string, string];

/** Seven day names, **Monday first** (as Python's `date.weekday()`, which Django indexes with). */
export type WeekdayNames = readonly [string, string, string, string, string, string, string];

/**
 * The calendar words one locale uses in formatted dates (Django's `django.utils.dates`).
 *
 * @example
 * ```ts
 * localeData('nl').dateNames.months[6]; // 'juli'
 * ```
 */
export interface DateNames {
  /** Format character `F`: "January". */
  readonly months: MonthNames;
  /** Format character `E`: the month's name where a locale inflects it ("alt. month" in Django). */
  readonly monthsAlt: MonthNames;
  /** Format characters `b` (as is) and `M` (first letter upper-cased): "jan". */
  readonly monthsShort: MonthNames;
  /** Format character `N`: Associated Press style, "Jan.", "March", "Sept.". */
  readonly monthsAp: MonthNames;
  /** Format character `l`: "Monday". */
  readonly weekdays: WeekdayNames;
  /** Format character `D`: "Mon". */
  readonly weekdaysShort: WeekdayNames;
}

/**
 * Django's per-locale `DATE_FORMAT`, `TIME_FORMAT` and `DATETIME_FORMAT`.
 *
 * @example
 * ```ts
 * localeData('nl').formats.dateTime; // 'j F Y H:i'
 * ```
 */
export interface LocaleFormats {
  readonly date: string;
  readonly time: string;
  readonly dateTime: string;
}

/**
 * Everything one shipped locale defines: its messages, calendar words and date formats.
 *
 * @example
 * ```ts
 * export const nl: LocaleData = { messages: { None: 'Geen' }, dateNames: { ... }, formats: { ... } };
 * ```
 */
export interface LocaleData {
  readonly messages: Catalog;
  readonly dateNames: DateNames;
  readonly formats: LocaleFormats;
}
