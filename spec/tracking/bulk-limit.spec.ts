/**
 * `limit` on bulk calls: Sequelize drops it from every UPDATE on PostgreSQL (`Model.update`, a
 * paranoid `Model.destroy`, `Model.restore` change every matching row), and applies it to a real
 * DELETE. Tracking must change the same rows as the call untracked, and log each of them.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels, type TrackedModels } from '../support/tracked-models.js';

const fixture = useTimelineFixture();
let tracked: TrackedModels;

beforeAll(async () => {
  tracked = await defineTrackedModels(fixture.db.sequelize);
  withTimeline(fixture.models.Post);
  withTimeline(tracked.Memo);
});
beforeEach(async () => {
  await fixture.models.Post.destroy({ where: {}, hooks: false });
  await tracked.Memo.destroy({ where: {}, force: true, hooks: false });
  await fixture.models.Post.bulkCreate(
    ['one', 'two', 'three'].map((title) => ({ title, body: 'before', authorId: null })),
    { hooks: false },
  );
  await tracked.Memo.bulkCreate(
    ['one', 'two', 'three'].map((text) => ({ text })),
    { hooks: false },
  );
});

async function logCount(contentType: string, event: string): Promise<number> {
  return fixture.TimelineLog.count({ where: { contentType, event } });
}

describe('bulk calls with limit, tracked', () => {
  it('Model.update changes and logs every matching row, as untracked (PostgreSQL has no UPDATE ... LIMIT)', async () => {
    const [changed] = await fixture.models.Post.update({ body: 'after' }, { where: {}, limit: 1 });
    expect(changed).toBe(3);
    expect(await fixture.models.Post.count({ where: { body: 'after' } })).toBe(3);
    expect(await logCount('Post', 'updated')).toBe(3);
  });

  it('a paranoid Model.destroy soft-deletes and logs every matching row, as untracked', async () => {
    await tracked.Memo.destroy({ where: {}, limit: 1 });
    expect(await tracked.Memo.count()).toBe(0);
    expect(await logCount('Memo', 'deleted')).toBe(3);
  });

  it('a real DELETE applies the limit, and logs the rows it deleted', async () => {
    await fixture.models.Post.destroy({ where: {}, limit: 1 });
    expect(await fixture.models.Post.count()).toBe(2);
    expect(await logCount('Post', 'deleted')).toBe(1);
  });
});
