import type { Sequelize } from 'sequelize';
import { interleave, type BenchVariant } from '../support/interleave.js';
import { Samples } from '../support/samples.js';
import { timeStatements, type StatementTimeline } from './statement-timings.js';

/** Where the time of the variants' runs went, phase by phase (medians, in ms). */
export interface Breakdown {
  /** The phases in the order they happen. */
  readonly phases: readonly string[];
  /** `phase|variant` → ms. */
  readonly samples: Samples;
}

const TOTAL = 'total (wall)';
const AFTER_LAST = 'Node, after the last statement';
/** The statements in the order a run sends them, for the table's rows. */
const STATEMENT_ORDER = [
  'BEGIN',
  'SELECT ... FOR UPDATE',
  'UPDATE (pinned by IN list)',
  'UPDATE (pinned by = ANY)',
  'UPDATE',
  'hand-written statement',
  'log INSERT',
  'COMMIT',
];

/**
 * Runs each variant `repeats` more times with Sequelize's statement timing on, and splits each
 * run into its statements (database time plus the round trip) and the gaps between them (Node's
 * time: building the next statement, hooks, handling results). Slightly slower than the timed
 * runs (the logging), so it explains them rather than replacing them.
 *
 * @example
 * ```ts
 * const breakdown = await breakDown(sequelize, variants, 3);
 * breakdown.samples.median('log INSERT|tracked Model.update'); // 120
 * ```
 */
export async function breakDown(db: Sequelize, variants: readonly BenchVariant[], repeats: number): Promise<Breakdown> {
  const phases: string[] = [];
  const samples = new Samples();
  const timed = variants.map((variant) => ({
    ...variant,
    run: async () => {
      const timeline = await timeStatements(db, variant.run);
      for (const [phase, ms] of splitIntoPhases(timeline)) {
        if (!phases.includes(phase)) phases.push(phase);
        samples.add(`${phase}|${variant.name}`, ms);
      }
    },
  }));
  await interleave(timed, repeats, () => undefined);
  return { phases: phases.sort((a, b) => rank(a) - rank(b)), samples };
}

/** Each statement after the Node time before it; unknown statements, then the end, last. */
function rank(phase: string): number {
  if (phase === TOTAL) return 1_000_002;
  if (phase === AFTER_LAST) return 1_000_001;
  const node = phase.startsWith('Node, before ');
  const index = STATEMENT_ORDER.indexOf(node ? phase.slice('Node, before '.length) : phase);
  return (index === -1 ? 500_000 : index * 2) + (node ? 0 : 1);
}

/** The run's phases in order: each statement, and the Node time before it (summed when a name repeats). */
function splitIntoPhases(timeline: StatementTimeline): Map<string, number> {
  const phases = new Map<string, number>();
  const add = (phase: string, ms: number): void => {
    phases.set(phase, (phases.get(phase) ?? 0) + Math.max(0, ms));
  };
  let previousEnd = timeline.start;
  for (const statement of timeline.statements) {
    const name = statementName(statement.sql);
    add(`Node, before ${name}`, statement.start - previousEnd);
    add(name, statement.end - statement.start);
    previousEnd = statement.end;
  }
  add(AFTER_LAST, timeline.end - previousEnd);
  add(TOTAL, timeline.end - timeline.start);
  return phases;
}

function statementName(sql: string): string {
  if (/^(START TRANSACTION|BEGIN)\b/i.test(sql)) return 'BEGIN';
  if (/^COMMIT\b/i.test(sql)) return 'COMMIT';
  if (/^WITH old\b/.test(sql)) return 'hand-written statement';
  if (/^SELECT\b[\s\S]*FOR UPDATE/.test(sql)) return 'SELECT ... FOR UPDATE';
  if (/^UPDATE\b/.test(sql))
    return /= ANY\(/.test(sql) ? 'UPDATE (pinned by = ANY)' : /\bIN \(/.test(sql) ? 'UPDATE (pinned by IN list)' : 'UPDATE';
  if (/^INSERT INTO "timeline_logs"/.test(sql)) return 'log INSERT';
  return sql.slice(0, 40);
}
