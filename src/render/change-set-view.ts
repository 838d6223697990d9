import { isJsonObject, type JsonValue } from '../model/to-json-value.js';
import { isMaskedField } from '../tracking/change-set.js';
import { DEFAULT_MASKED_FIELDS } from '../tracking/tracking-options.js';
import { changeValueView, type ChangeValueView } from './change-value-view.js';
import type { Locale } from './locale.js';
import { pluralMsgid, translate } from './translate.js';

/** Fields shown open beside an entry; a change set with more is collapsed under its summary. */
export const OPEN_CHANGE_FIELDS = 3;

/** One field of a change set. */
export interface ChangeView {
  /** The field's name as stored (the model's attribute name). */
  readonly field: string;
  /** The value before the change; null for a created entry, which shows only its initial values. */
  readonly before: ChangeValueView | null;
  /** The value after the change (a created entry's initial value). */
  readonly after: ChangeValueView;
}

/** The `extraData.changes` of an `updated` or `created` entry, as the page and the digest show it. */
export interface ChangeSetView {
  /** `updated`: each field's old value → new value; `created`: each field's initial value. */
  readonly event: 'created' | 'updated';
  readonly changes: readonly ChangeView[];
  /** True when there are more than {@link OPEN_CHANGE_FIELDS} fields: the page shows them under `summary`. */
  readonly collapsed: boolean;
  /** `3 changes`, `1 initial value`, in the page's language. */
  readonly summary: string;
}

/**
 * The change set a log stores as `extraData.changes = { field: [old, new] }` (as `withTimeline`
 * writes it), for an `updated` or `created` log; null for other events and when `extraData`
 * holds no such change set (absent, empty, or any other JSON, as imported logs may have). Values
 * stored masked stay `********`, and so does every value of a field named like a secret
 * (`password`, `token`, `secret`), however it was stored.
 *
 * @example
 * ```ts
 * changeSetView('updated', { changes: { title: ['Hi', 'Hello'] } }, 'en');
 * // { event: 'updated', changes: [{ field: 'title', before: { kind: 'text', preview: 'Hi', ... }, after: ... }], collapsed: false, summary: '1 change' }
 * changeSetView('updated', { changes: 'oops' }, 'en'); // null
 * ```
 */
export function changeSetView(event: string | null, extraData: JsonValue | null, locale: Locale): ChangeSetView | null {
  if ((event !== 'updated' && event !== 'created') || !isJsonObject(extraData)) return null;
  const stored = extraData.changes;
  if (!isJsonObject(stored)) return null;
  const fields = Object.keys(stored);
  if (fields.length === 0 || !fields.every((field) => isPair(stored[field]))) return null;
  try {
    const changes = fields.map((field) => {
      const [before, after] = stored[field] as readonly [JsonValue, JsonValue];
      const masked = isMaskedField(field, DEFAULT_MASKED_FIELDS);
      return { field, before: event === 'created' ? null : changeValueView(before, masked), after: changeValueView(after, masked) };
    });
    const count = changes.length;
    const summary =
      event === 'created'
        ? translate(locale, pluralMsgid(count, '{count} initial value', '{count} initial values'), { count })
        : translate(locale, pluralMsgid(count, '{count} change', '{count} changes'), { count });
    return { event, changes, collapsed: count > OPEN_CHANGE_FIELDS, summary };
  } catch {
    // A value JSON cannot write back (nested too deep for the stack): the entry shows no changes rather than failing the page.
    return null;
  }
}

/** Whether a stored change is `[old, new]`. */
function isPair(value: JsonValue | undefined): value is readonly [JsonValue, JsonValue] {
  return Array.isArray(value) && value.length === 2;
}
