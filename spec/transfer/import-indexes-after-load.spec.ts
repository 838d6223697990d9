/** `buildIndexesAfterLoad`: a large import into an empty table builds its indexes and user key after loading. */
import { QueryTypes } from 'sequelize';
import { randomBytes } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { recordQueries } from '../support/query-recorder.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
let aliceId: number;

/** The table's index and constraint definitions, as PostgreSQL prints them. */
async function definitions(): Promise<string[]> {
  const rows = await fixture.db.sequelize.query<{ definition: string }>(
    `SELECT indexdef AS definition FROM pg_indexes WHERE tablename = 'timeline_logs'
     UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'timeline_logs'::regclass
     ORDER BY 1`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.definition);
}

function csv(rows: number, user: number | ''): Buffer {
  const lines = ['id,timestamp,user,object_id,event'];
  for (let id = 1; id <= rows; id += 1) lines.push(`${id},2024-01-01T00:00:${String(id % 60).padStart(2, '0')}.000001Z,${user},o${id},e`);
  return Buffer.from(lines.join('\n'));
}

beforeAll(async () => {
  aliceId = (await createUser(fixture.models, 'alice')).id;
});
beforeEach(async () => {
  await fixture.db.sequelize.query('TRUNCATE timeline_logs RESTART IDENTITY');
});

describe('buildIndexesAfterLoad', () => {
  it('loads into an empty table and restores exactly the same indexes and user foreign key', async () => {
    const before = await definitions();
    expect(before.some((definition) => definition.includes('FOREIGN KEY (user_id)'))).toBe(true);
    const { result, statements } = await recordQueries(fixture.db.sequelize, () =>
      new TimelineLogResource().import(csv(50, aliceId), { format: 'csv', batchSize: 20, buildIndexesAfterLoad: true }),
    );
    expect(result).toMatchObject({ totals: { new: 50, invalid: 0, error: 0 }, committed: true });
    expect(statements.filter((sql) => sql.startsWith('DROP INDEX'))).toHaveLength(1);
    expect(statements.filter((sql) => /DROP CONSTRAINT/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /FOR KEY SHARE/.test(sql))).toHaveLength(1);
    expect(await definitions()).toEqual(before);
    expect(await fixture.TimelineLog.count({ where: { userId: aliceId } })).toBe(50);
  });

  it('leaves a table that has rows as it is (the rows are loaded with the indexes in place)', async () => {
    await new TimelineLogResource().import(csv(1, ''), { format: 'csv' });
    const more = Buffer.from(`id,timestamp\n2,2024-01-01T00:00:00Z\n`);
    const { result, statements } = await recordQueries(fixture.db.sequelize, () =>
      new TimelineLogResource().import(more, { format: 'csv', buildIndexesAfterLoad: true }),
    );
    expect(result.totals.new).toBe(1);
    expect(statements.filter((sql) => /DROP|LOCK TABLE/.test(sql))).toEqual([]);
  });

  it('reports invalid and refused rows as without it, and writes nothing then', async () => {
    const before = await definitions();
    const file = Buffer.from(
      `id,timestamp,user,event\n1,2024-01-01T00:00:00Z,${aliceId},fine\n2,2024-01-01T00:00:00Z,999999,fine\n3,2024-01-01T00:00:00Z,,${'x'.repeat(65)}\n`,
    );
    const result = await new TimelineLogResource().import(file, { format: 'csv', buildIndexesAfterLoad: true });
    expect(result.rows.map(({ row, status }) => [row, status])).toEqual([
      [1, 'new'],
      [2, 'invalid'],
      [3, 'invalid'],
    ]);
    expect(result.committed).toBe(false);
    expect(await fixture.TimelineLog.count()).toBe(0);
    expect(await definitions()).toEqual(before);
  });

  it('an index PostgreSQL cannot build over the loaded rows is an ImportError, and nothing is written', async () => {
    const before = await definitions();
    // An incompressible object_id too large for a btree entry of the object index.
    const huge = randomBytes(6000).toString('base64');
    const file = Buffer.from(`id,timestamp,content_type,object_id\n1,2024-01-01T00:00:00Z,Post,${huge}\n`);
    await expect(new TimelineLogResource().import(file, { format: 'csv', buildIndexesAfterLoad: true })).rejects.toThrow(
      /^Building .*timeline_logs_object_idx after loading failed: index row size .* Nothing was written; import again without buildIndexesAfterLoad/,
    );
    expect(await fixture.TimelineLog.count()).toBe(0);
    expect(await definitions()).toEqual(before);
    // Without the option the row is reported on its own, as always.
    const result = await new TimelineLogResource().import(file, { format: 'csv' });
    expect(result.rows[0]).toMatchObject({ status: 'error', errors: [{ field: 'row', message: expect.stringMatching(/index row size/) }] });
  });

  it('needs the import transaction', async () => {
    await expect(
      new TimelineLogResource().import(csv(1, ''), { format: 'csv', buildIndexesAfterLoad: true, useTransactions: false }),
    ).rejects.toThrow(ImportError);
    await expect(
      new TimelineLogResource().import(csv(1, ''), { format: 'csv', buildIndexesAfterLoad: true, useTransactions: false }),
    ).rejects.toThrow(/needs the import to run in one transaction/);
  });
});
