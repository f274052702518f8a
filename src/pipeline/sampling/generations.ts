import type { GenerateOptions, Generation, Policy, RequestSource, SamplingParams } from '../../policy/policy.ts';
import type { Sample } from '../../schema/sample.ts';

/**
 * A policy's generations for the requests of `source`: pulled as the policy has room when it can
 * (`generateFrom`), otherwise in waves of whatever is ready, each wave through `generate`.
 */
export async function* generationsFrom(policy: Policy, source: RequestSource, params: SamplingParams, options: GenerateOptions): AsyncGenerator<Generation> {
  if (policy.generateFrom) {
    yield* policy.generateFrom(source, params, options);
    return;
  }
  for (;;) {
    const wave = await source.take(Number.MAX_SAFE_INTEGER);
    if (!wave) return;
    yield* policy.generate(wave, params, options);
  }
}

/** The stored record of one generation: a sample of `problemId` with the id its index gives it. */
export function sampleOf(generation: Generation, at: Pick<Sample, 'id' | 'problemId' | 'round' | 'phase' | 'hinted'>): Sample {
  return {
    id: at.id,
    problemId: at.problemId,
    round: at.round,
    phase: at.phase,
    index: generation.index,
    text: generation.text,
    finishReason: generation.finishReason,
    usage: generation.usage,
    model: generation.model,
    latencyMs: generation.latencyMs,
    cached: false,
    hinted: at.hinted,
  };
}
