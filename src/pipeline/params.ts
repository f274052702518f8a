import type { RunConfig } from '../config/schema.ts';
import type { SamplingParams } from '../schema/sample.ts';
import type { TokenTotals } from '../schema/summary.ts';
import { costUsd } from '../pricing/prices.ts';
import { configPrice } from './spending.ts';

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
 * What the config says `model` costs (the round's model; the policy's own model when absent): its
 * `pricing`, else the built-in price table; the embedded model is free; unknown is null. Takes any
 * policy config (the teacher's too). With `policy.batch` on, every sample of the run went through the
 * Batch API (the key cannot change on resume) and costs `pricing.batchFactor` of the price (OpenAI's
 * 50% when no pricing is given).
 */
export function configCost(config: Pick<RunConfig, 'policy'>, model?: string): CostFunction {
  const policy = config.policy;
  const price = configPrice(config, model ?? (policy.type === 'openai' ? policy.model : 'embedded'));
  if (!price) return () => null;
  const factor = policy.type === 'openai' && policy.batch !== false ? (policy.pricing?.batchFactor ?? 0.5) : 1;
  return (tokens) => costUsd(price, tokens) * factor;
}
