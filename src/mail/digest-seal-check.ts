import type { VerifyResult } from '../seal/verify-result.js';

/**
 * The seal check of a digest (`mail.verify` / `verify: true`): what `TimelineLog.verify()` found,
 * or why it could not run (`error`: the message only, e.g. the seals table is missing).
 */
export type DigestSealCheck =
  { readonly status: 'intact' | 'not-intact'; readonly result: VerifyResult } | { readonly status: 'failed'; readonly error: string };

/** The seal check as the digest's templates show it: every line translated, not yet escaped. */
export interface DigestSealView {
  readonly status: DigestSealCheck['status'];
  /** One line: "Seal check: intact (...)", "Seal check: NOT INTACT (...)" or "Seal check could not run: <why>". */
  readonly headline: string;
  /** The problems shown, one line each ("Log 17: modified", "Seal 3: missing", "... and 4 more"). */
  readonly problems: readonly string[];
  /** Lines after the problems: where to see them all, the newest seal. */
  readonly notes: readonly string[];
}

/** Translates a msgid into the digest's locale. */
type Translate = (msgid: string, params?: Readonly<Record<string, string | number>>) => string;

/** The most problem logs, and the most problem seals, a digest lists (and `verify()` keeps). */
export const DIGEST_MAX_PROBLEMS = 10;

/**
 * Runs `verify` (the digest passes `TimelineLog.verify({ maxProblems: 10 })`) and turns what it
 * returns or throws into a {@link DigestSealCheck}: a failing check never stops the digest.
 *
 * @example
 * ```ts
 * const check = await runDigestSealCheck(() => TimelineLog.verify({ maxProblems: DIGEST_MAX_PROBLEMS }));
 * if (check.status === 'failed') console.error(check.error);
 * ```
 */
export async function runDigestSealCheck(verify: () => Promise<VerifyResult>): Promise<DigestSealCheck> {
  try {
    const result = await verify();
    return { status: result.intact ? 'intact' : 'not-intact', result };
  } catch (error) {
    return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The digest's subject for a seal check: `[NOT INTACT]` or `[SEAL CHECK FAILED]` before it when
 * the check did not find the timeline intact (a dropped seals table must not pass quietly).
 *
 * @example
 * ```ts
 * digestSubject('Events timeline', { status: 'not-intact', result }, t); // '[NOT INTACT] Events timeline'
 * ```
 */
export function digestSubject(subject: string, check: DigestSealCheck | null, t: Translate): string {
  if (check?.status === 'not-intact') return t('[NOT INTACT] {subject}', { subject });
  if (check?.status === 'failed') return t('[SEAL CHECK FAILED] {subject}', { subject });
  return subject;
}

/**
 * Translates a seal check into the lines the digest shows.
 *
 * @example
 * ```ts
 * digestSealView({ status: 'intact', result }, t).headline; // 'Seal check: intact (120 sealed logs checked, 3 not sealed yet)'
 * ```
 */
export function digestSealView(check: DigestSealCheck, t: Translate): DigestSealView {
  if (check.status === 'failed') {
    return { status: 'failed', headline: t('Seal check could not run: {error}', { error: check.error }), problems: [], notes: [] };
  }
  const { result } = check;
  const counts = { checked: result.checked, unsealed: result.unsealed };
  const anchor = result.anchor === null ? [] : [t('Newest seal: {anchor}', { anchor: result.anchor })];
  if (check.status === 'intact') {
    return {
      status: 'intact',
      headline: t('Seal check: intact ({checked} sealed logs checked, {unsealed} not sealed yet)', counts),
      problems: [],
      notes: anchor,
    };
  }
  const logs = result.problems.slice(0, DIGEST_MAX_PROBLEMS);
  const seals = result.sealProblems.slice(0, DIGEST_MAX_PROBLEMS);
  const moreLogs = result.problemCount - logs.length;
  const moreSeals = result.sealProblems.length - seals.length;
  const problems = [
    ...logs.map(({ id, problem }) => t('Log {id}: {problem}', { id, problem })),
    ...(moreLogs > 0 ? [t('... and {count} more logs with problems', { count: moreLogs })] : []),
    ...seals.map(({ seal, problem }) => t('Seal {seal}: {problem}', { seal, problem })),
    ...(moreSeals > 0 ? [t('... and {count} more seals with problems', { count: moreSeals })] : []),
  ];
  return {
    status: 'not-intact',
    headline: t(
      'Seal check: NOT INTACT: {logs} logs and {seals} seals with problems ({checked} sealed logs checked, {unsealed} not sealed yet)',
      { ...counts, logs: result.problemCount, seals: result.sealProblems.length },
    ),
    problems,
    notes: [
      t(
        'The timeline no longer matches its seals: logs or seals were changed, removed or added outside the application, or the seal key differs. Run timeline-logger verify to list every problem.',
      ),
      ...anchor,
    ],
  };
}
