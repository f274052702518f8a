import type { RunConfig } from '../config/schema.ts';
import type { SamplingParams } from '../schema/sample.ts';
import type { TokenTotals } from '../schema/summary.ts';

export function trainSamplingParams(config: RunConfig): SamplingParams {
  const s = config.sampling;
  return { temperature: s.temperature, topP: s.topP, maxTokens: s.maxTokens, seed: s.seed, ...(s.stop ? { stop: s.stop } : {}) };
}

export function evalSamplingParams(config: RunConfig): SamplingParams {
  const s = config.sampling;
  return {
    temperature: config.eval.temperature ?? s.temperature,
    topP: s.topP,
    maxTokens: config.eval.maxTokens ?? s.maxTokens,
    seed: s.seed,
    ...(s.stop ? { stop: s.stop } : {}),
  };
}

/** Prices a token count in USD; null when the price is unknown. */
export type CostFunction = (tokens: TokenTotals) => number | null;

/**
 * The config policy's price: embedded models cost nothing; an endpoint without `pricing` is unknown;
 * with `policy.batch` on, every sample of the run went through the Batch API (the key cannot change
 * on resume) and costs `pricing.batchFactor` of the price.
 */
export function configCost(config: RunConfig): CostFunction {
  const policy = config.policy;
  if (policy.type === 'embedded') return () => 0;
  const pricing = policy.pricing;
  if (!pricing) return () => null;
  const factor = policy.batch === false ? 1 : pricing.batchFactor;
  return (tokens) => ((tokens.prompt * pricing.input + tokens.completion * pricing.output) * factor) / 1e6;
}
