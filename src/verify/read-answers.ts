import PQueue from 'p-queue';
import type { Problem } from '../schema/problem.ts';
import type { VerifierResolver } from './resolver.ts';
import { runVerifier } from './run.ts';

/**
 * A stand-in gold answer every answer-checking verifier parses (a number, an expression, a word).
 * Judging a candidate against it makes the verifier report what it extracted, whatever the
 * verdict: that extraction is the candidate's answer.
 */
const PROBE_GOLD = '0';

/** What the verifier read from one candidate: its answer, nothing (`undefined`), or a failure to read. */
export type ReadAnswer = { answer: string } | { answer: undefined; error?: string };

/**
 * Reads each candidate's final answer the way the problem's verifier reads it, without any gold
 * answer, by judging it against a stand-in gold and taking the extraction. Unparseable candidates
 * have no answer; a verifier that reports no extraction (code tests) or fails gives an `error`.
 */
export async function readAnswers(resolver: VerifierResolver, problem: Problem, candidates: readonly string[], concurrency = 8): Promise<ReadAnswer[]> {
  const queue = new PQueue({ concurrency });
  return Promise.all(candidates.map((text) => queue.add(() => readAnswer(resolver, problem, text)) as Promise<ReadAnswer>));
}

/** One candidate's answer, as readAnswers reads it. */
export async function readAnswer(resolver: VerifierResolver, problem: Problem, text: string): Promise<ReadAnswer> {
  const { verifier, options } = resolver.resolve(problem);
  const verdict = await runVerifier(verifier, { ...problem, answer: PROBE_GOLD }, text, options);
  if (verdict.status === 'unparseable') return { answer: undefined };
  if (verdict.status === 'error') return { answer: undefined, error: `verifier '${verifier.id}': ${verdict.reason}` };
  if (verdict.extracted === undefined) return { answer: undefined, error: `verifier '${verifier.id}' reports no extracted answer, so its answers cannot be compared` };
  return { answer: verdict.extracted };
}

/** The outcome of a majority vote over one problem's samples. */
export interface Vote {
  /** The answer with the most votes, when it is the only one with that many and reaches the share. */
  winner?: string;
  /** Votes of the most-voted answer. */
  votes: number;
  /** Samples in the denominator: every sample, answered or not. */
  samples: number;
  share: number;
  /** Why there is no winner. */
  reason?: 'no answers' | 'tie' | 'below share';
}

/**
 * Majority vote (self-consistency, Wang et al. 2022) with a confidence floor: the most-voted
 * answer wins only alone at the top and with at least `minShare` of all samples, as "Large
 * Language Models Can Self-Improve" (Huang et al. 2022) keeps only high-confidence answers.
 */
export function majorityVote(answers: readonly (string | undefined)[], minShare: number): Vote {
  const counts = new Map<string, number>();
  for (const answer of answers) if (answer !== undefined) counts.set(answer, (counts.get(answer) ?? 0) + 1);
  return majorityOfCounts(counts, answers.length, minShare);
}

/** majorityVote from the votes per answer and the number of samples (answered or not). */
export function majorityOfCounts(counts: ReadonlyMap<string, number>, samples: number, minShare: number): Vote {
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const votes = ranked[0]?.[1] ?? 0;
  const share = samples === 0 ? 0 : votes / samples;
  if (votes === 0) return { votes, samples, share, reason: 'no answers' };
  if (ranked.length > 1 && ranked[1][1] === votes) return { votes, samples, share, reason: 'tie' };
  if (share < minShare) return { votes, samples, share, reason: 'below share' };
  return { winner: ranked[0][0], votes, samples, share };
}
