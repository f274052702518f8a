import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import { majorityVote, readAnswers } from '../verify/read-answers.ts';
import type { VerifierResolver } from '../verify/resolver.ts';

export interface MajorityFilterResult {
  /** Plain samples whose answer is their problem's majority answer. */
  accepted: Set<string>;
  /** Problems with a majority answer. */
  decided: number;
  /** Samples whose answer the verifier could not read (not unparseable: it failed), with one reason. */
  unreadable: number;
  firstError?: string;
}

/**
 * The majority-vote filter for problems without gold answers: each problem's plain samples vote
 * with the answer their verifier reads, and the samples that gave the winning answer survive.
 * Gold answers are not looked at, so problems that have one are filtered the same way.
 */
export async function majorityFilter(problems: readonly Problem[], samples: readonly Sample[], resolver: VerifierResolver, minShare: number): Promise<MajorityFilterResult> {
  const byProblem = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (sample.hinted) continue;
    const list = byProblem.get(sample.problemId) ?? [];
    list.push(sample);
    byProblem.set(sample.problemId, list);
  }
  const result: MajorityFilterResult = { accepted: new Set(), decided: 0, unreadable: 0 };
  for (const problem of problems) {
    const own = byProblem.get(problem.id) ?? [];
    if (own.length === 0) continue;
    const read = await readAnswers(resolver, problem, own.map((s) => s.text));
    for (const r of read) {
      if (r.answer === undefined && r.error) {
        result.unreadable++;
        result.firstError ??= r.error;
      }
    }
    const vote = majorityVote(read.map((r) => r.answer), minShare);
    if (vote.winner === undefined) continue;
    result.decided++;
    own.forEach((sample, i) => {
      if (read[i].answer === vote.winner) result.accepted.add(sample.id);
    });
  }
  return result;
}
