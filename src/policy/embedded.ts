import { readFile } from 'node:fs/promises';
import { decodeCheckpoint } from '../embedded/checkpoint.ts';
import { SamplePool } from '../embedded/sample-pool.ts';
import { embeddedModelId } from '../embedded/model-id.ts';
import type { Network } from '../embedded/network.ts';
import { BASE_CHECKPOINT_PATH } from '../embedded/paths.ts';
import { deriveSeed } from '../embedded/rng.ts';
import { sampleBatch, type SampleJob, type SampleOptions, type SampleResult } from '../embedded/sampler.ts';
import { tokenCountOver } from '../embedded/tokenizer.ts';
import type { EmbeddedPolicyConfig } from '../config/schema.ts';
import { AbortedError, CheckpointError, PolicyError } from '../errors.ts';
import type { ChatMessage } from '../schema/problem.ts';
import type { GenerateOptions, Generation, GenerationRequest, Policy, RequestSource, SamplingParams } from './policy.ts';
import { requestsOf } from './request-source.ts';
import type { PolicyRef } from '../schema/training.ts';

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
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(error as Error).message}`, { cause: error });
  }
  const { net, digest } = decodeCheckpoint(bytes, path);
  return new EmbeddedPolicy(net, embeddedModelId(digest), bytes, config.workers ?? 1);
}

class EmbeddedPolicy implements Policy {
  private pool: SamplePool | null = null;

  constructor(
    private readonly net: Network,
    readonly id: string,
    private readonly checkpoint: Buffer,
    private readonly workers: number,
  ) {}

  /** With `workers` > 1, batches are split over worker threads (started on first use). */
  private async sample(jobs: SampleJob[], options: SampleOptions): Promise<SampleResult[]> {
    if (this.workers <= 1) return sampleBatch(this.net, jobs, options);
    this.pool ??= new SamplePool(this.checkpoint, this.workers);
    return this.pool.sample(jobs, options);
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }

  generate(requests: GenerationRequest[], params: SamplingParams, options?: GenerateOptions): AsyncIterable<Generation> {
    return this.generateFrom(requestsOf(requests), params, options);
  }

  /** Takes requests a batch's worth at a time, so a source of millions is never expanded whole. */
  async *generateFrom(source: RequestSource, params: SamplingParams, options?: GenerateOptions): AsyncIterable<Generation> {
    const perBatch = BATCH_SEQUENCES * Math.max(1, this.workers);
    for (;;) {
      if (options?.signal?.aborted) throw new AbortedError();
      const requests = await source.take(Math.max(1, Math.floor(perBatch / 8)));
      if (!requests) return;
      const jobs = requests.flatMap((request) => this.jobsOf(request, params));
      for (let start = 0; start < jobs.length; start += perBatch) {
        if (options?.signal?.aborted) throw new AbortedError();
        yield* this.sampleJobs(jobs.slice(start, start + perBatch), params);
        // Let timers, progress output and signal handlers run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  private jobsOf(request: GenerationRequest, params: SamplingParams): Array<SampleJob & { key: string; index: number }> {
    const context = this.net.config.contextLength;
    const prompt = embeddedPromptOf(request);
    // Counted without building the token array: a prompt may be any length.
    if (tokenCountOver(prompt, context - 2)) {
      throw new PolicyError(
        `${this.id}: prompt of request ${request.key} is ${prompt.length} characters; the embedded model's context is ${context} tokens`,
        { code: 'POLICY_PROMPT_TOO_LONG' },
      );
    }
    return request.indices.map((index) => ({ key: request.key, index, prompt, seed: deriveSeed(params.seed, prompt, index) }));
  }

  private async *sampleJobs(batch: Array<SampleJob & { key: string; index: number }>, params: SamplingParams): AsyncIterable<Generation> {
    const began = performance.now();
    const results = await this.sample(batch, {
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
  }
}
