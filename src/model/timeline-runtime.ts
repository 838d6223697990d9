import type { Sequelize } from 'sequelize';
import type { ResolvedTimelineOptions } from '../options.js';
import type { MessageRenderer } from '../render/message-renderer.js';
import type { PartitionEdges } from './partition-edges.js';
import type { TimelineLog } from './timeline-log.js';

/**
 * What `setupTimeline` resolved once: the model, its connection, the validated options and the
 * message renderer. The router, the tracking hooks, the resources and the commands receive it
 * when they are made and read nothing global afterwards.
 */
export interface TimelineRuntime {
  readonly model: typeof TimelineLog;
  readonly sequelize: Sequelize;
  readonly options: ResolvedTimelineOptions;
  readonly renderer: MessageRenderer;
  /**
   * The correlation id of the current request or job, or null: read from the async context that
   * `timelineContext()` and `runWithTimelineContext` set (`setupTimeline` passes the reader in, so
   * the model does not depend on the tracking layer).
   */
  readonly correlationId: () => string | null;
  /** With `partitioning` set: the partitions' bounds the keyset page reads along (cached a minute). Null otherwise. */
  readonly partitionEdges: PartitionEdges | null;
}
