import type { SamplingConfig } from '../../config/schema.ts';

/**
 * How many samples each problem gets. Every decision is a pure function of the problem's verdicts
 * read in index order (never of the order answers arrived in), and an index is only requested when
 * it is needed whatever the verdicts still outstanding turn out to be. So a problem's samples are
 * always a prefix 0..n-1 decided by its own verdicts, the spend is exactly what the strategy
 * plans, and a resumed run (after kill -9 at any point) makes exactly the same decisions.
 *
 * - `fixed`: k samples per problem (indices 0..k-1).
 * - `stop-after-correct`: in index order, stop a problem at its `correct`-th correct sample, at most k.
 * - `uniform` (DART-Math's DARS-Uniform, Tong et al. 2024): sample each problem until it has
 *   `correct` correct samples, at most `maxK`.
 * - `prop2diff` (DART-Math's DARS-Prop2Diff): the correct samples wanted grow with the problem's
 *   difficulty. Each problem is first probed with k samples; its fail rate f is the share of them
 *   not judged correct; it then wants round(correct × f / f_max) correct samples (f_max: the
 *   highest fail rate of the round's problems, so the hardest get `correct`), at least one, drawing
 *   until it has them or reaches `maxK` samples (the probe's included).
 */
export type StrategyName = SamplingConfig['strategy'];

/** A problem wants `target` correct samples among its first `cap` (Infinity: every index below the cap). */
export interface Goal {
  target: number;
  cap: number;
}

/** Where a sample index stands. */
export const Slot = {
  /** Not stored, not requested. */
  Empty: 0,
  /** Requested, or stored and waiting for its verdict: counted as if it might be correct. */
  Pending: 1,
  Correct: 2,
  /** Judged anything but correct (incorrect, unparseable, error). */
  Wrong: 3,
} as const;
export type Slot = (typeof Slot)[keyof typeof Slot];

/** The indices a problem needs now under `goal`, and whether its decision is final (nothing outstanding, nothing more wanted). */
export function neededIndices(slotAt: (index: number) => Slot, goal: Goal): { wanted: number[]; settled: boolean } {
  const wanted: number[] = [];
  let outstanding = false;
  // Correct so far plus everything not judged yet, as if it will all be correct: an index beyond
  // the point where that reaches the target is not needed (yet), whatever the outstanding verdicts say.
  let possible = 0;
  for (let index = 0; index < goal.cap && possible < goal.target; index++) {
    const slot = slotAt(index);
    if (slot === Slot.Wrong) continue;
    possible++;
    if (slot === Slot.Pending) outstanding = true;
    else if (slot === Slot.Empty) wanted.push(index);
  }
  return { wanted, settled: wanted.length === 0 && !outstanding };
}

/** The sampling settings a draw follows. */
export interface SamplingPlan {
  strategy: StrategyName;
  k: number;
  correct: number;
  maxK: number;
}

export function samplingPlanOf(sampling: SamplingConfig): SamplingPlan {
  return { strategy: sampling.strategy, k: sampling.k, correct: sampling.correct, maxK: sampling.maxK ?? sampling.k };
}

/** A fixed number of samples per problem (eval, rationalization). */
export function fixedPlan(k: number): SamplingPlan {
  return { strategy: 'fixed', k, correct: 1, maxK: k };
}

/** The most samples a problem can get. */
export function sampleCap(plan: SamplingPlan): number {
  return plan.strategy === 'fixed' || plan.strategy === 'stop-after-correct' ? plan.k : Math.max(plan.k, plan.maxK);
}

/**
 * The first samples every problem gets whatever its verdicts: rates measured on them are unbiased.
 * Later samples are drawn because earlier ones failed (or not, because they succeeded), so a rate
 * over all of a problem's samples would measure the stopping rule as much as the policy.
 */
export function unbiasedPrefix(plan: SamplingPlan): number {
  switch (plan.strategy) {
    case 'fixed':
    case 'prop2diff':
      return plan.k;
    case 'stop-after-correct':
      return Math.min(plan.correct, plan.k);
    case 'uniform':
      return Math.min(plan.correct, plan.maxK);
  }
}

/** prop2diff's wanted correct samples for a problem whose probe failed at rate `failRate`. */
export function prop2diffTarget(correct: number, failRate: number, highestFailRate: number): number {
  if (highestFailRate <= 0) return 1;
  return Math.max(1, Math.round((correct * failRate) / highestFailRate));
}

/**
 * The goals of a draw's problems as the strategy decides them. prop2diff has two phases: every
 * problem is probed (k samples) before any gets its own goal, since the goals are relative to the
 * hardest problem of the round.
 */
export class Goals {
  readonly plan: SamplingPlan;
  readonly #targets: (number | undefined)[];
  #probing: boolean;
  #probed = 0;

  constructor(plan: SamplingPlan, problems: number) {
    this.plan = plan;
    this.#targets = new Array(problems);
    this.#probing = plan.strategy === 'prop2diff';
  }

  /** Whether goals may still change (prop2diff before every probe is in). */
  get probing(): boolean {
    return this.#probing;
  }

  goal(problem: number): Goal {
    const { plan } = this;
    switch (plan.strategy) {
      case 'fixed':
        return { target: Number.POSITIVE_INFINITY, cap: plan.k };
      case 'stop-after-correct':
        return { target: plan.correct, cap: plan.k };
      case 'uniform':
        return { target: plan.correct, cap: plan.maxK };
      case 'prop2diff':
        return this.#probing ? { target: Number.POSITIVE_INFINITY, cap: plan.k } : { target: this.#targets[problem]!, cap: Math.max(plan.k, plan.maxK) };
    }
  }

  /**
   * A problem's probe is complete (called once per problem while probing). Returns true when it
   * was the last: every goal is now set from the probes' fail rates, `probeCorrect(i)` giving the
   * correct samples among problem i's first k.
   */
  probed(probeCorrect: (problem: number) => number): boolean {
    if (!this.#probing) return false;
    if (++this.#probed < this.#targets.length) return false;
    const { k, correct } = this.plan;
    const failRates = Array.from(this.#targets, (_, i) => (k - probeCorrect(i)) / k);
    const highest = failRates.reduce((a, b) => Math.max(a, b), 0);
    failRates.forEach((rate, i) => {
      this.#targets[i] = prop2diffTarget(correct, rate, highest);
    });
    this.#probing = false;
    return true;
  }
}
