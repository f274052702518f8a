import { setMaxListeners } from 'node:events';
import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { AbortedError } from '../../errors.ts';
import { Channel } from './channel.ts';
import { createEndpoints } from './endpoint.ts';
import { EndpointRouter } from './router.ts';
import { createRequestQueue, DEFAULT_RATE_LIMIT_PATIENCE_MS, TokenBucket } from './limits.ts';
import { type Call, type Sender, sendCall } from './send.ts';
import type { GenerateOptions, Generation, GenerationRequest, Policy, RequestSource, SamplingParams } from '../policy.ts';
import { requestsOf } from '../request-source.ts';
import { createBatchSampler } from './batch/sampler.ts';
import { SavedBatches } from './batch/state.ts';

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

  /** Calls kept queued beyond those in flight, so a free slot never waits on the request source. */
  const lookahead = Math.max(router.capacity, 8);

  async function* generateFrom(source: RequestSource, params: SamplingParams, generateOptions: GenerateOptions = {}): AsyncGenerator<Generation> {
    await warnOfUncollectedBatches(generateOptions);
    const abort = new AbortController();
    // Each call in flight listens on it (at most concurrency + lookahead, removed as they settle): not a leak.
    setMaxListeners(router.capacity + lookahead + 16, abort.signal);
    const outer = generateOptions.signal;
    const onOuterAbort = () => abort.abort(outer?.reason);
    if (outer?.aborted) throw new AbortedError('sampling interrupted');
    // Answers the consumer has not taken yet hold their call's slot, so a slow consumer (one that
    // verifies as it goes) slows the requests instead of letting answers pile up in memory.
    const channel = new Channel<Generation>(Math.max(256, router.capacity * 4));
    let pending = 0;
    let sourceDone = false;
    let wakePump: (() => void) | undefined;
    const fail = (error: unknown) => {
      channel.fail(outer?.aborted ? new AbortedError('sampling interrupted', { cause: error }) : error);
      abort.abort();
    };
    const settle = () => {
      const wake = wakePump;
      wakePump = undefined;
      wake?.();
      if (sourceDone && pending === 0) channel.close();
    };

    // Each call is added to the queue only when there is room for it, without a signal: a signal
    // per queued call made adding N calls cost O(N²) (every add walked every listener). A call that
    // starts after an abort does nothing.
    const enqueue = (call: Call) => {
      pending++;
      queue
        .add(async () => {
          if (abort.signal.aborted) return [];
          const missing = await run(call, params, abort.signal, (generation) => channel.push(generation));
          await channel.whenRoom();
          return missing;
        })
        .then((missing) => {
          for (const index of missing) enqueue({ request: call.request, indices: [index] });
        })
        .catch(fail)
        .finally(() => {
          pending--;
          settle();
        });
    };

    const pump = async () => {
      try {
        while (!abort.signal.aborted) {
          while (pending >= router.capacity + lookahead && !abort.signal.aborted) {
            await new Promise<void>((resolve) => {
              wakePump = resolve;
            });
          }
          if (abort.signal.aborted) break;
          const requests = await source.take(router.capacity + lookahead - pending);
          if (!requests) break;
          for (const request of requests) {
            const runs = config.n === 'fanout' ? request.indices.map((i) => [i]) : consecutiveRuns(request.indices);
            for (const indices of runs) enqueue({ request, indices });
          }
        }
      } catch (error) {
        fail(error);
      }
      sourceDone = true;
      settle();
    };

    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const stopNotices = generateOptions.onNotice ? router.listen(generateOptions.onNotice) : undefined;
    void pump();
    try {
      yield* channel;
    } finally {
      stopNotices?.();
      outer?.removeEventListener('abort', onOuterAbort);
      abort.abort();
      channel.cancel();
      settle();
    }
  }

  return {
    id: model,
    // A batch is submitted whole, so the Batch API takes requests in waves through `generate`.
    generate: (requests: GenerationRequest[], params: SamplingParams, generateOptions?: GenerateOptions) =>
      batch ? batch.generate(requests, params, generateOptions) : generateFrom(requestsOf(requests), params, generateOptions),
    ...(batch ? {} : { generateFrom }),
    async close() {
      queue.clear();
      await queue.onIdle();
      await Promise.all(router.endpoints.map((endpoint) => endpoint.poster.close()));
    },
  };
}

/**
 * `policy.batch` may be switched off on resume, but batches this stage already submitted are paid
 * for: their answers are not collected without it, so the user is told, never left to wonder.
 */
async function warnOfUncollectedBatches(options: GenerateOptions): Promise<void> {
  if (!options.state) return;
  const saved = new SavedBatches(options.state);
  await saved.load();
  for (const open of saved.open()) {
    options.onNotice?.({
      level: 'warning',
      message: `batch ${open.batchId ?? `(input file ${open.inputFileId})`} of ${open.requests} requests, submitted ${open.submittedAt}, is not collected because policy.batch is off: its answers are paid for; resume with policy.batch on to collect them`,
    });
  }
}
