import type { TimelineOptions } from '../src/index.js';
import { DEMO_VIEWS_DIR } from './app.js';
import type { DemoModels } from './models.js';

/**
 * The demo's own events as the timeline page names them: English and Dutch badges and filter
 * suggestions (`created`, `updated` and `deleted` ship translated).
 */
export const DEMO_EVENT_LABELS = Object.freeze({
  purchased: Object.freeze({ en: 'purchased', nl: 'gekocht' }),
  viewed: Object.freeze({ en: 'viewed', nl: 'bekeken' }),
}) satisfies TimelineOptions['eventLabels'];

/**
 * The options the demo sets the library up with (`npm start`, the screenshots, the browser
 * test): its users, its message templates (`demo/purchase.ejs`) and its event labels.
 *
 * @example
 * ```ts
 * setupTimeline(sequelize, { ...demoTimelineOptions(models), timeZone: 'Europe/Amsterdam' });
 * ```
 */
export function demoTimelineOptions(models: DemoModels): TimelineOptions {
  return { userModel: models.User, templateDirs: [DEMO_VIEWS_DIR], eventLabels: DEMO_EVENT_LABELS };
}
