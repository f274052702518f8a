import { randomArithProblem } from './arith.ts';
import type { Network } from './network.ts';
import { Rng, deriveSeed } from './rng.ts';
import { sampleBatch, type SampleOptions } from './sampler.ts';

/**
 * Direct answer check of the model on fresh random problems of one length: the share of
 * samples whose text is exactly the gold reversed sum. For scripts and benchmarks; the run
 * itself judges with the configured verifier.
 */
export function arithAccuracy(net: Network, digits: number, count: number, seed: number, options: SampleOptions): number {
  const rng = new Rng(deriveSeed('arith-accuracy', seed, digits));
  const problems = Array.from({ length: count }, () => randomArithProblem(rng, digits));
  const results = sampleBatch(net, problems.map((p, i) => ({ prompt: p.prompt, seed: deriveSeed(seed, i) })), options);
  return results.filter((r, i) => r.text === problems[i].answer).length / count;
}
