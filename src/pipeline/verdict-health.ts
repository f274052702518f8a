import { VerifierFailedError } from '../errors.ts';
import type { Stage } from '../schema/summary.ts';
import type { VerdictRecord } from '../schema/verdict.ts';

type Counted = Pick<VerdictRecord, 'status' | 'reason' | 'verifier'>;

/** How many verdicts could not decide: `error` (the verifier failed) and `unparseable` (no answer found). */
export function countUndecided(verdicts: readonly Pick<VerdictRecord, 'status'>[]): { errors: number; unparseable: number } {
  let errors = 0;
  let unparseable = 0;
  for (const { status } of verdicts) {
    if (status === 'error') errors++;
    else if (status === 'unparseable') unparseable++;
  }
  return { errors, unparseable };
}

/** A round's rationalization counts, as its train stats keep them. */
export function hintedUndecided(verdicts: readonly Pick<VerdictRecord, 'status'>[]): { rationalizeErrors: number; rationalizeUnparseable: number } {
  const { errors, unparseable } = countUndecided(verdicts);
  return { rationalizeErrors: errors, rationalizeUnparseable: unparseable };
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

function mostCommon<T>(items: readonly T[]): [T, number] {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
}

/**
 * Why a stage's verdicts cannot be trusted, or undefined when they can. The rule: more than half
 * of them are `error`. (A split whose verdicts are all errors is caught by it too: each of its
 * stages is then all errors.) Below that, errors count as failed samples and are reported.
 */
export function verifierFailure(verdicts: readonly Counted[], where: { round: number; stage: Stage }): string | undefined {
  const errors = verdicts.filter((v) => v.status === 'error');
  if (errors.length === 0 || errors.length * 2 <= verdicts.length) return undefined;
  const [verifier, byVerifier] = mostCommon(errors.map((v) => v.verifier));
  const [reason, times] = mostCommon(errors.filter((v) => v.verifier === verifier).map((v) => reasonHead(v.reason)));
  return (
    `round ${where.round} ${where.stage}: ${errors.length} of ${verdicts.length} verdicts are errors, so its pass rates would count the verifier's failures as the model's; ` +
    `verifier '${verifier}' gave ${byVerifier} of them, most often (${times}×): ${reason}`
  );
}

/** Stops the run after a stage whose verdicts are mostly errors; what it sampled and judged is stored by then. */
export function refuseMostlyErrors(verdicts: readonly Counted[], where: { round: number; stage: Stage }): void {
  const failure = verifierFailure(verdicts, where);
  if (failure) throw new VerifierFailedError(`${failure}. Its samples and verdicts are stored`);
}
