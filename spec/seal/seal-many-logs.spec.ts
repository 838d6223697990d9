import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

/** More logs than one read of seal() and verify() takes (2,000), ending exactly on a read's edge. */
const LOGS = 4000;
let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture({ sealKey: 'many-logs-seal-key-0123456789abcdef' });
});
afterAll(async () => {
  await fixture.db.drop();
});
beforeEach(async () => {
  await sql('TRUNCATE timeline_logs, timeline_logs_seals');
  await sql("SELECT setval('timeline_logs_id_seq', 1, false)");
  await sql(
    `INSERT INTO timeline_logs (content_type, object_id, object_repr, timestamp, user_repr, template, event, extra_data, correlation_id)
     SELECT 'Post', n::text, 'Post ' || n, timestamptz '2026-01-01' + n * interval '1 minute', 'ann', 'timeline_logger/updated.ejs',
            'updated', jsonb_build_object('changes', jsonb_build_object('title', jsonb_build_array('a' || n, 'b' || n))), 'req-' || n
       FROM generate_series(1, ${LOGS}) AS n`,
  );
});

async function sql(statement: string): Promise<void> {
  await fixture.db.sequelize.query(statement);
}

describe('seal() and verify() over many reads', () => {
  it('seals every log across reads and seals, and verify them all', async () => {
    expect(await fixture.TimelineLog.seal({ waitMs: 0, batchSize: 3000 })).toMatchObject({ sealed: LOGS, throughId: String(LOGS) });
    expect(await fixture.TimelineLog.verify()).toMatchObject({ intact: true, checked: LOGS, unsealed: 0, seals: 2 });
  });

  it('names a change in every read of the logs, the last log included', async () => {
    await fixture.TimelineLog.seal({ waitMs: 0 });
    await sql(`UPDATE timeline_logs SET object_repr = 'forged' WHERE id IN (1, 2000, 2001, 3999, ${LOGS})`);
    const result = await fixture.TimelineLog.verify();
    expect(result).toMatchObject({ intact: false, checked: LOGS });
    expect(result.problems).toEqual(['1', '2000', '2001', '3999', String(LOGS)].map((id) => ({ id, problem: 'modified' })));
  });
});
