/** What is wrong with one log in a sealed range. */
export type LogProblemKind = 'modified' | 'missing' | 'unexpected';

/**
 * One log that is not as it was sealed: `modified` (a column differs), `missing` (sealed, gone,
 * and not removed by a prune) or `unexpected` (in a sealed range, never sealed: forged or
 * written there later).
 */
export interface VerifyProblem {
  readonly id: string;
  readonly problem: LogProblemKind;
}

/** What is wrong with one link of the seal chain. */
export type SealProblemKind = 'modified' | 'missing' | 'wrong-key' | 'anchor';

/**
 * One link of the seal chain that does not check out: `modified` (its MAC, its entries or its
 * range do not match), `missing` (the chain skips it, or the anchor names a link that is gone),
 * `wrong-key` (made with another key, or with one when verifying without: reported once per
 * key), `anchor` (the anchor's link exists with another MAC).
 */
export interface SealProblem {
  readonly seal: string;
  readonly problem: SealProblemKind;
}

/** What `TimelineLog.verify()` found. */
export interface VerifyResult {
  /** True when the chain and every sealed log check out. */
  readonly intact: boolean;
  /** Logs read in sealed ranges and compared with their seals. */
  readonly checked: number;
  /** Logs after the newest seal (not sealed yet); never problems. */
  readonly unsealed: number;
  /** Sealed logs that are gone because a prune removed them (recorded in the chain). */
  readonly removed: number;
  /** Links of the seal chain checked. */
  readonly seals: number;
  /** The problem logs, in id order (the first `maxProblems`). */
  readonly problems: readonly VerifyProblem[];
  /** How many problem logs there are in all. */
  readonly problemCount: number;
  /** The links of the chain that do not check out. */
  readonly sealProblems: readonly SealProblem[];
  /** The chain's newest link as `<id>:<mac hex>` (null: no seals). */
  readonly anchor: string | null;
}
