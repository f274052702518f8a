import { setMaxListeners } from 'node:events';
import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { AbortedError } from '../../errors.ts';
import { Channel } from './channel.ts';
import { createEndpoints } from './endpoint.ts';
import { EndpointRouter } from './router.ts';
import { createRequestQueue, DEFAULT_RATE_LIMIT_PATIENCE_MS, TokenBucket } from './limits.ts';
import { type Call, type Sender, sendCall } from './send.ts';
import type { Generation, GenerationRequest, Policy, SamplingParams } from '../policy.ts';
import { createBatchSampler } from './batch/sampler.ts';

export interface OpenAIPolicyOptions {
  /** Requests in flight at most, over all endpoints. */
  concurrency: number;
  /** Overrides `config.model`, e.g. to sample from the previous round's fine-tune. */
  model?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Indices in runs of consecutive numbers, one request (with `n`) per run, so that each request's
 * `seed = base + first index` is the seed a fanned-out request for that index would carry.
 */
function consecutiveRuns(indices: number[]): number[][] {
  const runs: number[][] = [];
  for (const index of [...indices].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last.at(-1)! + 1 === index) last.push(index);
    else runs.push([index]);
  }
  return runs;
}

/**
 * A Policy over any OpenAI-compatible server (OpenAI, vLLM, SGLang, Ollama, llama.cpp, LM Studio...),
 * or several, routed by load (see router.ts). Failed requests are retried (see send.ts). Throws a
 * PolicyError when no endpoint could answer a request.
 */
export function createOpenAIPolicy(config: OpenAIPolicyConfig, options: OpenAIPolicyOptions): Policy {
  const model = options.model ?? config.model;
  const router = new EndpointRouter(createEndpoints(config, options.env ?? process.env), options.concurrency);
  const queue = createRequestQueue(router.capacity, config.requestsPerMinute);
  const tokens = config.tokensPerMinute === undefined ? undefined : new TokenBucket(config.tokensPerMinute);
  const sender: Sender = { config, model, router, tokens, patienceMs: config.rateLimitPatienceMs ?? DEFAULT_RATE_LIMIT_PATIENCE_MS };
  const batch = config.batch === false ? undefined : createBatchSampler(config, { model, endpoint: router.endpoints[0] });
  const run = (call: Call, params: SamplingParams, signal: AbortSignal, emit: (g: Generation) => void) => sendCall(sender, call, params, signal, emit);

  return {
    id: model,
    async *generate(requests: GenerationRequest[], params: SamplingParams, generateOptions = {}): AsyncGenerator<Generation> {
      if (batch) {
        yield* batch.generate(requests, params, generateOptions);
        return;
      }
      const abort = new AbortController();
      // Every queued call listens on this signal; thousands of calls are normal, not a leak.
      setMaxListeners(0, abort.signal);
      const outer = generateOptions.signal;
      const onOuterAbort = () => abort.abort(outer?.reason);
      if (outer?.aborted) throw new AbortedError('sampling interrupted');
      const channel = new Channel<Generation>();
      let pending = 0;

      const enqueue = (call: Call) => {
        pending++;
        queue
          .add(() => run(call, params, abort.signal, (generation) => channel.push(generation)), { signal: abort.signal })
          .then((missing) => {
            for (const index of missing) enqueue({ request: call.request, indices: [index] });
          })
          .catch((error: unknown) => {
            channel.fail(outer?.aborted ? new AbortedError('sampling interrupted', { cause: error }) : error);
            abort.abort();
          })
          .finally(() => {
            if (--pending === 0) channel.close();
          });
      };

      for (const request of requests) {
        const runs = config.n === 'fanout' ? request.indices.map((i) => [i]) : consecutiveRuns(request.indices);
        for (const indices of runs) enqueue({ request, indices });
      }
      if (pending === 0) return;
      // Added only now, as only the `finally` below removes them.
      outer?.addEventListener('abort', onOuterAbort, { once: true });
      const stopNotices = generateOptions.onNotice ? router.listen(generateOptions.onNotice) : undefined;
      try {
        yield* channel;
      } finally {
        stopNotices?.();
        outer?.removeEventListener('abort', onOuterAbort);
        abort.abort();
      }
    },
    async close() {
      queue.clear();
      await queue.onIdle();
    },
  };
}
