import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineOptions } from '../../src/index.js';
import { recordRetention } from '../../src/seal/record-retention.js';
import { makeTempFolder, removeTempFolder } from '../support/archive-folder.js';
import { insertRaw } from '../support/raw-log.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

/** With `keepDays: 30` the cut-off is 2026-12-01T00:00:00Z. */
const NOW = new Date('2026-12-31T00:00:00Z');
const CUTOFF = new Date('2026-12-01T00:00:00Z');
const OPTIONS: TimelineOptions = { now: () => NOW, sealKey: 'prune-spec-seal-key-0123456789abcdef' };
let fixture: TimelineFixture;
let folder: string;

beforeAll(async () => {
  fixture = await createTimelineFixture(OPTIONS);
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  await fixture.TimelineLog.prune({ all: true });
  await sql('TRUNCATE timeline_logs_seals');
  await sql("SELECT setval('timeline_logs_id_seq', 1, false)");
  folder = await makeTempFolder();
});
afterEach(() => removeTempFolder(folder));

async function sql(statement: string): Promise<void> {
  await fixture.db.sequelize.query(statement);
}

/**
 * Nine logs sealed three per seal: ids 1-3 from October and November (a seal wholly before the
 * cut-off), 4-6 from November, the cut-off itself and December, 7-9 from December (wholly after).
 */
async function seedAndSeal(): Promise<void> {
  await insertRaw(fixture.db.sequelize, [
    { timestamp: '2026-10-05T10:00:00Z', event: 'october' },
    { timestamp: '2026-10-20T10:00:00.123456Z', event: 'october', extra_data: { n: 2 } },
    { timestamp: '2026-11-02T10:00:00Z', event: 'november' },
    { timestamp: '2026-11-30T23:59:59.999999Z', event: 'last of november' },
    { timestamp: '2026-12-01T00:00:00Z', event: 'at the cut-off' },
    { timestamp: '2026-12-01T00:00:00.000001Z', event: 'just after' },
    { timestamp: '2026-12-10T00:00:00Z', event: 'december' },
    { timestamp: '2026-12-20T00:00:00Z', event: 'december', extra_data: ['x'] },
    { timestamp: '2026-12-30T00:00:00Z', event: 'recent' },
  ]);
  expect(await fixture.TimelineLog.seal({ batchSize: 3, waitMs: 0 })).toMatchObject({ sealed: 9, throughId: '9' });
}

async function clearedSeals(): Promise<string[]> {
  const rows = await fixture.db.sequelize.query<{ id: string }>(
    `SELECT id::text AS id FROM timeline_logs_seals WHERE kind = 'seal' AND entries IS NULL ORDER BY id`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.id);
}

describe('prune keeps a sealed timeline verifiable', () => {
  it('keepDays: what it removed counts as removed, the seal it emptied is cleared, and the chain records it', async () => {
    await seedAndSeal();
    expect(await fixture.TimelineLog.prune({ keepDays: 30 })).toBe(5);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 4, removed: 5, unsealed: 0, seals: 5, problems: [] });
    expect(await clearedSeals()).toEqual(['1']);
    const links = await fixture.db.sequelize.query<{ kind: string; cutoff: Date | null }>(
      `SELECT kind, cutoff FROM timeline_logs_seals WHERE kind = 'retention' ORDER BY id`,
      { type: QueryTypes.SELECT },
    );
    expect(links).toEqual([
      { kind: 'retention', cutoff: CUTOFF },
      { kind: 'retention', cutoff: CUTOFF },
    ]);
  });

  it('a log deleted after the cut-off is still missing, and one whose time was moved forward to dodge the prune is caught', async () => {
    await seedAndSeal();
    await sql(`UPDATE timeline_logs SET "timestamp" = '2026-12-15T00:00:00Z' WHERE id = 2`);
    await fixture.TimelineLog.prune({ keepDays: 30 });
    await sql('DELETE FROM timeline_logs WHERE id = 8');
    expect(await fixture.TimelineLog.verify()).toMatchObject({
      intact: false,
      problems: [
        { id: '2', problem: 'unexpected' },
        { id: '8', problem: 'missing' },
      ],
    });
  });

  it('with an archive, and prune --all, it stays intact', async () => {
    await seedAndSeal();
    expect(await fixture.TimelineLog.prune({ keepDays: 30, archiveDir: folder, batchSize: 2 })).toBe(5);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, removed: 5 });
    await fixture.TimelineLog.log(null, { event: 'after the prune' });
    await fixture.TimelineLog.seal({ waitMs: 0 });
    expect(await fixture.TimelineLog.prune({ all: true })).toBe(5);
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: 0, removed: 10, problems: [] });
    expect(await clearedSeals()).toEqual(['1', '2', '3', '6']); // 4 and 5 are the first prune's links
  });

  it('a dry run records nothing', async () => {
    await seedAndSeal();
    expect(await fixture.TimelineLog.prune({ keepDays: 30, dryRun: true })).toBe(5);
    const [row] = await fixture.db.sequelize.query<{ n: string }>(`SELECT count(*)::text AS n FROM timeline_logs_seals`, {
      type: QueryTypes.SELECT,
    });
    expect(row?.n).toBe('3');
  });

  it('an old log sealed while a prune runs is covered by the link the prune writes when it ends', async () => {
    await seedAndSeal();
    const retention = await recordRetention(fixture.TimelineLog.runtime, CUTOFF);
    await insertRaw(fixture.db.sequelize, [{ timestamp: '2026-11-15T00:00:00Z', event: 'imported while pruning' }]);
    await fixture.TimelineLog.seal({ waitMs: 0 });
    await sql(`DELETE FROM timeline_logs WHERE "timestamp" <= '${CUTOFF.toISOString()}'`);
    expect((await fixture.TimelineLog.verify()).problems).toEqual([{ id: '10', problem: 'missing' }]);
    await retention.finish();
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, removed: 6 });
  });

  it('clearing a seal that no prune emptied is a modified seal', async () => {
    await seedAndSeal();
    await sql(`UPDATE timeline_logs_seals SET entries = NULL WHERE id = 3`);
    await sql(`DELETE FROM timeline_logs WHERE id >= 7`);
    expect(await fixture.TimelineLog.verify()).toMatchObject({
      intact: false,
      problems: [],
      sealProblems: [{ seal: '3', problem: 'modified' }],
    });
  });
});
