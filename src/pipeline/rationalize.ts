import type { RunConfig } from '../config/schema.ts';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import { hintSentence } from './prompt.ts';

/** Train problems worth rationalizing: a gold answer exists and no unhinted sample was correct. */
export function problemsToRationalize(problems: readonly Problem[], samples: readonly Sample[], verdicts: ReadonlyMap<string, VerdictRecord>): Problem[] {
  const solved = new Set<string>();
  for (const sample of samples) {
    if (!sample.hinted && verdicts.get(sample.id)?.status === 'correct') solved.add(sample.problemId);
  }
  return problems.filter((p) => p.answer !== undefined && p.answer !== '' && !solved.has(p.id));
}

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * A rationale that mentions the hint ("as the hint says…") or repeats the hint sentence would
 * teach the model to expect a hint it will not get at test time, so it is not kept.
 */
export function quotesHint(config: Pick<RunConfig, 'rationalize'>, problem: Problem, text: string): boolean {
  const sentence = squash(hintSentence(config, problem));
  const body = squash(text);
  return /\bhint\b/.test(body) || (sentence.length > 0 && body.includes(sentence));
}

export interface RationalizeOptions {
  config: Pick<RunConfig, 'rationalize'>;
  /** Train problems with no verified-correct plain sample. */
  failed: readonly Problem[];
  /** Draws `k` hinted samples per problem (stored as they arrive). */
  sample: (problems: readonly Problem[], k: number) => Promise<Sample[]>;
  /** Verifies samples (stored as they complete). */
  verify: (samples: readonly Sample[]) => Promise<VerdictRecord[]>;
  problemsById: ReadonlyMap<string, Problem>;
}

export interface Rationalized {
  samples: Sample[];
  verdicts: VerdictRecord[];
  /** Hinted samples verified correct whose text quotes or mentions the hint: not kept. */
  rejected: Set<string>;
}

/** STaR's rationalization: re-ask the failed problems with the gold answer as a hint and verify the answers. */
export async function rationalizeFailures(options: RationalizeOptions): Promise<Rationalized> {
  if (!options.failed.length) return { samples: [], verdicts: [], rejected: new Set() };
  const samples = await options.sample(options.failed, options.config.rationalize.k);
  const verdicts = await options.verify(samples);
  const rejected = new Set<string>();
  samples.forEach((sample, i) => {
    if (verdicts[i].status === 'correct' && quotesHint(options.config, options.problemsById.get(sample.problemId)!, sample.text)) rejected.add(sample.id);
  });
  return { samples, verdicts, rejected };
}
