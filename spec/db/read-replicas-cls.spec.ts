/**
 * SPEC §10 with `Sequelize.useCLS(namespace)`: reads made inside a CLS transaction use the
 * primary, like reads given a transaction; the same reads outside it go to the replica. Its own
 * file (and replica pair), because `useCLS` is process-wide.
 */
import express from 'express';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTimelineDigest, timelineRouter, TimelineLogResource } from '../../src/index.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { createReplicatedFixture, type ReplicatedFixture } from '../support/replicated-fixture.js';
import { clsNamespace } from '../support/cls-namespace.js';

let fixture: ReplicatedFixture;
let server: RunningServer;

beforeAll(async () => {
  Sequelize.useCLS(clsNamespace('timeline-logger-replica-spec'));
  fixture = await createReplicatedFixture();
  const app = express();
  // An app that runs each request of /in-transaction in a managed (CLS) transaction.
  app.use('/in-transaction', (req, res, next) => {
    void fixture.sequelize.transaction(
      () =>
        new Promise<void>((resolve) => {
          res.on('finish', resolve);
          next();
        }),
    );
  });
  app.use('/in-transaction', timelineRouter({ public: true }));
  app.use('/timeline', timelineRouter({ public: true }));
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await fixture?.close();
});
beforeEach(async () => {
  await fixture.pair.resumeReplay();
  await fixture.primary.query('TRUNCATE timeline_logs RESTART IDENTITY CASCADE');
  await fixture.TimelineLog.log(null, { event: 'replayed_event' });
  await fixture.pair.pauseReplay();
  await fixture.TimelineLog.log(null, { event: 'pending_event' });
});

async function events(route: string): Promise<string[]> {
  const response = await fetch(`${server.url}${route}/?format=json`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { event: string }[] }).items.map((item) => item.event);
}

describe('with replication and CLS', () => {
  it('exports (COPY csv and the row-by-row json) inside a CLS transaction read the primary, outside it the replica', async () => {
    const resource = new TimelineLogResource();
    const inside = await fixture.sequelize.transaction(async () => ({
      csv: (await exportToBuffer(resource, { format: 'csv' })).toString('utf8'),
      json: (await exportToBuffer(resource, { format: 'json' })).toString('utf8'),
      count: await resource.count(),
    }));
    expect(inside.csv).toContain('pending_event');
    expect(inside.json).toContain('pending_event');
    expect(inside.count).toBe(2);

    const outside = (await exportToBuffer(resource, { format: 'csv' })).toString('utf8');
    expect(outside).toContain('replayed_event');
    expect(outside).not.toContain('pending_event');
  });

  it('the page, model reads and the digest inside a CLS transaction read the primary, outside it the replica', async () => {
    const { sequelize, TimelineLog } = fixture;
    expect(await events('/in-transaction')).toEqual(['pending_event', 'replayed_event']);
    expect(await events('/timeline')).toEqual(['replayed_event']);

    const inside = await sequelize.transaction(async () => ({
      digest: (await buildTimelineDigest({ days: 1 }))?.total,
      logs: (await TimelineLog.findAll()).length,
    }));
    expect(inside).toEqual({ digest: 2, logs: 2 });
    expect((await buildTimelineDigest({ days: 1 }))?.total).toBe(1);
  });
});
