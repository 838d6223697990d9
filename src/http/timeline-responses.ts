import type { Response } from 'express';
import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import type { TimelineRequestError } from './timeline-request-error.js';
import type { TimelineAnswer } from './timeline-request.js';

/**
 * The page's Content-Security-Policy: nothing inline, nothing from elsewhere. The page needs
 * no script at all.
 */
export const TIMELINE_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Marks a page answer (and its errors) as depending on `Accept` and private to the user.
 *
 * @example
 * ```ts
 * setPageCaching(res); // Vary: Accept; Cache-Control: private, no-cache
 * ```
 */
export function setPageCaching(res: Response): void {
  res.vary('Accept').set('Cache-Control', 'private, no-cache');
}

/**
 * Sends the page's HTML with its security headers (the strict CSP, `nosniff`, a same-origin
 * referrer policy).
 *
 * @example
 * ```ts
 * sendTimelineHtml(res, timelineHtml(context.pageRenderer, view));
 * ```
 */
export function sendTimelineHtml(res: Response, html: string): void {
  res.set({
    'Content-Security-Policy': TIMELINE_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  res.type('html').send(html);
}

/**
 * Answers a refused request (400 or 404) in the request's language: a JSON `error` object
 * (`status`, `parameter`, `message`) for a JSON request, else the message as plain text.
 *
 * @example
 * ```ts
 * sendRequestError(res, TimelineRequestError.repeatedParameter('event'), { locale: 'nl', format: 'html' });
 * // 400 text/plain: 'De parameter event mag maar één keer voorkomen.'
 * ```
 */
export function sendRequestError(res: Response, error: TimelineRequestError, answer: TimelineAnswer): void {
  const { locale } = answer;
  const params =
    error.params.expected === undefined ? error.params : { ...error.params, expected: translate(locale, error.params.expected) };
  const message = translate(locale, error.msgid, params);
  res.status(error.status);
  if (answer.format === 'json') res.json({ error: { status: error.status, parameter: error.parameter, message } });
  else res.type('text/plain').send(message);
}

/**
 * The default answer to a request `authorize` refused: 403 with a plain-text message.
 *
 * @example
 * ```ts
 * sendForbidden(res, 'en'); // 403: 'You are not allowed to see this timeline.'
 * ```
 */
export function sendForbidden(res: Response, locale: Locale): void {
  res.status(403).type('text/plain').send(translate(locale, 'You are not allowed to see this timeline.'));
}
