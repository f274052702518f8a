import { VerifierFailedError } from '../errors.ts';
import type { Stage } from '../schema/summary.ts';
import type { VerdictRecord } from '../schema/verdict.ts';

type Counted = Pick<VerdictRecord, 'status' | 'reason' | 'verifier'>;

/** A round's rationalization counts, as its train stats keep them. */
export function hintedUndecided(health: Pick<VerdictHealth, 'errors' | 'unparseable'>): { rationalizeErrors: number; rationalizeUnparseable: number } {
  return { rationalizeErrors: health.errors, rationalizeUnparseable: health.unparseable };
}

/** What a stage's end line adds: `unparseable 3  errors 0` (always both, so a zero is seen to be zero). */
export function undecidedText(counts: { errors?: number; unparseable?: number }): string {
  return `unparseable ${counts.unparseable ?? 0}  errors ${counts.errors ?? 0}`;
}

/** A reason's first line, capped: reasons carry program output, and the message must stay one line. */
function reasonHead(reason: string): string {
  const line = reason.split('\n', 1)[0].trim();
  return line.length > 240 ? `${line.slice(0, 237)}…` : line;
}

/** Distinct reasons kept per verifier: a stage's error reasons are few causes repeated, and memory must not grow with the samples. */
const REASONS_KEPT = 16;

interface VerifierErrors {
  count: number;
  /** Counts of the first REASONS_KEPT distinct reasons; later distinct ones are counted in `count` only. */
  reasons: Map<string, number>;
}

function mostCommon<T>(counts: ReadonlyMap<T, number>): [T, number] | undefined {
  let best: [T, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  return best;
}

/**
 * A stage's verdicts counted one at a time: how many, how many `error` and `unparseable`, and the
 * errors per verifier and reason. What a streamed stage keeps instead of its verdicts, so the
 * mostly-errors rule needs no list.
 */
export class VerdictHealth {
  total = 0;
  errors = 0;
  unparseable = 0;
  readonly #errorsBy = new Map<string, VerifierErrors>();

  add(verdict: Counted): void {
    this.total++;
    if (verdict.status === 'unparseable') this.unparseable++;
    if (verdict.status !== 'error') return;
    this.errors++;
    let own = this.#errorsBy.get(verdict.verifier);
    if (!own) {
      own = { count: 0, reasons: new Map() };
      this.#errorsBy.set(verdict.verifier, own);
    }
    own.count++;
    const reason = reasonHead(verdict.reason);
    const times = own.reasons.get(reason);
    if (times !== undefined) own.reasons.set(reason, times + 1);
    else if (own.reasons.size < REASONS_KEPT) own.reasons.set(reason, 1);
  }

  /** Distinct reasons held, over all verifiers: bounded by REASONS_KEPT per verifier. */
  reasonsKept(): number {
    let kept = 0;
    for (const { reasons } of this.#errorsBy.values()) kept += reasons.size;
    return kept;
  }

  /**
   * Why the stage's verdicts cannot be trusted, or undefined when they can. The rule: more than half
   * of them are `error`. (A split whose verdicts are all errors is caught by it too: each of its
   * stages is then all errors.) Below that, errors count as failed samples and are reported.
   */
  failure(where: { round: number; stage: Stage }): string | undefined {
    if (this.errors === 0 || this.errors * 2 <= this.total) return undefined;
    const [verifier, own] = mostCommon(new Map([...this.#errorsBy].map(([id, e]) => [id, e.count]))) ?? ['?', 0];
    const [reason, times] = mostCommon(this.#errorsBy.get(verifier)?.reasons ?? new Map<string, number>()) ?? ['(no reason given)', 0];
    return (
      `round ${where.round} ${where.stage}: ${this.errors} of ${this.total} verdicts are errors, so its pass rates would count the verifier's failures as the model's; ` +
      `verifier '${verifier}' gave ${own} of them, most often (${times}×): ${reason}`
    );
  }
}

export function healthOf(verdicts: Iterable<Counted>): VerdictHealth {
  const health = new VerdictHealth();
  for (const verdict of verdicts) health.add(verdict);
  return health;
}

/** The mostly-errors rule (VerdictHealth.failure) over a list of verdicts. */
export function verifierFailure(verdicts: Iterable<Counted>, where: { round: number; stage: Stage }): string | undefined {
  return healthOf(verdicts).failure(where);
}

/** Stops the run after a stage whose verdicts are mostly errors; what it sampled and judged is stored by then. */
export function refuseMostlyErrors(health: VerdictHealth, where: { round: number; stage: Stage }): void {
  const failure = health.failure(where);
  if (failure) throw new VerifierFailedError(`${failure}. Its samples and verdicts are stored`);
}
