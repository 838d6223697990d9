import type { TimelineLog } from '../model/timeline-log.js';
import type { JsonValue } from '../model/to-json-value.js';
import type { MessageSentence } from '../render/message-sentence.js';
import type { RenderedEntryMessage, RenderedMessage } from '../render/render-messages.js';

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
  /** For the HTML page: the message as a sentence beside the time, user and object (null when not cut so). */
  readonly sentence: MessageSentence | null;
  readonly extraData: JsonValue | null;
  /** The request or job the log belongs to, or null. */
  readonly correlationId: string | null;
}

/** The parts of a log an entry shows besides its message and labels. */
export type EntryLog = Pick<
  TimelineLog,
  'id' | 'timestamp' | 'event' | 'userId' | 'contentType' | 'objectId' | 'extraData' | 'correlationId'
>;

/**
 * Pairs logs with their rendered messages (one per log, in the same order; with their sentences
 * for the HTML page), taking the labels the messages used: so the page and its JSON label a log exactly as its message does (null
 * where there is neither a live row nor a snapshot; the view shows "Anonymous user" / "None").
 *
 * @throws RangeError when a log has no rendered message.
 * @example
 * ```ts
 * await loadRelatedRows(logs, runtime.sequelize, runtime.options);
 * const entries = timelineEntries(logs, renderLogSentences(runtime, logs, { locale: 'en' }));
 * ```
 */
export function timelineEntries(logs: readonly EntryLog[], rendered: readonly (RenderedMessage | RenderedEntryMessage)[]): TimelineEntry[] {
  if (rendered.length !== logs.length) throw new RangeError(`${logs.length} logs need as many rendered messages (got ${rendered.length})`);
  return logs.map((log, index) => {
    const one = rendered[index] as RenderedMessage | RenderedEntryMessage;
    const { message, labels } = one;
    return {
      id: String(log.id),
      timestamp: log.timestamp,
      event: log.event,
      user: { id: log.userId === null ? null : String(log.userId), label: labels.user },
      object:
        log.contentType === null || log.objectId === null ? null : { contentType: log.contentType, id: log.objectId, label: labels.object },
      message: message.trimEnd(),
      sentence: 'sentence' in one ? one.sentence : null,
      extraData: log.extraData,
      correlationId: log.correlationId ?? null,
    };
  });
}
