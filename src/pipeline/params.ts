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
 * What the config says `model` costs (the round's model; the config's base model when absent):
 * `policy.pricing`, else the built-in price table; the embedded model is free; unknown is null.
 */
export function configCost(config: RunConfig, model?: string): CostFunction {
  const price = configPrice(config, model ?? (config.policy.type === 'openai' ? config.policy.model : 'embedded'));
  return price ? (tokens) => costUsd(price, tokens) : () => null;
}
