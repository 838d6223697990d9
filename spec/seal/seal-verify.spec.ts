import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, setupTimeline, type TimelineOptions } from '../../src/index.js';
import { insertRaw, type RawLog } from '../support/raw-log.js';
import { createTimelineFixture, partitionedByDefault, type TimelineFixture } from '../support/timeline-fixture.js';

const KEY = 'k'.repeat(20) + '-seal-key-0123456789abcdef';
const OTHER_KEY = 'o'.repeat(20) + '-seal-key-0123456789abcdef';
const OPTIONS: TimelineOptions = { sealKey: KEY };
let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture(OPTIONS);
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  await sql('TRUNCATE timeline_logs, timeline_logs_seals');
  await sql("SELECT setval('timeline_logs_id_seq', 1, false)");
});

async function sql(statement: string, bind: unknown[] = []): Promise<void> {
  await fixture.db.sequelize.query(statement, { bind });
}

/** Five logs with every column filled in (ids 1-5, from the sequence). */
const LOGS: RawLog[] = [
  {
    timestamp: '2026-01-01T08:00:00Z',
    event: 'created',
    content_type: 'Post',
    object_id: '1',
    object_repr: 'Hello',
    extra_data: { a: 1, b: [1, 2] },
  },
  {
    timestamp: '2026-01-02T08:00:00.123456Z',
    event: 'updated',
    content_type: 'Post',
    object_id: '1',
    user_repr: 'ann',
    extra_data: { changes: { title: ['a', 'b'] } },
  },
  { timestamp: '1900-01-01T00:00:00Z', event: 'old', template: 'timeline_logger/created.ejs', extra_data: 'text' },
  { timestamp: '2300-06-01T00:00:00Z', event: 'future', object_repr: 'tab\there "quoted" ☕', extra_data: null },
  { timestamp: '2026-02-01T00:00:00Z', event: 'deleted', content_type: 'Item', object_id: 'x-9', extra_data: [true, null, 1.5] },
];

async function seedAndSeal(): Promise<void> {
  await insertRaw(fixture.db.sequelize, LOGS);
  await sql("UPDATE timeline_logs SET correlation_id = 'req-' || id");
  const sealed = await fixture.TimelineLog.seal({ waitMs: 1000 });
  expect(sealed).toMatchObject({ sealed: 5, throughId: '5', waitingFor: [] });
}

function useKey(sealKey: string | undefined): void {
  setupTimeline(fixture.db.sequelize, partitionedByDefault({ userModel: fixture.models.User, ...OPTIONS, sealKey }));
}

describe('seal() then verify()', () => {
  it('verifies an untouched timeline as intact, with an anchor for the newest seal', async () => {
    await seedAndSeal();
    const result = await fixture.TimelineLog.verify();
    expect(result).toMatchObject({
      intact: true,
      checked: 5,
      unsealed: 0,
      removed: 0,
      seals: 1,
      problems: [],
      problemCount: 0,
      sealProblems: [],
    });
    expect(result.anchor).toMatch(/^1:[0-9a-f]{64}$/);
    expect(await fixture.TimelineLog.verify({ anchor: result.anchor as string })).toMatchObject({ intact: true });
  });

  it('is incremental: a second call seals only the new logs, and logs after the last seal are unsealed, not problems', async () => {
    await seedAndSeal();
    expect(await fixture.TimelineLog.seal({ waitMs: 0 })).toMatchObject({ sealed: 0, throughId: '5' });
    await fixture.TimelineLog.log(null, { event: 'later' });
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 5, unsealed: 1 });
    expect(await fixture.TimelineLog.seal({ waitMs: 0 })).toMatchObject({ sealed: 1, throughId: '6' });
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 6, unsealed: 0, seals: 2 });
  });

  it('splits a large run into seals of batchSize logs', async () => {
    await insertRaw(fixture.db.sequelize, [...LOGS, ...LOGS]);
    const progress: number[] = [];
    expect(await fixture.TimelineLog.seal({ batchSize: 3, onSeal: (done) => progress.push(done) })).toMatchObject({
      sealed: 10,
      throughId: '10',
    });
    expect(progress).toEqual([3, 6, 9, 10]);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 10, seals: 4 });
  });
});

