import { join } from 'node:path';
import { packageRoot } from '../package-info.ts';

const problemFile = (name: string) => join(packageRoot, 'problems', 'arith', name);

/**
 * The configuration `starloop run` uses with no arguments: the embedded model's shipped base
 * checkpoint, three STaR rounds on 4–5 digit reversed additions, eval per length.
 *
 * Every correct answer to a problem is the same string (the task has no free-form rationale), so
 * selection keeps one per problem whatever the cap; maxPerProblem 1 says so.
 *
 * Rationalization is off: for this task a rationale is the answer itself, so a hinted sample is
 * the gold answer copied from the hint, and "rationalizing" would turn the run into supervised
 * training on gold hard answers, hiding whether the model improves from its own samples.
 */
export function defaultRunConfigInput(): unknown {
  return {
    name: 'arith-star',
    problems: { train: problemFile('train.jsonl'), eval: problemFile('eval.jsonl'), format: 'native' },
    verifier: 'numeric',
    policy: { type: 'embedded' },
    sampling: { k: 8, temperature: 1, topP: 1, maxTokens: 12, seed: 0 },
    rationalize: { enabled: false },
    select: { maxPerProblem: 1, dedupe: 'normalized' },
    train: { type: 'embedded', restartFromBase: true },
    eval: { k: 4, temperature: 1, maxTokens: 12 },
    rounds: 3,
    seed: 0,
  };
}
