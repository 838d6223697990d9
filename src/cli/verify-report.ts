import type { Locale } from '../render/locale.js';
import { pluralMsgid } from '../render/translate.js';
import type { LogProblemKind, SealProblem, SealProblemKind, VerifyProblem, VerifyResult } from '../seal/verify-result.js';
import type { CliContext } from './cli-context.js';

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

const LOG_PROBLEMS: Readonly<Record<LogProblemKind, string>> = {
  modified: 'log {id}: modified (it differs from its seal)',
  missing: 'log {id}: missing (sealed, then deleted other than by prune)',
  unexpected: 'log {id}: unexpected (in a sealed range, never sealed: forged or inserted later)',
};

const SEAL_PROBLEMS: Readonly<Record<SealProblemKind, string>> = {
  modified: 'seal {seal}: modified (its content, logs or MAC do not match)',
  missing: 'seal {seal}: missing (removed from the seal chain)',
  'wrong-key':
    "seal {seal}: made with another key: verify with the key the seals were made with (TIMELINE_SEAL_KEY, or sealKey in the --config file's options)",
  anchor: 'seal {seal}: differs from the anchor (the seal chain was rewritten)',
};

/**
 * One problem log as `verify` prints it, starting `log <id>: <kind>` in English.
 *
 * @example
 * ```ts
 * describeLogProblem({ id: '17', problem: 'modified' }, t); // 'log 17: modified (it differs from its seal)'
 * ```
 */
export function describeLogProblem(problem: VerifyProblem, t: Translate): string {
  return t(LOG_PROBLEMS[problem.problem], { id: problem.id });
}

/**
 * One problem seal as `verify` prints it; a seal made with another key says where the key comes from.
 *
 * @example
 * ```ts
 * describeSealProblem({ seal: '3', problem: 'missing' }, t); // 'seal 3: missing (removed from the seal chain)'
 * ```
 */
export function describeSealProblem(problem: SealProblem, t: Translate): string {
  return t(SEAL_PROBLEMS[problem.problem], { seal: problem.seal });
}

/**
 * The lines after the problems: how many problem logs were not printed (when `--max-problems`
 * held some back), the summary (`Intact: ...` or `NOT intact: ...`), a hint when nothing is
 * sealed yet, and the chain's newest anchor.
 *
 * @example
 * ```ts
 * describeVerification(result, 0, 'en', t); // ['Intact: 12,345 sealed logs checked, 20 unsealed, 300 removed by prune.', 'Anchor: 4:9f86...']
 * ```
 */
export function describeVerification(result: VerifyResult, printed: number, locale: Locale, t: Translate): string[] {
  const lines: string[] = [];
  const count = (value: number): string => value.toLocaleString(locale);
  const notPrinted = result.problemCount - printed;
  if (notPrinted > 0) {
    lines.push(
      t(
        pluralMsgid(
          notPrinted,
          '... and {count} more problem log (not printed: --max-problems).',
          '... and {count} more problem logs (not printed: --max-problems).',
        ),
        { count: count(notPrinted) },
      ),
    );
  }
  const counts = t(
    pluralMsgid(
      result.checked,
      '{count} sealed log checked, {unsealed} unsealed, {removed} removed by prune.',
      '{count} sealed logs checked, {unsealed} unsealed, {removed} removed by prune.',
    ),
    { count: count(result.checked), unsealed: count(result.unsealed), removed: count(result.removed) },
  );
  if (result.intact) {
    lines.push(t('Intact: {counts}', { counts }));
  } else {
    const logs = t(pluralMsgid(result.problemCount, '{count} problem log', '{count} problem logs'), { count: count(result.problemCount) });
    const seals = t(pluralMsgid(result.sealProblems.length, '{count} seal problem', '{count} seal problems'), {
      count: count(result.sealProblems.length),
    });
    lines.push(t('NOT intact: {logs}, {seals}; {counts}', { logs, seals, counts }));
  }
  if (result.seals === 0) lines.push(t('Nothing is sealed yet: run timeline-logger seal first.'));
  if (result.anchor !== null) lines.push(t('Anchor: {anchor}', { anchor: result.anchor }));
  return lines;
}