describe('verify() names what changed', () => {
  const CHANGES: [string, string][] = [
    ['content_type', "content_type = 'Invoice'"],
    ['object_id', "object_id = '2'"],
    ['object_repr', "object_repr = 'Hello!'"],
    ['timestamp', "timestamp = timestamp + interval '1 microsecond'"],
    ['user_id', 'user_id = (SELECT min(id) FROM users)'],
    ['user_repr', "user_repr = 'bob'"],
    ['template', "template = 'timeline_logger/deleted.ejs'"],
    ['extra_data', `extra_data = '{"a": 2, "b": [1, 2]}'`],
    ['event', "event = 'deleted'"],
    ['correlation_id', "correlation_id = 'req-forged'"],
  ];

  it.each(CHANGES)('a changed %s is modified, and restoring the exact value verifies again', async (column, change) => {
    await seedAndSeal();
    if (column === 'user_id') await fixture.models.User.create({ username: 'mallory', passwordHash: '-' });
    await sql(`CREATE TEMP TABLE saved AS SELECT * FROM timeline_logs WHERE id = 1`);
    await sql(`UPDATE timeline_logs SET ${change} WHERE id = 1`);
    expect(await fixture.TimelineLog.verify()).toMatchObject({
      intact: false,
      problems: [{ id: '1', problem: 'modified' }],
      problemCount: 1,
      sealProblems: [],
    });
    await sql(`UPDATE timeline_logs t SET ${column} = s.${column} FROM saved s WHERE t.id = 1`);
    await sql('DROP TABLE saved');
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, problems: [] });
  });

  it('JSON keys written in another order are the same value; a changed value type is modified', async () => {
    await seedAndSeal();
    await sql(`UPDATE timeline_logs SET extra_data = '{"b": [1, 2],   "a": 1}' WHERE id = 1`);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true });
    await sql(`UPDATE timeline_logs SET extra_data = '{"a": "1", "b": [1, 2]}' WHERE id = 1`);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: false, problems: [{ id: '1', problem: 'modified' }] });
    await sql(`UPDATE timeline_logs SET extra_data = '{"a": 1, "b": [2, 1]}' WHERE id = 1`);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ problems: [{ id: '1', problem: 'modified' }] });
  });

  it('a deleted log is missing', async () => {
    await seedAndSeal();
    await sql('DELETE FROM timeline_logs WHERE id IN (2, 5)');
    expect(await fixture.TimelineLog.verify()).toMatchObject({
      intact: false,
      checked: 3,
      problems: [
        { id: '2', problem: 'missing' },
        { id: '5', problem: 'missing' },
      ],
    });
  });

  it('a log forged into a sealed range is unexpected, also into a gap the sequence left', async () => {
    await insertRaw(fixture.db.sequelize, LOGS);
    await sql('DELETE FROM timeline_logs WHERE id = 3'); // a rolled-back insert leaves such a gap
    await fixture.TimelineLog.seal({ waitMs: 0 });
    await insertRaw(fixture.db.sequelize, [{ id: 3, timestamp: '2026-01-03T00:00:00Z', event: 'forged' }]);
    await insertRaw(fixture.db.sequelize, [{ id: -1, timestamp: '2026-01-03T00:00:00Z', event: 'forged below' }]);
    expect(await fixture.TimelineLog.verify()).toMatchObject({
      intact: false,
      problems: [
        { id: '-1', problem: 'unexpected' },
        { id: '3', problem: 'unexpected' },
      ],
    });
  });

  it('a truncated table has every sealed log missing', async () => {
    await seedAndSeal();
    await sql('TRUNCATE timeline_logs');
    const result = await fixture.TimelineLog.verify();
    expect(result).toMatchObject({ intact: false, checked: 0, problemCount: 5 });
    expect(result.problems.map((problem) => problem.problem)).toEqual(Array(5).fill('missing'));
  });

  it('passes every problem to onProblem and keeps the first maxProblems', async () => {
    await seedAndSeal();
    await sql("UPDATE timeline_logs SET event = 'x'");
    const seen: string[] = [];
    const result = await fixture.TimelineLog.verify({ maxProblems: 2, onProblem: (problem) => seen.push(problem.id) });
    expect(result).toMatchObject({ problemCount: 5, problems: [{ id: '1' }, { id: '2' }] });
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('the chain', () => {
  it('an edited seal, a seal removed from the middle and seals removed from the end (against an anchor) are reported', async () => {
    await insertRaw(fixture.db.sequelize, LOGS);
    const { anchor } = await fixture.TimelineLog.seal({ batchSize: 2 });
    expect(anchor).toMatch(/^3:/);
    await sql('UPDATE timeline_logs_seals SET logs = 1 WHERE id = 1');
    expect(await fixture.TimelineLog.verify()).toMatchObject({
      intact: false,
      problems: [],
      sealProblems: [{ seal: '1', problem: 'modified' }],
    });
    await sql('UPDATE timeline_logs_seals SET logs = 2 WHERE id = 1');
    await sql('DELETE FROM timeline_logs_seals WHERE id = 3');
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, unsealed: 1 }); // undetectable without the anchor
    expect(await fixture.TimelineLog.verify({ anchor: anchor as string })).toMatchObject({
      intact: false,
      sealProblems: [{ seal: '3', problem: 'missing' }],
    });
    await sql('DELETE FROM timeline_logs_seals WHERE id = 1');
    expect((await fixture.TimelineLog.verify()).sealProblems).toEqual([{ seal: '1', problem: 'missing' }]);
  });

  it('entries swapped in from another seal do not match their digest', async () => {
    await insertRaw(fixture.db.sequelize, LOGS);
    await fixture.TimelineLog.seal({ batchSize: 2 });
    await sql('UPDATE timeline_logs_seals SET entries = (SELECT entries FROM timeline_logs_seals WHERE id = 2) WHERE id = 1');
    const result = await fixture.TimelineLog.verify();
    expect(result.sealProblems).toEqual([{ seal: '1', problem: 'modified' }]);
    expect(result.intact).toBe(false);
  });

  it('rejects an anchor that is not <id>:<64 hex digits>', async () => {
    await expect(fixture.TimelineLog.verify({ anchor: 'nope' })).rejects.toThrow(TypeError);
  });
});

