import { Op, type Transaction, type WhereOptions } from 'sequelize';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import type { Post } from '../support/test-models.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels } from '../support/tracked-models.js';

const fixture = useTimelineFixture();
const MATCHING = { title: { [Op.like]: 'bulk-%' } };

beforeAll(() => {
  withTimeline(fixture.models.Post);
});
beforeEach(async () => {
  await fixture.models.Post.destroy({ where: {}, hooks: false, force: true });
  await fixture.TimelineLog.destroy({ where: {}, truncate: true });
  await fixture.models.Post.bulkCreate(
    ['bulk-1', 'bulk-2', 'bulk-3', 'other'].map((title) => ({ title, body: 'before' })),
    { hooks: false },
  );
});

/**
 * While the call runs: after the library's before hook has read the rows, another connection
 * commits a row the statement's WHERE matches (a hook added after the library's runs later).
 */
async function withLateMatchingRow(hook: 'beforeBulkUpdate' | 'beforeBulkDestroy', call: () => Promise<unknown>): Promise<string> {
  const { Post } = fixture.models;
  let lateId = '';
  Post.addHook(hook, 'late-writer', async () => {
    lateId = String((await Post.create({ title: 'bulk-late', body: 'before' }, { hooks: false, transaction: null })).id);
  });
  try {
    await call();
  } finally {
    Post.removeHook(hook, 'late-writer');
  }
  return lateId;
}

async function loggedIds(event: string): Promise<string[]> {
  const logs = await fixture.TimelineLog.findAll({ where: { event, contentType: 'Post' } });
  return logs.map((log) => String(log.objectId)).sort();
}

async function idsWhere(where: WhereOptions<Post>): Promise<string[]> {
  const posts = await fixture.models.Post.findAll({ where, paranoid: false });
  return posts.map((post) => String(post.id)).sort();
}

const inTransaction = (work: (transaction: Transaction) => Promise<unknown>) => () => fixture.db.sequelize.transaction(work);
const withoutTransaction = (work: (transaction: undefined) => Promise<unknown>) => () => work(undefined);

describe.each([
  ['inside a transaction', inTransaction],
  ['without a transaction', withoutTransaction],
])('bulk tracking %s, while another session commits a matching row', (_how, run) => {
  it('Model.update logs exactly the rows it changed', async () => {
    const { Post } = fixture.models;
    await withLateMatchingRow(
      'beforeBulkUpdate',
      run((transaction) => Post.update({ body: 'after' }, { where: MATCHING, transaction })),
    );
    const changed = await idsWhere({ body: 'after' });
    expect(changed).toHaveLength(3);
    expect(await loggedIds('updated')).toEqual(changed);
  });

  it('Model.destroy logs exactly the rows it deleted', async () => {
    const { Post } = fixture.models;
    const before = await idsWhere({});
    const lateId = await withLateMatchingRow(
      'beforeBulkDestroy',
      run((transaction) => Post.destroy({ where: MATCHING, transaction })),
    );
    const remaining = new Set(await idsWhere({}));
    const deleted = [...before, lateId].filter((id) => !remaining.has(id)).sort();
    expect(deleted).toHaveLength(3);
    expect(await loggedIds('deleted')).toEqual(deleted);
  });
});

describe('bulk tracking pins string keys exactly, whatever their characters', () => {
  const codes = ['"x', '\\y', "'z", '{}', ',', '', 'é', 'zz'];

  it('Model.update and Model.destroy change and log exactly the matching rows', async () => {
    const { Country } = await defineTrackedModels(fixture.db.sequelize);
    withTimeline(Country);
    await Country.destroy({ where: {}, hooks: false });
    await Country.bulkCreate(
      codes.map((code) => ({ code, name: 'before' })),
      { hooks: false },
    );
    const picked = codes.slice(0, -1);
    await Country.update({ name: 'after' }, { where: { code: picked } });
    const updated = (await Country.findAll({ where: { name: 'after' } })).map((country) => country.code).sort();
    expect(updated).toEqual([...picked].sort());
    expect(await loggedIdsOf('Country', 'updated')).toEqual([...picked].sort());
    await Country.destroy({ where: { code: picked } });
    expect((await Country.findAll()).map((country) => country.code)).toEqual(['zz']);
    expect(await loggedIdsOf('Country', 'deleted')).toEqual([...picked].sort());
  });
});

async function loggedIdsOf(contentType: string, event: string): Promise<string[]> {
  const logs = await fixture.TimelineLog.findAll({ where: { event, contentType } });
  return logs.map((log) => String(log.objectId)).sort();
}
