import { setMaxListeners } from 'node:events';
import { APIError } from 'openai';
import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { AbortedError, type PolicyError } from '../../errors.ts';
import { Channel } from './channel.ts';
import { childSignal } from '../../openai/signal.ts';
import { createEndpoints, type Endpoint, EndpointRouter } from './router.ts';
import { describeFailure, isAbort, isRetriedByClient, MalformedResponseError } from '../../openai/errors.ts';
import { backoffMs, sleep } from '../../util/sleep.ts';
import { policyError } from './failure.ts';
import { createRequestQueue, TokenBucket } from './limits.ts';
import { parseCompletion, type ParsedCompletion, splitUsage } from './response.ts';
import type { Generation, GenerationRequest, Policy, SamplingParams } from '../policy.ts';

export interface OpenAIPolicyOptions {
  /** Requests in flight at most, over all endpoints. */
  concurrency: number;
  /** Overrides `config.model`, e.g. to sample from the previous round's fine-tune. */
  model?: string;
  env?: NodeJS.ProcessEnv;
}

/** One HTTP request's worth of work: a prompt and the sample indices it should produce. */
interface Call {
  request: GenerationRequest;
  indices: number[];
}

/**
 * Indices in runs of consecutive numbers, one request (with `n`) per run. The request carries
 * `seed = base + first`, the seed a fanned-out request for its first index would carry; how a
 * server seeds the other choices of one request is up to the server, so only fan-out makes
 * each sample reproducible on its own.
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

/** A 400 that blames the `n` parameter: the provider wants one choice per request. */
function refusesN(error: unknown): boolean {
  return error instanceof APIError && error.status === 400 && /\bn\b|'n'|"n"/.test(error.message);
}

/**
 * A Policy over any OpenAI-compatible server (OpenAI, vLLM, SGLang, Ollama, llama.cpp, LM Studio...).
 * HTTP failures are retried by the openai client (honouring `retry-after`); a 200 with a malformed
 * body is retried here, as often. Throws a PolicyError when no endpoint could answer a request.
 */
export function createOpenAIPolicy(config: OpenAIPolicyConfig, options: OpenAIPolicyOptions): Policy {
  const model = options.model ?? config.model;
  const router = new EndpointRouter(createEndpoints(config, options.env ?? process.env));
  const queue = createRequestQueue(options.concurrency, config.requestsPerMinute);
  const tokens = config.tokensPerMinute === undefined ? undefined : new TokenBucket(config.tokensPerMinute);

  function requestBody(call: Call, n: number, params: SamplingParams): Record<string, unknown> {
    const prompt = config.mode === 'chat' ? { messages: call.request.messages } : { prompt: call.request.text };
    return {
      model,
      ...prompt,
      // Some providers reject `n` outright, so it is only sent when it asks for more than one.
      ...(n > 1 ? { n } : {}),
      temperature: params.temperature,
      top_p: params.topP,
      max_tokens: params.maxTokens,
      ...(params.stop ? { stop: params.stop } : {}),
      seed: params.seed + call.indices[0],
      ...config.extraBody,
    };
  }

  async function post(endpoint: Endpoint, body: Record<string, unknown>, asked: number, signal: AbortSignal): Promise<ParsedCompletion> {
    for (let attempt = 0; ; attempt++) {
      const request = childSignal(signal);
      try {
        const path = config.mode === 'chat' ? '/chat/completions' : '/completions';
        return parseCompletion(config.mode, await endpoint.client.post(path, { body, signal: request.signal }), asked);
      } catch (error) {
        const malformed = error instanceof MalformedResponseError || error instanceof SyntaxError;
        if (!malformed || attempt >= config.maxRetries || signal.aborted) throw Object.assign(error as Error, { attempts: attempt + 1 });
        await sleep(backoffMs(attempt, 250, 8_000), signal, 'sampling interrupted');
      } finally {
        request.dispose();
      }
    }
  }

  /** Sends one call, trying other endpoints when one fails for good; returns indices it did not get. */
  async function run(call: Call, params: SamplingParams, signal: AbortSignal, emit: (g: Generation) => void): Promise<number[]> {
    const tried = new Set<Endpoint>();
    let failure: PolicyError | undefined;
    while (tried.size < router.endpoints.length) {
      const endpoint = router.pick(tried);
      tried.add(endpoint);
      // An endpoint known to ignore `n` is asked for one sample; the rest are fanned out.
      const indices = endpoint.honoursN === false ? call.indices.slice(0, 1) : call.indices;
      const estimate = Math.ceil(call.request.text.length / 4) + params.maxTokens * indices.length;
      await tokens?.take(estimate, signal);
      const started = performance.now();
      let response: ParsedCompletion;
      try {
        response = await post(endpoint, requestBody({ ...call, indices }, indices.length, params), indices.length, signal);
      } catch (error) {
        tokens?.adjust(-estimate);
        if (isAbort(error) || signal.aborted) throw new AbortedError('sampling interrupted', { cause: error });
        if (config.n === 'auto' && indices.length > 1 && refusesN(error)) {
          endpoint.honoursN = false;
          return call.indices;
        }
        const attempts = isRetriedByClient(error) ? config.maxRetries + 1 : ((error as { attempts?: number }).attempts ?? 1);
        failure = policyError(describeFailure(endpoint, error, { timeoutMs: config.timeoutMs, attempts }));
        // A refused request (bad parameters, unknown model, wrong key) fails the same way anywhere
        // and says nothing about the endpoint's health: report it rather than hide it behind a failover.
        if (error instanceof APIError && error.status !== undefined && !isRetriedByClient(error)) throw failure;
        router.failed(endpoint);
        continue;
      }
      router.succeeded(endpoint);
      const latencyMs = performance.now() - started;
      const { choices } = response;
      const texts = choices.map((c) => c.text);
      const usage = response.usage ?? { promptTokens: Math.ceil(call.request.text.length / 4), completionTokens: Math.ceil(texts.join('').length / 4) };
      tokens?.adjust(usage.promptTokens + usage.completionTokens - estimate);
      const shares = splitUsage(usage, texts);
      const received = new Set<number>();
      choices.forEach((choice, i) => {
        received.add(indices[choice.index]);
        emit({ key: call.request.key, index: indices[choice.index], text: choice.text, finishReason: choice.finishReason, usage: shares[i], model: response.model ?? model, latencyMs });
      });
      if (choices.length < indices.length && config.n === 'auto') endpoint.honoursN = false;
      return call.indices.filter((index) => !received.has(index));
    }
    throw failure!;
  }

  return {
    id: model,
    async *generate(requests: GenerationRequest[], params: SamplingParams, generateOptions = {}): AsyncGenerator<Generation> {
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
      // Added only now, as only the `finally` below removes it.
      outer?.addEventListener('abort', onOuterAbort, { once: true });
      try {
        yield* channel;
      } finally {
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
