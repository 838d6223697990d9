import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';

let fixture: TimelineFixture;

beforeAll(async () => {
  fixture = await createTimelineFixture();
});
afterAll(async () => {
  await fixture.db.drop();
});

describe('the seals table', () => {
  it("stores a seal's entries out of line without trying to compress them (digests do not compress)", async () => {
    const [column] = await fixture.db.sequelize.query<{ storage: string }>(
      `SELECT attstorage AS storage FROM pg_attribute WHERE attrelid = 'timeline_logs_seals'::regclass AND attname = 'entries'`,
      { type: QueryTypes.SELECT },
    );
    expect(column?.storage).toBe('e');
  });
});
