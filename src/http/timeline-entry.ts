import type { ResolvedTimelineOptions } from '../options.js';
import type { TimelineLog } from '../model/timeline-log.js';
import type { JsonObject } from '../model/to-json-value.js';

/** A log as the timeline page and its JSON show it, with labels resolved. */
export interface TimelineEntry {
  readonly id: string;
  readonly timestamp: Date;
  readonly event: string | null;
  /** The acting user's key and label; null key for no user. */
  readonly user: { readonly id: string | null; readonly label: string | null };
  /** The logged object, or null for a log about nothing in particular. */
  readonly object: { readonly contentType: string; readonly id: string; readonly label: string | null } | null;
  /** The rendered message (escaped as it was rendered). */
  readonly message: string;
  readonly extraData: JsonObject | null;
}

/**
 * Pairs logs (whose related rows `renderMessages` has loaded) with their rendered messages.
 * Labels follow the message rule: the live row's label, else the snapshot taken when the log
 * was written; null when there is neither (the view shows "Anonymous user" / "None").
 *
 * @example
 * ```ts
 * const messages = await TimelineLog.renderMessages(logs, { escape: 'html' });
 * const entries = timelineEntries(logs, messages, TimelineLog.runtime.options);
 * ```
 */
export function timelineEntries(
  logs: readonly TimelineLog[],
  messages: readonly string[],
  options: Pick<ResolvedTimelineOptions, 'userLabel' | 'objectLabel'>,
): TimelineEntry[] {
  return logs.map((log, index) => ({
    id: String(log.id),
    timestamp: log.timestamp,
    event: log.event,
    user: {
      id: log.userId === null ? null : String(log.userId),
      label: log.user ? options.userLabel(log.user) : log.userRepr,
    },
    object:
      log.contentType === null || log.objectId === null
        ? null
        : {
            contentType: log.contentType,
            id: log.objectId,
            label: log.contentObject ? options.objectLabel(log.contentObject) : log.objectRepr,
          },
    message: (messages[index] ?? '').trimEnd(),
    extraData: log.extraData,
  }));
}
