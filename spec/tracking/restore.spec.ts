/**
 * `restore()` of a paranoid model logs `restored` (issue 13): the instance method and the bulk
 * `Model.restore({ where })`, exactly the rows it brought back, in the call's transaction, by the
 * acting user, with the template per event; a paranoid `destroy()` logs `deleted` as before.
 */
import { Op, type Transaction } from 'sequelize';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, runWithTimelineUser, withTimeline, type TimelineLog } from '../../src/index.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';
import { defineTrackedModels, type Memo, type TrackedModels } from '../support/tracked-models.js';

const FROZEN = new Date('2016-07-01T09:08:00Z');
const fixture = useTimelineFixture({ now: () => FROZEN });
let tracked: TrackedModels;
let ann: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  tracked = await defineTrackedModels(fixture.db.sequelize);
  ann = await createUser(fixture.models, 'ann');
});
beforeEach(async () => {
  withTimeline(tracked.Memo);
  await tracked.Memo.destroy({ where: {}, force: true, hooks: false });
});

async function logsOf(where: Record<string, unknown> = {}): Promise<TimelineLog[]> {
  return fixture.TimelineLog.findAll({ where: { contentType: 'Memo', ...where }, order: [['id', 'ASC']] });
}

/** Memos with these texts, the ones named in `deleted` soft-deleted, written without logs. */
async function memos(texts: readonly string[], deleted: readonly string[] = []): Promise<Memo[]> {
  const rows = await tracked.Memo.bulkCreate(
    texts.map((text) => ({ text })),
    { hooks: false },
  );
  await tracked.Memo.destroy({ where: { text: [...deleted] }, hooks: false });
  return rows;
}

async function restoredIds(): Promise<string[]> {
  return (await logsOf({ event: 'restored' })).map((log) => String(log.objectId)).sort();
}

async function liveIds(): Promise<string[]> {
  return (await tracked.Memo.findAll()).map((memo) => String(memo.id)).sort();
}

