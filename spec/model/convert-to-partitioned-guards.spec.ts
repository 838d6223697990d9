import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { ConfigurationError, setupTimeline, type TimelineLog, type TimelineOptions } from '../../src/index.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

const PARTITIONED: TimelineOptions = { partitioning: { interval: 'week', premake: 1 } };
let fixture: TimelineFixture;

function query(sql: string): Promise<unknown> {
  return fixture.db.sequelize.query(sql);
}

async function relkind(): Promise<string | undefined> {
  const [row] = await fixture.db.sequelize.query<{ kind: string }>(
    `SELECT relkind AS kind FROM pg_class WHERE oid = 'timeline_logs'::regclass`,
    {
      type: QueryTypes.SELECT,
    },
  );
  return row?.kind;
}

beforeAll(async () => {
  fixture = await createTimelineFixture({ partitioning: undefined });
  for (let day = 0; day < 40; day += 1) {
    await fixture.TimelineLog.log(null, { event: `day ${day}`, timestamp: new Date(Date.UTC(2025, 0, 1 + day, 12)) });
  }
});
afterAll(async () => {
  await fixture.db.drop();
});

describe('convertToPartitioned refuses', () => {
  it('without the partitioning option', async () => {
    setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, partitioning: undefined });
    const refusal = fixture.TimelineLog.convertToPartitioned({ dryRun: true });
    await expect(refusal).rejects.toThrow(ConfigurationError);
    await expect(refusal).rejects.toThrow(/needs the partitioning option/);
  });

  it('a table with triggers, views or row-level security, listing them, and leaves it as it was', async () => {
    setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, ...PARTITIONED });
    await query(`CREATE FUNCTION stamp_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);
    await query(`CREATE TRIGGER stamp_log BEFORE INSERT ON timeline_logs FOR EACH ROW EXECUTE FUNCTION stamp_log()`);
    await query(`CREATE VIEW recent_logs AS SELECT id, event FROM timeline_logs`);
    await query(`ALTER TABLE timeline_logs ENABLE ROW LEVEL SECURITY`);
    try {
      for (const dryRun of [true, false]) {
        const refusal = fixture.TimelineLog.convertToPartitioned({ dryRun });
        await expect(refusal).rejects.toThrow(ConfigurationError);
        await expect(refusal).rejects.toThrow(
          /^The table timeline_logs cannot be converted as it is: .*trigger stamp_log.*row-level security.*view or rule of recent_logs.*remove them, convert/,
        );
      }
      expect(await relkind()).toBe('r');
    } finally {
      await query(`ALTER TABLE timeline_logs DISABLE ROW LEVEL SECURITY`);
      await query(`DROP VIEW recent_logs`);
      await query(`DROP TRIGGER stamp_log ON timeline_logs`);
      await query(`DROP FUNCTION stamp_log()`);
    }
  });

  it('to wait longer than lockTimeoutMs behind a transaction writing to the table, changing nothing', async () => {
    const writer = await fixture.db.sequelize.transaction();
    try {
      await fixture.TimelineLog.log(null, { event: 'uncommitted', transaction: writer });
      const refusal = fixture.TimelineLog.convertToPartitioned({ lockTimeoutMs: 200 });
      await expect(refusal).rejects.toThrow(ConfigurationError);
      await expect(refusal).rejects.toThrow(/gave up after waiting 200 ms for a lock .*nothing was changed/);
    } finally {
      await writer.rollback();
    }
    expect(await relkind()).toBe('r');
  });
});

describe('a write issued during the conversion', () => {
  it('waits for it and lands in the partitioned table, with a new id', async () => {
    const count = await fixture.TimelineLog.count();
    const maxId = BigInt(await fixture.TimelineLog.max<string, TimelineLog>('id'));
    let writing: Promise<TimelineLog> | undefined;
    let written = false;
    let writtenBeforeSwap: boolean | undefined;
    const result = await fixture.TimelineLog.convertToPartitioned({
      onProgress: (step) => {
        if (step === 'copy') {
          writing = fixture.TimelineLog.log(null, { event: 'during', timestamp: new Date(Date.UTC(2025, 0, 3)) });
          void writing.then(() => (written = true));
        }
        if (step === 'swap') writtenBeforeSwap = written;
      },
    });
    expect(result.kind).toBe('converted');
    const log = await writing;
    expect(writtenBeforeSwap).toBe(false);
    expect(BigInt(log?.id ?? 0)).toBeGreaterThan(maxId);
    expect(await relkind()).toBe('p');
    expect(await fixture.TimelineLog.count()).toBe(count + 1);
    const [row] = await fixture.db.sequelize.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM timeline_logs WHERE event = 'during'`,
      { type: QueryTypes.SELECT },
    );
    expect(row?.partition).toBe('timeline_logs_p2025w01');
  });
});
