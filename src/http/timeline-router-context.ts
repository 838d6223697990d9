import type { TimelineRuntime } from '../model/timeline-log.js';
import { MessageRenderer } from '../render/message-renderer.js';
import { DEFAULT_CURSOR_SECRET } from './cursor.js';
import type { TimelineRouterOptions } from './timeline-router-options.js';
import { TimelineStylesheet } from './timeline-stylesheet.js';

/**
 * Everything the router's requests share, resolved once when the router is made: no request
 * reads the setup again.
 */
export interface TimelineRouterContext {
  /** The setup's model, connection, options and message renderer (messages render with it). */
  readonly runtime: TimelineRuntime;
  /** The router's validated options. */
  readonly options: TimelineRouterOptions;
  /** Renders the page's own templates: the router's `templateDirs` first, then the setup's. */
  readonly pageRenderer: MessageRenderer;
  readonly stylesheet: TimelineStylesheet;
  /** Key the cursors are signed with: the `cursorSecret` option, else the package's. */
  readonly cursorSecret: string;
  /** Logs per page: the `paginateBy` option, else the setup's. */
  readonly perPage: number;
}

/**
 * Resolves the router's options against the setup: finds the page templates and reads the
 * stylesheet (so a missing one fails when the router is made).
 *
 * @throws TemplateNotFoundError when no template folder has `timeline_logger/timeline.css`.
 * @example
 * ```ts
 * const context = timelineRouterContext(validateRouterOptions({ public: true }), TimelineLog.runtime);
 * context.perPage; // 25
 * ```
 */
export function timelineRouterContext(options: TimelineRouterOptions, runtime: TimelineRuntime): TimelineRouterContext {
  const pageRenderer = new MessageRenderer([...(options.templateDirs ?? []), ...runtime.options.templateDirs]);
  return Object.freeze({
    runtime,
    options,
    pageRenderer,
    stylesheet: TimelineStylesheet.load(pageRenderer),
    cursorSecret: options.cursorSecret ?? DEFAULT_CURSOR_SECRET,
    perPage: options.paginateBy ?? runtime.options.paginateBy,
  });
}
