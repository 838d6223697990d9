import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture({ sealKey: 'concurrency-spec-seal-key-0123456789abcdef' });
});
afterAll(async () => {
  await fixture.db.drop();
});

class RolledBack extends Error {}

/**
 * Writes logs for `ms` in transactions that stay open a few milliseconds (so later ids commit
 * before earlier ones); one in five rolls back, leaving a gap in the ids.
 */
async function writeFor(ms: number, writer: number): Promise<number> {
  const until = Date.now() + ms;
  let committed = 0;
  for (let n = 0; Date.now() < until; n += 1) {
    try {
      await fixture.db.sequelize.transaction(async (transaction) => {
        await fixture.TimelineLog.log(null, { event: `w${writer}-${n}`, extraData: { n }, transaction });
        await sleep(Math.floor(Math.random() * 15));
        if (n % 5 === 4) throw new RolledBack();
      });
      committed += 1;
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
  }
  return committed;
}

describe('sealing while logs are written', () => {
  it('never seals past a log still to commit: after writers with overlapping transactions, every log verifies', async () => {
    const writing = Promise.all([1, 2, 3, 4].map((writer) => writeFor(2500, writer)));
    let sealedWhileWriting = 0;
    let stop = false;
    const sealing = (async () => {
      while (!stop) {
        sealedWhileWriting += (await fixture.TimelineLog.seal({ waitMs: 200, batchSize: 25 })).sealed;
        // verify() between seals: logs of transactions still open are never problems.
        const check = await fixture.TimelineLog.verify();
        expect(check.problems).toEqual([]);
        expect(check.sealProblems).toEqual([]);
      }
    })();
    const committed = (await writing).reduce((sum, count) => sum + count, 0);
    stop = true;
    await sealing;
    const last = await fixture.TimelineLog.seal({ waitMs: 2000 });
    expect(sealedWhileWriting).toBeGreaterThan(0);
    expect(sealedWhileWriting + last.sealed).toBe(committed);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: committed, unsealed: 0, problems: [] });
  }, 60_000);
});
