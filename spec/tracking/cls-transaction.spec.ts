/**
 * With `Sequelize.useCLS(namespace)` a managed transaction reaches queries that do not pass it:
 * Sequelize 6 copies the CLS transaction into the options of `create`, `save`, `update`,
 * `destroy` and `bulkCreate` before their hooks run, so the logs follow it. Its own file,
 * because `useCLS` is process-wide.
 */
import { createRequire } from 'node:module';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { recordQueries } from '../support/query-recorder.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

interface ClsNamespace {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
  run(fn: (context: unknown) => void): unknown;
  bind<F>(fn: F): F;
}
const cls = createRequire(import.meta.url)('cls-hooked') as { createNamespace(name: string): ClsNamespace };

let fixture: TimelineFixture;

beforeAll(async () => {
  Sequelize.useCLS(cls.createNamespace('timeline-logger-spec'));
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

  it('commits the logs with the CLS transaction, inside it', async () => {
    const { Post } = fixture.models;
    const { statements } = await recordQueries(fixture.db.sequelize, () =>
      fixture.db.sequelize.transaction(async () => {
        const post = await Post.create({ title: 'Kept', body: '', authorId: null });
        await post.destroy();
      }),
    );
    const inTransaction = statements.filter((sql) => /INSERT INTO "timeline_logs"/.test(sql));
    expect(inTransaction).toHaveLength(1);
    expect(inTransaction[0]).not.toMatch(/^Executing \(default\)/);
    const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
    expect(logs.map((log) => log.event)).toEqual(['created', 'deleted']);
  });
});
