/**
 * Correlation ids of jobs and scripts (SPEC §12): `runWithTimelineUser` gives each run its own,
 * `runWithTimelineContext` sets the user and the id, and every way of writing a log (log,
 * logFromRequest, tracked single, bulk and commit-buffered changes) stores the id of the context
 * the change was made in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  currentCorrelationId,
  isCorrelationId,
  runWithTimelineContext,
  runWithTimelineUser,
  withTimeline,
  type TimelineLog,
} from '../../src/index.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const fixture = useTimelineFixture();
let ann: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  withTimeline(fixture.models.Post);
  ann = await createUser(fixture.models, 'ann');
});

async function allLogs(): Promise<TimelineLog[]> {
  return fixture.TimelineLog.findAll({ order: [['id', 'ASC']] });
}

describe('runWithTimelineUser', () => {
  it('gives each run a fresh id, shared by the logs of that run, and none outside', async () => {
    expect(currentCorrelationId()).toBeNull();
    const seen: (string | null)[] = [];
    for (const title of ['first', 'second']) {
      await runWithTimelineUser(ann, async () => {
        seen.push(currentCorrelationId());
        const post = await fixture.models.Post.create({ title, body: '', authorId: null });
        await post.update({ body: 'x' });
        await fixture.TimelineLog.log(post, { event: 'noted' });
      });
    }
    await fixture.TimelineLog.log(null, { event: 'outside' });
    expect(seen[0]).toMatch(UUID);
    expect(seen[1]).toMatch(UUID);
    expect(seen[0]).not.toBe(seen[1]);
    const logs = await allLogs();
    expect(logs.map((log) => [log.objectRepr, log.event, log.correlationId])).toEqual([
      ['first', 'created', seen[0]],
      ['first', 'updated', seen[0]],
      ['first', 'noted', seen[0]],
      ['second', 'created', seen[1]],
      ['second', 'updated', seen[1]],
      ['second', 'noted', seen[1]],
      [null, 'outside', null],
    ]);
  });

  it('keeps concurrent runs apart', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        runWithTimelineUser(ann, async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          await fixture.models.Post.create({ title: `job-${index}`, body: '', authorId: null });
          return currentCorrelationId();
        }),
      ),
    );
    expect(new Set(ids).size).toBe(20);
    for (const log of await allLogs()) expect(log.correlationId).toBe(ids[Number(log.objectRepr?.slice(4))]);
  });
});

describe('runWithTimelineContext', () => {
  it('sets the user and the correlation id, and returns what fn returns', async () => {
    const result = await runWithTimelineContext({ user: ann, correlationId: 'job:invoices.2024-01_a' }, async () => {
      await fixture.models.Post.create({ title: 'In a job', body: '', authorId: null });
      await fixture.TimelineLog.logFromRequest({ user: ann }, null, { event: 'sent' });
      return 'done';
    });
    expect(result).toBe('done');
    const logs = await allLogs();
    expect(logs.map((log) => [log.event, log.userRepr, log.correlationId])).toEqual([
      ['created', 'ann', 'job:invoices.2024-01_a'],
      ['sent', 'ann', 'job:invoices.2024-01_a'],
    ]);
  });

  it('defaults to no user and a new UUID, inheriting nothing from an enclosing context', async () => {
    const inner = await runWithTimelineContext({ user: ann, correlationId: 'outer-1' }, () =>
      runWithTimelineContext({}, async () => {
        await fixture.models.Post.create({ title: 'Nested', body: '', authorId: null });
        return currentCorrelationId();
      }),
    );
    expect(inner).toMatch(UUID);
    const [log] = await allLogs();
    expect(log).toMatchObject({ userId: null, userRepr: null, correlationId: inner });
  });

  it.each([['x'.repeat(65)], [''], ['a b'], ['<script>'], [42], [null]])('refuses correlationId %j with a TypeError', (value) => {
    expect(() => runWithTimelineContext({ correlationId: value as string }, () => 1)).toThrow(
      /^correlationId must be 1 to 64 letters, digits, dots, underscores, colons or hyphens/,
    );
  });

  it('refuses a user that is not an object, and a missing fn', () => {
    expect(() => runWithTimelineContext({ user: 'ann' as unknown as object }, () => 1)).toThrow(TypeError);
    expect(() => runWithTimelineContext({}, undefined as unknown as () => void)).toThrow(/argument fn must be a function/);
  });
});

describe('TimelineLog.log({ correlationId })', () => {
  it('stores an explicit id, or none with null, over the context’s', async () => {
    await runWithTimelineUser(ann, async () => {
      await fixture.TimelineLog.log(null, { event: 'explicit', correlationId: 'import-7' });
      await fixture.TimelineLog.log(null, { event: 'none', correlationId: null });
    });
    expect((await allLogs()).map((log) => [log.event, log.correlationId])).toEqual([
      ['explicit', 'import-7'],
      ['none', null],
    ]);
  });

  it('refuses a malformed id before writing anything', async () => {
    await expect(fixture.TimelineLog.log(null, { correlationId: 'no spaces please' })).rejects.toThrow(
      /^correlationId must be 1 to 64 letters/,
    );
    await expect(fixture.TimelineLog.log(null, { correlationId: 'y'.repeat(65) })).rejects.toThrow(TypeError);
    expect(await fixture.TimelineLog.count()).toBe(0);
  });
});

describe('logs written at commit', () => {
  it('keep the id of the context that made the change, even when another context commits', async () => {
    const transaction = await fixture.db.sequelize.transaction();
    await runWithTimelineContext({ correlationId: 'made-here' }, async () => {
      await fixture.models.Post.create({ title: 'Buffered', body: '', authorId: null }, { transaction });
      await fixture.models.Post.bulkCreate(
        [1, 2].map((n) => ({ title: `Buffered ${n}`, body: '', authorId: null })),
        { transaction },
      );
    });
    await runWithTimelineContext({ correlationId: 'committed-there' }, async () => {
      await fixture.models.Post.update({ body: 'changed' }, { where: { title: 'Buffered 1' }, transaction });
      await transaction.commit();
    });
    expect((await allLogs()).map((log) => [log.objectRepr, log.event, log.correlationId])).toEqual([
      ['Buffered', 'created', 'made-here'],
      ['Buffered 1', 'created', 'made-here'],
      ['Buffered 2', 'created', 'made-here'],
      ['Buffered 1', 'updated', 'committed-there'],
    ]);
  });
});

describe('isCorrelationId', () => {
  it.each([
    ['a', true],
    ['0b7e3c8e-9d1f-4c55-8f0e-1f2a3b4c5d6e', true],
    ['Root=1-65a1b2c3-abcdef012345678901234567', false],
    ['trace:1.2_3-4', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['tab\there', false],
    ['new\nline', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isCorrelationId(value)).toBe(expected);
  });
});
