import type { RunConfig } from '../config/schema.ts';
import type { SamplingParams } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { TokenTotals } from '../schema/summary.ts';
import type { RunStore } from '../store/run-store.ts';
import type { EventSink } from './events.ts';
import type { VerifierResolver } from './verifier-resolver.ts';

/** Everything one run's stages share. */
export interface RunContext {
  config: RunConfig;
  store: RunStore;
  resolver: VerifierResolver;
  trainProblems: Problem[];
  evalProblems: Problem[];
  problemsById: Map<string, Problem>;
  evalIds: Set<string>;
  emit: EventSink;
  signal?: AbortSignal;
  /** Same-steps control: train on gold easy examples instead of the survivors. */
  control: boolean;
  /** Verifier calls in flight (code verifiers run in parallel sandboxes). */
  verifyConcurrency: number;
}

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

/** USD for the tokens when the policy's price is known; embedded models cost nothing; else null. */
export function costOf(config: RunConfig, tokens: TokenTotals): number | null {
  if (config.policy.type === 'embedded') return 0;
  const pricing = config.policy.pricing;
  if (!pricing) return null;
  return (tokens.prompt * pricing.input + tokens.completion * pricing.output) / 1e6;
}
