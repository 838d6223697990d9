import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import { pageWindow } from './pagination.js';
import type { TimelineLinks } from './timeline-links.js';
import type { TimelinePage } from './timeline-query.js';

/** A link of the pager; `href` is null when it leads nowhere (shown disabled). */
export interface PagerLink {
  readonly label: string;
  readonly href: string | null;
  readonly rel: 'first' | 'prev' | 'next' | 'last';
}

/** A page number of the numbered window; null entries in the window are gaps ("…"). */
export interface PagerNumber {
  readonly number: number;
  readonly href: string;
  readonly current: boolean;
}

/** The pagination of a page, in keyset (`Newest`, `Newer`, `Older`, `Oldest`) or numbered mode. */
export interface PagerView {
  readonly mode: 'keyset' | 'numbered';
  readonly links: readonly PagerLink[];
  /** Page numbers: the whole window in numbered mode, `1 2` on the newest keyset page, else empty. */
  readonly window: readonly (PagerNumber | null)[];
  /** "Page 3 of 12" in numbered mode, else null. */
  readonly status: string | null;
  /** Whether there is anything to page to. */
  readonly visible: boolean;
}

/**
 * The pager of a page: First/Previous/Next/Last with a window of page numbers for a numbered
 * page (`?page=N`); Newest/Newer/Older/Oldest for a keyset page, plus `1 2` on the newest one
 * (the `oldest` page has no numbers: it does not know where it is).
 *
 * @example
 * ```ts
 * pagerView(page, links, 'en', false).links.map((link) => link.label); // ['Newest', 'Newer', 'Older', 'Oldest']
 * ```
 */
export function pagerView(page: TimelinePage, links: TimelineLinks, locale: Locale, oldestPage: boolean): PagerView {
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>): string => translate(locale, msgid, params);
  const info = page.numbered;
  if (info !== null) {
    const numbered = (number: number): PagerNumber => ({ number, href: links.hrefPage(number), current: number === info.number });
    return {
      mode: 'numbered',
      links: [
        { label: t('First'), href: info.hasPrevious ? links.hrefPage(1) : null, rel: 'first' },
        { label: t('Previous'), href: info.hasPrevious ? links.hrefPage(info.number - 1) : null, rel: 'prev' },
        { label: t('Next'), href: info.hasNext ? links.hrefPage(info.number + 1) : null, rel: 'next' },
        { label: t('Last'), href: info.hasNext ? links.hrefPage(info.pages) : null, rel: 'last' },
      ],
      window: pageWindow(info.number, info.pages).map((number) => (number === null ? null : numbered(number))),
      status: t('Page {page} of {pages}', { page: info.number, pages: info.pages }),
      visible: info.pages > 1,
    };
  }
  const atNewest = page.newer === null;
  const newestWindow: (PagerNumber | null)[] =
    atNewest && page.older !== null && !oldestPage
      ? [
          { number: 1, href: links.hrefNewest(), current: true },
          { number: 2, href: links.hrefPage(2), current: false },
        ]
      : [];
  return {
    mode: 'keyset',
    links: [
      { label: t('Newest'), href: atNewest ? null : links.hrefNewest(), rel: 'first' },
      { label: t('Newer'), href: page.newer === null ? null : links.hrefAfter(page.newer), rel: 'prev' },
      { label: t('Older'), href: page.older === null ? null : links.hrefBefore(page.older), rel: 'next' },
      { label: t('Oldest'), href: page.older === null ? null : links.hrefOldest(), rel: 'last' },
    ],
    window: newestWindow,
    status: null,
    visible: page.newer !== null || page.older !== null,
  };
}
