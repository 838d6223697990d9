/**
 * The page's `user` filter is checked against the user key's column type before any query, so a
 * value the column cannot hold is the request's mistake (400 naming `user`), not a database error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { withTimelineServer } from '../support/http-server.js';

let fixture: TimelineFixture;
let aliceId: number;

beforeAll(async () => {
  fixture = await createTimelineFixture();
  const alice = await createUser(fixture.models, 'alice');
  aliceId = alice.id;
  await fixture.TimelineLog.log(alice, { user: alice, event: 'created' });
});
afterAll(async () => {
  await fixture.db.drop();
});

describe('the user filter with the demo INTEGER user key', () => {
  it('answers 400 naming user for an id past the INTEGER range, in JSON for a JSON request', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const json = await fetch(`${url}/timeline/?user=2147483648`, { headers: { accept: 'application/json' } });
      expect(json.status).toBe(400);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await json.json()).toMatchObject({ error: { status: 400, parameter: 'user' } });
      const html = await fetch(`${url}/timeline/?user=-2147483649`);
      expect(html.status).toBe(400);
      expect(await html.text()).toContain('The user parameter must be a user id (a whole number)');
    });
  });

  it('still reads ids within the range', async () => {
    await withTimelineServer({ public: true }, async ({ url }) => {
      const mine = await fetch(`${url}/timeline/?user=${aliceId}&format=json`);
      expect(mine.status).toBe(200);
      expect(((await mine.json()) as { items: unknown[] }).items).toHaveLength(1);
      const nobody = await fetch(`${url}/timeline/?user=2147483647&format=json`);
      expect(nobody.status).toBe(200);
      expect(((await nobody.json()) as { items: unknown[] }).items).toEqual([]);
    });
  });
});
