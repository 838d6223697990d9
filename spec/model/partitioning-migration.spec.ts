import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { ConfigurationError, migrateTimeline, setupTimeline } from '../../src/index.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture({ partitioning: undefined });
});
afterAll(async () => {
  await fixture.db.drop();
});

async function relkind(): Promise<string | undefined> {
  const [row] = await fixture.db.sequelize.query<{ kind: string }>(
    `SELECT relkind AS kind FROM pg_class WHERE oid = 'timeline_logs'::regclass`,
    {
      type: QueryTypes.SELECT,
    },
  );
  return row?.kind;
}

describe('partitioning an existing plain table', () => {
  it('refuses one that holds logs, saying how to convert it, and leaves it as it was', async () => {
    await fixture.TimelineLog.log(null, { event: 'kept' });
    setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, partitioning: { interval: 'month' } });
    const refusal = migrateTimeline(fixture.db.sequelize);
    await expect(refusal).rejects.toThrow(ConfigurationError);
    await expect(refusal).rejects.toThrow(/holds logs and is not partitioned.*run timeline-logger partition to convert it/);
    expect(await relkind()).toBe('r');
    expect((await fixture.TimelineLog.findAll()).map((log) => log.event)).toEqual(['kept']);
  });

  it('converts an empty one, ids continuing from its sequence', async () => {
    const last = await fixture.TimelineLog.log(null, { event: 'last plain' });
    await fixture.TimelineLog.destroy({ where: {} });
    await migrateTimeline(fixture.db.sequelize);
    expect(await relkind()).toBe('p');
    const next = await fixture.TimelineLog.log(null, { event: 'first partitioned' });
    expect(BigInt(next.id)).toBeGreaterThan(BigInt(last.id));
  });

  it('maintainPartitions without the option is a ConfigurationError', async () => {
    setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, partitioning: undefined });
    await expect(fixture.TimelineLog.maintainPartitions()).rejects.toThrow(/maintainPartitions needs the partitioning option/);
  });
});
