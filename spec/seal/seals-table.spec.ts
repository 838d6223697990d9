import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, migrateTimeline, setupTimeline } from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('the seals table', () => {
  it('is made by migrateTimeline next to a table of any name, and seal() and verify() use it', async () => {
    const TimelineLog = setupTimeline(db.sequelize, { tableName: 'audit trail' });
    await expect(TimelineLog.seal()).rejects.toThrow(/run migrateTimeline\(sequelize\)/);
    await migrateTimeline(db.sequelize);
    await migrateTimeline(db.sequelize);
    const [table] = await db.sequelize.query<{ name: string | null }>(`SELECT to_regclass('"audit trail_seals"')::text AS name`, {
      type: QueryTypes.SELECT,
    });
    expect(table?.name).toBe('"audit trail_seals"');
    await TimelineLog.log(null, { event: 'kept' });
    expect(await TimelineLog.seal({ waitMs: 0 })).toMatchObject({
      sealed: 1,
      throughId: '1',
      anchor: expect.stringMatching(/^1:[0-9a-f]{64}$/),
    });
    expect(await TimelineLog.verify()).toMatchObject({ intact: true, checked: 1 });
  });

  it('refuses a tableName too long to name its seals table', () => {
    expect(resolveOptions({ tableName: 'x'.repeat(57) }).tableName).toHaveLength(57);
    expect(() => resolveOptions({ tableName: 'x'.repeat(58) })).toThrow(ConfigurationError);
    expect(() => resolveOptions({ tableName: 'x'.repeat(58) })).toThrow(/at most 57 bytes/);
  });

  it('refuses options that are not whole numbers', async () => {
    const TimelineLog = setupTimeline(db.sequelize, { tableName: 'audit trail' });
    await expect(TimelineLog.seal({ waitMs: -1 })).rejects.toThrow(TypeError);
    await expect(TimelineLog.seal({ batchSize: 0 })).rejects.toThrow(ConfigurationError);
    await expect(TimelineLog.verify({ maxProblems: 1.5 })).rejects.toThrow(TypeError);
  });
});
