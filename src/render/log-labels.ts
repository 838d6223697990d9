import type { Model } from 'sequelize';
import type { ResolvedTimelineOptions } from '../options.js';

/** The parts of a log its labels come from, with its related rows loaded (or not). */
export interface LabelSource {
  readonly objectRepr: string | null;
  readonly userRepr: string | null;
  readonly contentObject?: Model | null;
  readonly user?: Model | null;
}

/** A log's user and object labels; null where there is neither a live row nor a snapshot. */
export interface LogLabels {
  readonly user: string | null;
  readonly object: string | null;
}

/**
 * The labels of a log (SPEC §3): the live row's label when the row still exists, else the
 * snapshot taken when the log was written, else null (shown as "Anonymous user" / "None").
 * Messages, the page and its JSON all label logs through this one rule.
 *
 * @example
 * ```ts
 * logLabels(log, runtime.options); // { user: 'ann', object: 'Hello' }
 * ```
 */
export function logLabels(log: LabelSource, options: Pick<ResolvedTimelineOptions, 'userLabel' | 'objectLabel'>): LogLabels {
  return {
    user: log.user ? options.userLabel(log.user) : log.userRepr,
    object: log.contentObject ? options.objectLabel(log.contentObject) : log.objectRepr,
  };
}
