import type { GenerateOptions, Generation, Policy, RequestSource, SamplingParams } from '../../policy/policy.ts';

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
