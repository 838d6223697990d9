import type { JsonValue } from '../model/to-json-value.js';
import { MASKED_VALUE } from '../tracking/change-set.js';

/** Characters of a value shown before it is cut (the whole value stays available beside it). */
export const CHANGE_PREVIEW_LENGTH = 200;
/** Lines of a multi-line value shown before it is cut. */
export const CHANGE_PREVIEW_LINES = 3;

/**
 * How a value is shown, so that values that read alike are told apart:
 * - `text`: a non-empty string, as it is;
 * - `code`: a number, boolean, object, array or the empty string, as JSON (`42`, `true`,
 *   `{"a":1}`, `""`), in code type;
 * - `empty`: `null` (no value), shown as the word "empty";
 * - `masked`: a masked value, shown as `********` and nothing else.
 */
export type ChangeValueKind = 'text' | 'code' | 'empty' | 'masked';

/** One old or new value of a change, as text ready to be HTML-escaped by the template. */
export interface ChangeValueView {
  readonly kind: ChangeValueKind;
  /** The value, or its first {@link CHANGE_PREVIEW_LENGTH} characters (at most {@link CHANGE_PREVIEW_LINES} lines) and `…` when longer. */
  readonly preview: string;
  /** The whole value when `preview` was cut (objects and arrays indented), else null. */
  readonly full: string | null;
}

const EMPTY: ChangeValueView = Object.freeze({ kind: 'empty', preview: '', full: null });
const MASKED: ChangeValueView = Object.freeze({ kind: 'masked', preview: MASKED_VALUE, full: null });

/**
 * A stored change value as the page and the digest show it. `masked` shows it as `********`
 * whatever was stored (for fields named like a secret).
 *
 * @example
 * ```ts
 * changeValueView('Hello', false); // { kind: 'text', preview: 'Hello', full: null }
 * changeValueView(null, false); // { kind: 'empty', preview: '', full: null }
 * changeValueView({ a: 1 }, false); // { kind: 'code', preview: '{"a":1}', full: null }
 * changeValueView('hunter2', true); // { kind: 'masked', preview: '********', full: null }
 * ```
 */
export function changeValueView(value: JsonValue, masked: boolean): ChangeValueView {
  if (value === null) return EMPTY;
  if (masked || value === MASKED_VALUE) return MASKED;
  if (typeof value === 'string' && value !== '') return cut('text', value, value);
  if (typeof value === 'object') return cut('code', JSON.stringify(value), JSON.stringify(value, null, 2));
  return cut('code', JSON.stringify(value), null);
}

/** `text` as a preview, with `whole` (or `text`) as the full value when the preview is shorter. */
function cut(kind: 'text' | 'code', text: string, whole: string | null): ChangeValueView {
  const end = previewEnd(text);
  if (end === text.length) return { kind, preview: text, full: null };
  return { kind, preview: `${text.slice(0, end).trimEnd()}…`, full: whole ?? text };
}

/** Where the preview of `text` ends: after {@link CHANGE_PREVIEW_LENGTH} characters or {@link CHANGE_PREVIEW_LINES} lines, never inside a surrogate pair. */
function previewEnd(text: string): number {
  let end = Math.min(text.length, CHANGE_PREVIEW_LENGTH);
  let breaks = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) {
    breaks += 1;
    if (breaks === CHANGE_PREVIEW_LINES) end = index;
  }
  const last = text.charCodeAt(end - 1);
  return end < text.length && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}
