import { loadCheckpoint } from '../embedded/checkpoint.ts';
import { embeddedModelId } from '../embedded/model-id.ts';
import type { Network } from '../embedded/network.ts';
import { BASE_CHECKPOINT_PATH } from '../embedded/paths.ts';
import { deriveSeed } from '../embedded/rng.ts';
import { sampleBatch, type SampleJob } from '../embedded/sampler.ts';
import { encode } from '../embedded/tokenizer.ts';
import type { EmbeddedPolicyConfig } from '../config/schema.ts';
import { AbortedError, PolicyError } from '../errors.ts';
import type { ChatMessage } from '../schema/problem.ts';
import type { GenerateOptions, Generation, GenerationRequest, Policy, PolicyRef, SamplingParams } from './policy.ts';

/** Sequences sampled in lock-step per batch: big enough to keep the kernels busy, small enough to yield often. */
const BATCH_SEQUENCES = 512;

/** The prompt the model reads: the last user turn, or the rendered text when there is none. */
export function embeddedPromptOf(request: Pick<GenerationRequest, 'messages' | 'text'>): string {
  const lastUser = [...request.messages].reverse().find((m: ChatMessage) => m.role === 'user');
  return lastUser?.content ?? request.text;
}

/**
 * The built-in transformer as a sampler, in-process. Each sample's randomness is seeded by
 * (params.seed, prompt, index) alone, so a resumed run redraws exactly the samples it lacks.
 */
export async function createEmbeddedPolicy(config: EmbeddedPolicyConfig, ref?: PolicyRef): Promise<Policy> {
  const path = ref?.checkpoint ?? config.checkpoint ?? BASE_CHECKPOINT_PATH;
  const { net, digest } = await loadCheckpoint(path);
  return new EmbeddedPolicy(net, embeddedModelId(digest));
}

class EmbeddedPolicy implements Policy {
  constructor(private readonly net: Network, readonly id: string) {}

  async *generate(requests: GenerationRequest[], params: SamplingParams, options?: GenerateOptions): AsyncIterable<Generation> {
    const context = this.net.config.contextLength;
    const jobs: Array<SampleJob & { key: string; index: number }> = [];
    for (const request of requests) {
      const prompt = embeddedPromptOf(request);
      if (encode(prompt).length + 1 >= context) {
        throw new PolicyError(
          `${this.id}: prompt of request ${request.key} is ${prompt.length} characters; the embedded model's context is ${context} tokens`,
        );
      }
      for (const index of request.indices) jobs.push({ key: request.key, index, prompt, seed: deriveSeed(params.seed, prompt, index) });
    }
    for (let start = 0; start < jobs.length; start += BATCH_SEQUENCES) {
      if (options?.signal?.aborted) throw new AbortedError();
      const batch = jobs.slice(start, start + BATCH_SEQUENCES);
      const began = performance.now();
      const results = sampleBatch(this.net, batch, {
        temperature: params.temperature, topP: params.topP, maxTokens: params.maxTokens, stop: params.stop,
      });
      const latencyMs = (performance.now() - began) / batch.length;
      for (let i = 0; i < batch.length; i++) {
        const r = results[i];
        yield {
          key: batch[i].key,
          index: batch[i].index,
          text: r.text,
          finishReason: r.finishReason,
          usage: { promptTokens: r.promptTokens, completionTokens: r.completionTokens },
          model: this.id,
          latencyMs,
        };
      }
      // Let timers, progress output and signal handlers run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
