import { Op } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  withTimeline(fixture.models.Post, { only: ['body'] });
});
afterAll(async () => {
  await fixture.db.drop();
});

describe('withTimeline: bulk labels', () => {
  it('labels rows of Model.update and Model.destroy by attributes that are not tracked', async () => {
    const { Post } = fixture.models;
    await Post.bulkCreate([
      { title: 'Alpha', body: 'a', authorId: null },
      { title: 'Beta', body: 'b', authorId: null },
    ]);
    await Post.update({ body: 'changed' }, { where: { title: { [Op.in]: ['Alpha', 'Beta'] } } });
    await Post.destroy({ where: { title: 'Beta' } });
    const logs = await fixture.TimelineLog.findAll({ where: { contentType: 'Post' }, order: [['id', 'ASC']] });
    expect(logs.map((log) => [log.event, log.objectRepr])).toEqual([
      ['created', 'Alpha'],
      ['created', 'Beta'],
      ['updated', 'Alpha'],
      ['updated', 'Beta'],
      ['deleted', 'Beta'],
    ]);
    expect(logs[2]?.extraData).toEqual({ changes: { body: ['a', 'changed'] } });
  });
});
