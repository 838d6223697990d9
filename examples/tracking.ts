import { withTimeline } from '../src/index.js';
import type { DemoModels } from './models.js';

/**
 * Tracks the demo's posts, items and invoices automatically: every create, update and delete
 * appears on the timeline with what changed and who did it (the signed-in user, through
 * `timelineContext()` in app.ts), without any logging code in the routes. A purchase writes
 * two entries, the invoice's `created` and the item's `purchased`; both carry the request's
 * correlation id, so either one's "Everything in this request" link shows the pair.
 * Call it once, right after `setupTimeline`.
 */
export function trackDemoModels(models: DemoModels): void {
  withTimeline(models.Post);
  withTimeline(models.Item);
  withTimeline(models.Invoice);
}
