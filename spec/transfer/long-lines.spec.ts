/**
 * Issue 11 #7: one long line (a large `extra_data` or `object_repr`) is split in time linear in
 * its length. spec/transfer/read-lines.spec.ts proves the splitter looks at each character once;
 * this imports real files with a 16 MB line and checks every row arrives whole.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
const LONG = 16 * 1024 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'timeline-long-lines-'));

async function storedLengths(): Promise<{ id: string; repr: number | null; extra: number | null }[]> {
  const [rows] = await fixture.db.sequelize.query(
    `SELECT id::text AS id, length(object_repr) AS repr, length(extra_data->>'note') AS extra FROM timeline_logs ORDER BY id`,
  );
  return rows as { id: string; repr: number | null; extra: number | null }[];
}

beforeEach(async () => {
  await fixture.db.sequelize.query('TRUNCATE timeline_logs');
});

describe('a 16 MB line', () => {
  it('of ndjson (a long extra_data) is imported whole, with the row after it', async () => {
    const file = path.join(dir, 'long.ndjson');
    const long = { id: 1, timestamp: '2024-01-01T00:00:00Z', extra_data: { note: 'x'.repeat(LONG) } };
    writeFileSync(
      file,
      `${JSON.stringify(long)}\r\n${JSON.stringify({ id: 2, timestamp: '2024-01-01T00:00:00Z', object_repr: 'short' })}\n`,
    );
    const result = await new TimelineLogResource().import(file);
    expect(result.totals).toEqual({ new: 2, update: 0, skip: 0, invalid: 0, error: 0 });
    expect(await storedLengths()).toEqual([
      { id: '1', repr: null, extra: LONG },
      { id: '2', repr: 5, extra: null },
    ]);
  });

  it('of yaml (a long object_repr) is imported whole, with the row after it', async () => {
    const file = path.join(dir, 'long.yaml');
    writeFileSync(
      file,
      `- id: 1\n  timestamp: "2024-01-01T00:00:00Z"\n  object_repr: ${'x'.repeat(LONG)}\n- id: 2\n  timestamp: "2024-01-01T00:00:00Z"\n  object_repr: short\n`,
    );
    const result = await new TimelineLogResource().import(file);
    expect(result.totals).toEqual({ new: 2, update: 0, skip: 0, invalid: 0, error: 0 });
    expect(await storedLengths()).toEqual([
      { id: '1', repr: LONG, extra: null },
      { id: '2', repr: 5, extra: null },
    ]);
  });
});