describe('keys', () => {
  it('verifying with another key, or without one, fails', async () => {
    await seedAndSeal();
    try {
      useKey(OTHER_KEY);
      expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: false, sealProblems: [{ seal: '1', problem: 'wrong-key' }] });
      useKey(undefined);
      expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: false, sealProblems: [{ seal: '1', problem: 'wrong-key' }] });
      await expect(fixture.TimelineLog.prune({ keepDays: 1 })).rejects.toThrow(/made with a sealKey and none is configured/);
      await fixture.TimelineLog.log(null, { event: 'written while the key is missing' });
      await expect(fixture.TimelineLog.seal({ waitMs: 0 })).rejects.toThrow(
        /made with a sealKey and none is configured.*nothing was sealed/,
      );
      expect(await fixture.TimelineLog.count()).toBe(6);
    } finally {
      useKey(KEY);
    }
  });

  it('a chain re-made without the key is caught by the key check', async () => {
    await seedAndSeal();
    try {
      useKey(undefined);
      await sql('TRUNCATE timeline_logs_seals');
      await sql("UPDATE timeline_logs SET event = 'rewritten' WHERE id = 1");
      await fixture.TimelineLog.seal({ waitMs: 0 });
    } finally {
      useKey(KEY);
    }
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: false, sealProblems: [{ seal: '1', problem: 'wrong-key' }] });
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => useKey('short')).toThrow(ConfigurationError);
    expect(() => useKey('short')).toThrow(/at least 32 bytes \(got 5\)/);
    useKey(KEY);
  });
});

describe('open transactions', () => {
  it('a transaction open across seal() is sealed by a later call, never reported', async () => {
    await insertRaw(fixture.db.sequelize, LOGS.slice(0, 2));
    const open = await fixture.db.sequelize.transaction();
    await fixture.TimelineLog.log(null, { event: 'in the open transaction', transaction: open }); // id 3
    await fixture.TimelineLog.log(null, { event: 'committed after it' }); // id 4
    const first = await fixture.TimelineLog.seal({ waitMs: 100 });
    expect(first).toMatchObject({ sealed: 0, throughId: null });
    expect(first.waitingFor).toEqual([expect.objectContaining({ state: 'idle in transaction', since: expect.any(Date) })]);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, unsealed: 3 });
    await open.commit();
    expect(await fixture.TimelineLog.seal({ waitMs: 100 })).toMatchObject({ sealed: 4, throughId: '4', waitingFor: [] });
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 4 });
  });

  it('waits for a transaction that commits while seal() waits, and ignores one that wrote nothing', async () => {
    const idle = await fixture.db.sequelize.transaction();
    await fixture.db.sequelize.query('SELECT 1', { transaction: idle });
    const open = await fixture.db.sequelize.transaction();
    await fixture.TimelineLog.log(null, { event: 'committed during the wait', transaction: open });
    await fixture.TimelineLog.log(null, { event: 'committed before' });
    const sealing = fixture.TimelineLog.seal({ waitMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await open.commit();
    expect(await sealing).toMatchObject({ sealed: 2, throughId: '2', waitingFor: [] });
    await idle.commit();
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 2 });
  });

  it('a rolled-back log leaves a gap that stays sealed', async () => {
    const rolledBack = await fixture.db.sequelize.transaction();
    await fixture.TimelineLog.log(null, { event: 'rolled back', transaction: rolledBack });
    await rolledBack.rollback();
    await fixture.TimelineLog.log(null, { event: 'kept' });
    expect(await fixture.TimelineLog.seal({ waitMs: 0 })).toMatchObject({ sealed: 1, throughId: '2' });
    await insertRaw(fixture.db.sequelize, [{ id: 1, timestamp: '2026-01-01T00:00:00Z', event: 'forged into the gap' }]);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ problems: [{ id: '1', problem: 'unexpected' }] });
  });
});