describe('instance restore()', () => {
  it('logs restored with restored.ejs, by the call’s user, rendered in English and Dutch', async () => {
    const memo = await tracked.Memo.create({ text: 'Plans' });
    await memo.destroy();
    await memo.restore({ timeline: { user: ann } });
    const logs = await logsOf();
    expect(logs.map((log) => log.event)).toEqual(['created', 'deleted', 'restored']);
    const restored = logs[2] as TimelineLog;
    expect(restored).toMatchObject({
      template: 'timeline_logger/restored.ejs',
      objectId: String(memo.id),
      objectRepr: `Memo #${memo.id}`,
      userId: ann.id,
      userRepr: 'ann',
      extraData: { changes: {} },
    });
    expect(await restored.getMessage()).toBe(`July 1, 2016, 9:08 a.m. - ann restored Memo #${memo.id}\n`);
    expect(await restored.getMessage({ locale: 'nl' })).toBe(`1 juli 2016 09:08 - ann heeft Memo #${memo.id} hersteld\n`);
    expect(await tracked.Memo.count()).toBe(1);
  });

  it('logs nothing for an instance that was not deleted', async () => {
    const memo = await tracked.Memo.create({ text: 'Live' });
    await memo.restore();
    expect((await logsOf()).map((log) => log.event)).toEqual(['created']);
  });

  it('writes in the call’s transaction: a rollback leaves neither the restore nor its log', async () => {
    const [memo] = await memos(['Rolled back'], ['Rolled back']);
    const deleted = (await tracked.Memo.findByPk(memo?.id, { paranoid: false })) as Memo;
    await expect(
      fixture.db.sequelize.transaction(async (transaction) => {
        await deleted.restore({ transaction });
        expect(await tracked.Memo.count({ transaction })).toBe(1);
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect(await tracked.Memo.count()).toBe(0);
    expect(await logsOf()).toEqual([]);
    // The rolled-back restore left the instance live in memory: read the row again.
    await deleted.reload({ paranoid: false });
    await fixture.db.sequelize.transaction((transaction) => deleted.restore({ transaction }));
    expect(await restoredIds()).toEqual([String(memo?.id)]);
  });

  it('records deletedAt as [when, null] when deletedAt is tracked', async () => {
    withTimeline(tracked.Memo, { only: ['text', 'deletedAt'] });
    const memo = await tracked.Memo.create({ text: 'Timed' });
    await memo.destroy();
    const when = (memo.get('deletedAt') as Date).toISOString();
    await memo.restore();
    const [restored] = await logsOf({ event: 'restored' });
    expect(restored?.extraData).toEqual({ changes: { deletedAt: [when, null] } });
  });
});

describe('bulk Model.restore({ where })', () => {
  it('logs one restored per soft-deleted row it restores, none for the live rows it matches', async () => {
    const rows = await memos(['a', 'b', 'c', 'other'], ['a', 'b', 'other']);
    const restored = await runWithTimelineUser(ann, () => tracked.Memo.restore({ where: { text: ['a', 'b', 'c'] } }));
    const [a, b] = rows.map((row) => String(row.id));
    expect(await restoredIds()).toEqual([a, b].sort());
    expect((await logsOf({ event: 'restored' })).map((log) => log.userRepr)).toEqual(['ann', 'ann']);
    expect(await liveIds()).toEqual(
      rows
        .slice(0, 3)
        .map((row) => String(row.id))
        .sort(),
    );
    // The statement still touches every row its where matches, as untracked (3, live c included).
    expect(restored).toBe(3);
  });

  it('logs each restored row once with individualHooks: true', async () => {
    const rows = await memos(['a', 'b', 'c'], ['a', 'c']);
    await tracked.Memo.restore({ where: {}, individualHooks: true });
    expect(await restoredIds()).toEqual([rows[0], rows[2]].map((row) => String(row?.id)).sort());
  });

  it('uses the template given for restored', async () => {
    withTimeline(tracked.Memo, { templates: { restored: 'timeline_logger/default.ejs' } });
    await memos(['a'], ['a']);
    await tracked.Memo.restore({ where: { text: 'a' } });
    const [log] = await logsOf({ event: 'restored' });
    expect(log?.template).toBe('timeline_logger/default.ejs');
  });

  it('rolls back with its transaction', async () => {
    await memos(['a'], ['a']);
    await expect(
      fixture.db.sequelize.transaction(async (transaction) => {
        await tracked.Memo.restore({ where: {}, transaction });
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    expect(await liveIds()).toEqual([]);
    expect(await logsOf()).toEqual([]);
  });
});

/**
 * While the call runs: after the library's before hook has read the rows, another connection
 * commits a soft-deleted row the statement's WHERE matches and soft-deletes a live one it matches.
 */
async function withLateWriters(call: () => Promise<unknown>): Promise<{ inserted: string; deleted: string }> {
  const { Memo } = tracked;
  const late = { inserted: '', deleted: '' };
  Memo.addHook('beforeBulkRestore', 'late-writer', async () => {
    const inserted = await Memo.create({ text: 'bulk-late' }, { hooks: false, transaction: null });
    await inserted.destroy({ hooks: false, transaction: null });
    const live = (await Memo.findOne({ where: { text: 'bulk-live' }, transaction: null })) as Memo;
    await live.destroy({ hooks: false, transaction: null });
    late.inserted = String(inserted.id);
    late.deleted = String(live.id);
  });
  try {
    await call();
  } finally {
    Memo.removeHook('beforeBulkRestore', 'late-writer');
  }
  return late;
}

const inTransaction = (work: (transaction: Transaction) => Promise<unknown>) => () => fixture.db.sequelize.transaction(work);
const withoutTransaction = (work: (transaction: undefined) => Promise<unknown>) => () => work(undefined);

describe.each([
  ['inside a transaction', inTransaction],
  ['without a transaction', withoutTransaction],
])('bulk restore %s, while another session commits matching rows', (_how, run) => {
  it('restores and logs exactly the rows that were soft-deleted when it read them', async () => {
    const rows = await memos(['bulk-1', 'bulk-2', 'bulk-live', 'other'], ['bulk-1', 'bulk-2', 'other']);
    const late = await withLateWriters(
      run((transaction) => tracked.Memo.restore({ where: { text: { [Op.like]: 'bulk-%' } }, transaction })),
    );
    const expected = rows.slice(0, 2).map((row) => String(row.id));
    expect(await restoredIds()).toEqual(expected.sort());
    expect(await liveIds()).toEqual(expected.sort());
    const stillDeleted = await tracked.Memo.findAll({ where: { id: [late.inserted, late.deleted] }, paranoid: false });
    expect(stillDeleted.map((memo) => memo.isSoftDeleted())).toEqual([true, true]);
  });
});

describe('paranoid destroy() and the events option', () => {
  it('logs deleted for a soft delete, restored, then deleted again', async () => {
    const memo = await tracked.Memo.create({ text: 'Cycle' });
    await memo.destroy();
    await memo.restore();
    await tracked.Memo.destroy({ where: { id: memo.id } });
    const logs = await logsOf();
    expect(logs.map((log) => log.event)).toEqual(['created', 'deleted', 'restored', 'deleted']);
    expect(logs[1]?.extraData).toEqual({ changes: { text: ['Cycle', null] } });
    expect(await tracked.Memo.count({ paranoid: false })).toBe(1);
  });

  it('tracks restored by default and accepts it in events; a model that is not paranoid ignores it', async () => {
    withTimeline(tracked.Memo, { events: ['restored'] });
    const memo = await tracked.Memo.create({ text: 'Only restores' });
    await memo.destroy();
    await memo.restore();
    expect((await logsOf()).map((log) => log.event)).toEqual(['restored']);
    withTimeline(tracked.Memo, { events: ['created', 'updated', 'deleted'] });
    await memo.destroy();
    await memo.restore();
    await tracked.Memo.destroy({ where: {} });
    await tracked.Memo.restore({ where: {} });
    expect((await logsOf()).map((log) => log.event)).toEqual(['restored', 'deleted', 'deleted']);
    expect(() => withTimeline(tracked.Country, { events: ['created', 'restored'] })).not.toThrow();
    withTimeline(tracked.Country);
  });

  it('rejects an unknown event, naming restored among the valid ones', () => {
    const attempt = () => withTimeline(tracked.Memo, { events: ['restore' as 'restored'] });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow('"created", "updated", "deleted", "restored"');
  });
});
