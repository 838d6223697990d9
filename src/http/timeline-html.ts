import { translate } from '../render/translate.js';
import type { MessageRenderer } from '../render/message-renderer.js';
import type { TimelineView } from './timeline-view.js';

/** The page's template; it renders its parts with `partial('timeline_logger/_filters.ejs', { filters })` and the like. */
export const PAGE_TEMPLATE = 'timeline_logger/timeline.ejs';
/** The document around the page; it gets the view, `t` and the page as `body`. */
export const LAYOUT_TEMPLATE = 'timeline_logger/layout.ejs';

/**
 * The HTML of a timeline page: the page template inside the layout, rendered with the
 * router's renderer (the app's template folders first). Templates see the view and `t`;
 * partials see only what they are given (plus `t` and `partial`), like function arguments.
 *
 * @throws TemplateNotFoundError when a template does not exist.
 * @example
 * ```ts
 * res.type('html').send(timelineHtml(context.pageRenderer, timelineView(page, entries, viewRequest)));
 * ```
 */
export function timelineHtml(renderer: MessageRenderer, view: TimelineView): string {
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>): string => translate(view.locale, msgid, params);
  const partial = (template: string, data: Record<string, unknown> = {}): string =>
    renderer.render(template, { ...data, t, partial }, 'html');
  const body = renderer.render(PAGE_TEMPLATE, { ...view, t, partial }, 'html');
  return renderer.render(LAYOUT_TEMPLATE, { ...view, t, body }, 'html');
}
