import type { Sequelize } from 'sequelize';
import { TimelineLog } from '../../src/index.js';
import { median } from '../support/median.js';
import { appendNewLogs } from './load-seal-logs.js';
import type { ReadBaselines } from './read-baselines.js';

/** The per-minute job's figures: medians in milliseconds, with their same-run baselines. */
export interface PerMinuteFigures {
  /** `seal()` with nothing new. */
  readonly idleMs: number;
  /** Baseline: `SELECT max(id)`, one round trip. */
  readonly idleBaselineMs: number;
  /** `seal()` after `fresh` new logs arrived. */
  readonly freshMs: number;
  /** Baseline: one `SELECT` of those logs' columns as text. */
  readonly freshBaselineMs: number;
  readonly fresh: number;
}

/**
 * Times `TimelineLog.seal()` (default `waitMs`, idle database) as a job calls it every minute,
 * in this process: `runs` times with nothing new, against `SELECT max(id)`; then `runs` times
 * after `fresh` logs were appended (numbered from `nextLog`), against reading those logs in one
 * `SELECT`. The two alternate, the order swapping every run. Every timeline log must be sealed
 * on entry.
 *
 * @throws Error when a seal does not seal what it should.
 * @example
 * ```ts
 * const figures = await measurePerMinute(sequelize, 'timeline_logs', baselines, { nextLog: 1_000_001, fresh: 1_000, runs: 10 });
 * ```
 */
export async function measurePerMinute(
  sequelize: Sequelize,
  table: string,
  baselines: ReadBaselines,
  plan: { readonly nextLog: number; readonly fresh: number; readonly runs: number },
): Promise<PerMinuteFigures> {
  const times = { idle: [] as number[], idleBaseline: [] as number[], fresh: [] as number[], freshBaseline: [] as number[] };
  let sealedThrough = await baselines.newestId();
  for (let run = 0; run < plan.runs; run += 1) {
    const seal = async (): Promise<void> => {
      const started = performance.now();
      const result = await TimelineLog.seal();
      times.idle.push(performance.now() - started);
      if (result.sealed !== 0) throw new Error(`seal() with nothing new sealed ${result.sealed} logs`);
    };
    const baseline = async (): Promise<void> => {
      const started = performance.now();
      await baselines.newestId();
      times.idleBaseline.push(performance.now() - started);
    };
    for (const step of run % 2 === 0 ? [seal, baseline] : [baseline, seal]) await step();
  }
  for (let run = 0; run < plan.runs; run += 1) {
    await appendNewLogs(sequelize, table, plan.nextLog + run * plan.fresh, plan.fresh);
    const after = sealedThrough;
    const seal = async (): Promise<void> => {
      const started = performance.now();
      const result = await TimelineLog.seal();
      times.fresh.push(performance.now() - started);
      if (result.sealed !== plan.fresh) throw new Error(`seal() after ${plan.fresh} new logs sealed ${result.sealed}`);
      sealedThrough = result.throughId ?? sealedThrough;
    };
    const baseline = async (): Promise<void> => {
      const started = performance.now();
      const read = await baselines.readAfter(after);
      times.freshBaseline.push(performance.now() - started);
      if (read !== plan.fresh) throw new Error(`the baseline read ${read} logs, expected ${plan.fresh}`);
    };
    for (const step of run % 2 === 0 ? [seal, baseline] : [baseline, seal]) await step();
  }
  return {
    idleMs: median(times.idle),
    idleBaselineMs: median(times.idleBaseline),
    freshMs: median(times.fresh),
    freshBaselineMs: median(times.freshBaseline),
    fresh: plan.fresh,
  };
}
