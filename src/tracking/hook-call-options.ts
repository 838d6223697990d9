import type { Transaction } from 'sequelize';
import type { TimelineCallOptions } from './tracking-options.js';

/** The name every timeline hook is registered under, so `withTimeline` can replace them. */
export const HOOK_NAME = 'timeline-logger';

/** The parts of a Sequelize call's options the timeline hooks read. */
export interface HookCallOptions {
  transaction?: Transaction | null;
  logging?: boolean | ((sql: string, timing?: number) => void);
  timeline?: TimelineCallOptions;
  individualHooks?: boolean;
}
