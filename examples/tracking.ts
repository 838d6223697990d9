import { withTimeline } from '../src/index.js';
import type { DemoModels } from './models.js';

/**
 * Tracks the demo's posts and items automatically: every create, update and delete appears on
 * the timeline with what changed and who did it (the signed-in user, through
 * `timelineContext()` in app.ts), without any logging code in the routes.
 * Call it once, right after `setupTimeline`.
 */
export function trackDemoModels(models: DemoModels): void {
  withTimeline(models.Post);
  withTimeline(models.Item);
}
