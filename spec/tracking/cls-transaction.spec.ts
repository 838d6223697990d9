/**
 * With `Sequelize.useCLS(namespace)` a managed transaction reaches queries that do not pass it:
 * Sequelize 6 copies the CLS transaction into the options of `create`, `save`, `update`,
 * `destroy` and `bulkCreate` before their hooks run, so the logs follow it. Its own file,
 * because `useCLS` is process-wide.
 */
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { recordQueries } from '../support/query-recorder.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { clsNamespace } from '../support/cls-namespace.js';

let fixture: TimelineFixture;

beforeAll(async () => {
  Sequelize.useCLS(clsNamespace('timeline-logger-spec'));
  fixture = await createTimelineFixture();
  withTimeline(fixture.models.Post);
});
afterAll(async () => {
  await fixture.db.drop();
});

describe('withTimeline with CLS transactions', () => {
  it('leaves neither the rows nor their logs when the CLS transaction rolls back', async () => {
    const { Post } = fixture.models;
    await expect(
      fixture.db.sequelize.transaction(async () => {
        const post = await Post.create({ title: 'CLS', body: '', authorId: null });
        await post.update({ title: 'CLS 2' });
        await Post.bulkCreate([{ title: 'CLS bulk', body: '', authorId: null }]);
        await Post.update({ body: 'b' }, { where: { id: post.id } });
        await Post.destroy({ where: { title: 'CLS bulk' } });
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect(await Post.count()).toBe(0);
    expect(await fixture.TimelineLog.count()).toBe(0);
  });

  it('writes TimelineLog.log() inside the CLS transaction too, so a rollback leaves no log', async () => {
    await expect(
      fixture.db.sequelize.transaction(async () => {
        await fixture.TimelineLog.log(null, { event: 'inside' });
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect(await fixture.TimelineLog.count({ where: { event: 'inside' } })).toBe(0);
  });

  it('commits the logs with the CLS transaction, inside it', async () => {
    const { Post, User } = fixture.models;
    const { statements } = await recordQueries(fixture.db.sequelize, () =>
      fixture.db.sequelize.transaction(async () => {
        // Only a statement inside the transaction sees this user, which the logs reference.
        const insider = await User.create({ username: 'insider', passwordHash: '-' });
        const post = await Post.create({ title: 'Kept', body: '', authorId: null }, { timeline: { user: insider } });
        await post.destroy({ timeline: { user: insider } });
      }),
    );
    // START, the user's INSERT, the post's INSERT and DELETE, the logs' one INSERT, COMMIT.
    expect(statements).toHaveLength(6);
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
    expect(logs.map((log) => [log.event, log.userRepr])).toEqual([
      ['created', 'insider'],
      ['deleted', 'insider'],
    ]);
    // Written before COMMIT: a log that cannot be written undoes the transaction's change.
    const ghost = { id: 987654, username: 'ghost' };
    await expect(
      fixture.db.sequelize.transaction(() => Post.create({ title: 'Orphan', body: '', authorId: null }, { timeline: { user: ghost } })),
    ).rejects.toThrow(/foreign key/);
    expect(await Post.count({ where: { title: 'Orphan' } })).toBe(0);
  });
});
