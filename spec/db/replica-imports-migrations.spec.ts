/**
 * SPEC §10 with Sequelize's `replication`: imports and migrations read what they depend on from
 * the primary (ids, users, the sequence, what has run), not from a replica that may lag or
 * refuses `nextval()`/`setval()`. Against a real streaming standby whose replay a spec pauses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMigrator } from '../../src/db/migrator.js';
import { migrateTimeline, TimelineLogResource } from '../../src/index.js';
import { createReplicatedFixture, type ReplicatedFixture } from '../support/replicated-fixture.js';
import { createUser } from '../support/timeline-fixture.js';

let fixture: ReplicatedFixture;

beforeAll(async () => {
  fixture = await createReplicatedFixture();
});
afterAll(async () => {
  await fixture?.close();
});
beforeEach(async () => {
  await fixture.pair.resumeReplay();
  await fixture.primary.query('TRUNCATE timeline_logs, users RESTART IDENTITY CASCADE');
});

/** The logs' events as the primary has them, oldest first. */
async function eventsOnPrimary(): Promise<string[]> {
  const rows = await fixture.primary.query<{ event: string }>('SELECT event FROM timeline_logs ORDER BY id', { type: QueryTypes.SELECT });
  return rows.map((row) => row.event);
}

describe('with replication, imports and migrations use the primary', () => {
  /** An ndjson import file of `rows`. */
  const ndjson = (rows: readonly Record<string, unknown>[]): Buffer => Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n'));

  it('imports (one transaction) and moves the id sequence past the imported ids on the primary', async () => {
    const { TimelineLog } = fixture;
    const result = await new TimelineLogResource().import(
      ndjson([
        { id: '41', event: 'imported', timestamp: '2024-01-01T00:00:00.000000Z' },
        { id: '42', event: 'imported', timestamp: '2024-01-02T00:00:00.000000Z' },
      ]),
      { format: 'ndjson' },
    );
    expect(result.totals).toMatchObject({ new: 2, invalid: 0, error: 0 });
    const next = await TimelineLog.log(null, { event: 'after_import' });
    expect(Number(next.id)).toBeGreaterThan(42);
  });

  it('an import without transactions checks users and stored rows on the primary, not on a lagging replica', async () => {
    const { models, pair, TimelineLog } = fixture;
    await pair.pauseReplay();
    // Only the primary has them yet.
    const stored = await TimelineLog.log(null, { event: 'stored' });
    const newcomer = await createUser(models, 'newcomer');
    const result = await new TimelineLogResource().import(
      ndjson([
        { id: stored.id, event: 'stored, changed', timestamp: '2024-01-01T00:00:00.000000Z' },
        { id: null, event: 'by newcomer', user: newcomer.id, timestamp: '2024-01-02T00:00:00.000000Z' },
      ]),
      { format: 'ndjson', useTransactions: false },
    );
    expect(result.rows.map((row) => [row.status, row.errors])).toEqual([
      ['update', []],
      ['new', []],
    ]);
    expect(await eventsOnPrimary()).toEqual(['stored, changed', 'by newcomer']);
  });

  it('migrations read what has run from the primary, so a lagging replica neither fails nor repeats them', async () => {
    const { pair, primary, sequelize } = fixture;
    const folder = mkdtempSync(path.join(os.tmpdir(), 'tl-replica-migrations-'));
    try {
      writeFileSync(
        path.join(folder, '20240101000000-create-notes.cjs'),
        "module.exports = { up: (qi, S) => qi.createTable('replica_notes', { id: { type: S.INTEGER, primaryKey: true } }) };\n",
      );
      await pair.pauseReplay();
      const migrator = (): ReturnType<typeof createMigrator> => createMigrator(sequelize, { folder, storageTable: 'ReplicaSpecMeta' });
      expect((await migrator().up()).map((migration) => migration.name)).toEqual(['20240101000000-create-notes.cjs']);
      expect(await migrator().up()).toEqual([]);
      expect(await migrateTimeline(sequelize)).toEqual([]);
      const [row] = await primary.query<{ count: string }>('SELECT count(*) AS count FROM "ReplicaSpecMeta"', { type: QueryTypes.SELECT });
      expect(row?.count).toBe('1');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
