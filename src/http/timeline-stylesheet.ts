import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, Response } from 'express';
import type { MessageRenderer } from '../render/message-renderer.js';

/** Where the page's stylesheet lives below a template folder (apps override it there). */
export const STYLESHEET_TEMPLATE = 'timeline_logger/timeline.css';

const LONG_CACHE = 'public, max-age=31536000, immutable';
const SHORT_CACHE = 'public, max-age=300';

/**
 * The timeline's stylesheet: found like the templates (the app's `templateDirs` first), read
 * once, and served with a content hash as its version, so a link carrying `?v=<version>` may
 * be cached for a year and a changed file gets a new URL.
 *
 * @example
 * ```ts
 * const stylesheet = TimelineStylesheet.load(renderer);
 * router.get('/static/timeline.css', stylesheet.serve);
 * ```
 */
export class TimelineStylesheet {
  /** The CSS text. */
  readonly css: string;
  /** First 12 hex digits of its SHA-256. */
  readonly version: string;

  private constructor(css: string) {
    this.css = css;
    this.version = createHash('sha256').update(css).digest('hex').slice(0, 12);
  }

  /**
   * Reads `timeline_logger/timeline.css` from the first of the renderer's folders that has it.
   *
   * @throws TemplateNotFoundError when no folder has it.
   */
  static load(renderer: MessageRenderer): TimelineStylesheet {
    return new TimelineStylesheet(readFileSync(renderer.resolve(STYLESHEET_TEMPLATE), 'utf8'));
  }

  /** Express handler answering with the CSS, an ETag and caching headers (304 when fresh). */
  readonly serve = (req: Request, res: Response): void => {
    res.set({
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': req.query.v === this.version ? LONG_CACHE : SHORT_CACHE,
      ETag: `"${this.version}"`,
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(this.css);
  };
}
