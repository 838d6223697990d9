/**
 * The second render behind a page's sentences (a message template rendered once more with
 * stand-ins for the timestamp, user and object), remembered where it cannot differ from one log
 * to the next. A template whose code reads nothing but `t`, `timestamp`, `user`, `object`,
 * `locale` and `changedFields` (the package's `created`, `updated`, `deleted` and `default`
 * templates) renders the stand-ins the same way for every log with the same language and the
 * same changed fields, so that render is made once and its pieces reused. Any other template
 * (one that reads `log`, `formatDate`, the app's context or a global) is rendered for every log,
 * as before.
 *
 * @module
 */
import { BoundedCache } from './bounded-cache.js';
import type { SentencePiece, SentenceTokens } from './message-sentence.js';
import type { MessageRenderer } from './message-renderer.js';

/** What a stand-in render may read and still be the same for every log with the same key. */
const STABLE_NAMES: ReadonlySet<string> = new Set(['t', 'timestamp', 'user', 'object', 'locale', 'changedFields']);
/** Globals that are constants. */
const CONSTANT_GLOBALS: ReadonlySet<string> = new Set(['undefined', 'NaN', 'Infinity']);
/** What EJS's compiled function sees besides the data: reading any of them could reach other values. */
const EJS_SCOPE: ReadonlySet<string> = new Set(['locals', 'include', 'rethrow', 'escapeFn', 'this', 'arguments', 'eval']);

/** A remembered stand-in render: its pieces, or null when it threw. */
type Shape = readonly SentencePiece[] | null;

const shapesByRenderer = new WeakMap<MessageRenderer, BoundedCache<string, Shape>>();

/**
 * The pieces of `template` rendered (HTML-escaped) with `context` and the stand-ins of
 * `tokens`, or null when that render throws. Made once per template, language and changed
 * fields when the template reads only what stays the same (see the module notes) and the
 * caller's `extra` context replaces none of those; otherwise rendered now.
 *
 * @throws TemplateNotFoundError when the template does not exist.
 * @example
 * ```ts
 * const pieces = standInPieces(renderer, 'timeline_logger/created.ejs', context, tokens);
 * // [{ token: 'timestamp' }, ' - ', { token: 'user' }, ' created ', { token: 'object' }, '\n']
 * ```
 */
export function standInPieces(
  renderer: MessageRenderer,
  template: string,
  context: Readonly<Record<string, unknown>>,
  tokens: SentenceTokens,
  extra: Readonly<Record<string, unknown>> = {},
): Shape {
  const render = (): Shape => {
    try {
      const standIns = { ...context, timestamp: tokens.timestamp, user: tokens.user, object: tokens.object };
      return tokens.split(renderer.render(template, standIns, 'html'));
    } catch {
      return null;
    }
  };
  const names = renderer.names(template);
  // A caller's own `t`, `locale` or `changedFields` could make them differ from log to log.
  const replacesStable = Object.keys(extra).some((name) => STABLE_NAMES.has(name));
  if (names === null || replacesStable || !readsOnlyStableNames(names, context)) return render();
  const changes = names.has('changedFields') ? JSON.stringify(context.changedFields) : '';
  const key = `${renderer.revision}\u0000${renderer.resolve(template)}\u0000${String(context.locale)}\u0000${changes}`;
  let shapes = shapesByRenderer.get(renderer);
  if (shapes === undefined) {
    shapes = new BoundedCache(512);
    shapesByRenderer.set(renderer, shapes);
  }
  return shapes.get(key, render);
}

/** Whether every name the template may read is a stable one, or names nothing it could read (a keyword, a key, its own variable). */
function readsOnlyStableNames(names: ReadonlySet<string>, context: Readonly<Record<string, unknown>>): boolean {
  for (const name of names) {
    if (STABLE_NAMES.has(name) || CONSTANT_GLOBALS.has(name)) continue;
    if (name in context || EJS_SCOPE.has(name) || name in globalThis) return false;
  }
  return true;
}
