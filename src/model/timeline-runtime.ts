import type { Sequelize } from 'sequelize';
import type { ResolvedTimelineOptions } from '../options.js';
import type { MessageRenderer } from '../render/message-renderer.js';

/**
 * What `setupTimeline` resolved once: the connection, the validated options and the message
 * renderer. Shared by the model, the hooks, the router and the commands.
 */
export interface TimelineRuntime {
  readonly sequelize: Sequelize;
  readonly options: ResolvedTimelineOptions;
  readonly renderer: MessageRenderer;
}
