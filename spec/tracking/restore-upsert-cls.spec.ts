/**
 * With `Sequelize.useCLS(namespace)`, `restore()` (instance and bulk) and `upsert` find the CLS
 * transaction the way Sequelize 6 does (it copies it into their options before the hooks run),
 * so their logs follow it. Its own file, because `useCLS` is process-wide.
 */
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels, type TrackedModels } from '../support/tracked-models.js';
import { clsNamespace } from '../support/cls-namespace.js';

let fixture: TimelineFixture;
let tracked: TrackedModels;

beforeAll(async () => {
  Sequelize.useCLS(clsNamespace('timeline-logger-restore-spec'));
  fixture = await createTimelineFixture();
  tracked = await defineTrackedModels(fixture.db.sequelize);
  withTimeline(tracked.Memo);
  withTimeline(tracked.Country);
});
afterAll(async () => {
  await fixture.db.drop();
});

async function events(): Promise<string[]> {
  const logs = await fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
  return logs.map((log) => `${log.contentType} ${log.event}`);
}

describe('restore and upsert with CLS transactions', () => {
  it('leave neither changes nor logs when the CLS transaction rolls back, and commit both with it', async () => {
    const memos = await tracked.Memo.bulkCreate([{ text: 'one' }, { text: 'two' }], { hooks: false });
    await tracked.Memo.destroy({ where: {}, hooks: false });
    const work = async () => {
      const one = (await tracked.Memo.findByPk(memos[0]?.id, { paranoid: false })) as TrackedModels['Memo']['prototype'];
      await one.restore();
      await tracked.Memo.restore({ where: { text: 'two' } });
      await tracked.Country.upsert({ code: 'NL', name: 'Netherlands' });
    };
    await expect(
      fixture.db.sequelize.transaction(async () => {
        await work();
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect(await tracked.Memo.count()).toBe(0);
    expect(await tracked.Country.count()).toBe(0);
    expect(await events()).toEqual([]);
    await fixture.db.sequelize.transaction(work);
    expect(await tracked.Memo.count()).toBe(2);
    expect(await events()).toEqual(['Memo restored', 'Memo restored', 'Country created']);
  });
});
