import type { Sequelize } from 'sequelize';
import { TimelineLog } from '../../src/index.js';
import type { DemoModels } from '../../examples/models.js';
import { median } from '../support/median.js';
import { withPooledClient } from './pooled-client.js';

/** Logs per second, median over the rounds: `TimelineLog.log` and a raw prepared INSERT. */
export interface InsertFigure {
  readonly libraryPerSecond: number;
  readonly rawPerSecond: number;
  readonly logs: number;
}

/**
 * Writes `logs` logs one at a time, as an app's requests do, both through `TimelineLog.log(post,
 * { user, extraData })` (a template check, the labels, one INSERT ... RETURNING through Sequelize)
 * and through a named prepared `INSERT` of the same columns on a node-postgres client taken once
 * from the same pool (the floor for one row per round trip). Five interleaved rounds of `logs / 5` each; medians.
 *
 * @example
 * ```ts
 * const inserts = await measureInserts(sequelize, models, 5_000);
 * console.log(inserts.libraryPerSecond / inserts.rawPerSecond);
 * ```
 */
export async function measureInserts(sequelize: Sequelize, models: DemoModels, logs: number): Promise<InsertFigure> {
  const rounds = 5;
  const perRound = Math.max(1, Math.floor(logs / rounds));
  const post = await models.Post.findOne({ order: [['id', 'ASC']], rejectOnEmpty: true });
  const user = await models.User.findOne({ order: [['id', 'ASC']], rejectOnEmpty: true });
  const table = TimelineLog.getTableName() as string;
  const library: number[] = [];
  const raw: number[] = [];
  await withPooledClient(sequelize, async (client) => {
    const insertRaw = {
      name: 'scale-bench-insert',
      text: `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, user_repr, template, extra_data, event)
             VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8) RETURNING id`,
    };
    const values = ['Post', String(post.id), post.title, user.id, user.username, 'timeline_logger/default.ejs', { reason: 'bench' }, null];
    for (let round = 0; round < rounds; round += 1) {
      const timeLibrary = async (): Promise<void> => {
        const started = performance.now();
        for (let index = 0; index < perRound; index += 1) await TimelineLog.log(post, { user, extraData: { reason: 'bench' } });
        library.push((perRound * 1000) / (performance.now() - started));
      };
      const timeRaw = async (): Promise<void> => {
        const started = performance.now();
        for (let index = 0; index < perRound; index += 1) await client.query({ ...insertRaw, values });
        raw.push((perRound * 1000) / (performance.now() - started));
      };
      if (round % 2 === 0) {
        await timeLibrary();
        await timeRaw();
      } else {
        await timeRaw();
        await timeLibrary();
      }
    }
  });
  return { libraryPerSecond: median(library), rawPerSecond: median(raw), logs: perRound * rounds };
}
