import { setMaxListeners } from 'node:events';
import { APIError } from 'openai';
import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { AbortedError, PolicyError } from '../../errors.ts';
import { Channel } from './channel.ts';
import { childSignal } from '../../openai/signal.ts';
import { createEndpoints, type Endpoint, EndpointRouter } from './router.ts';
import { describeFailure, isAbort, isRateLimited, isRetriedByClient, MalformedResponseError, retryAfterMs } from '../../openai/errors.ts';
import { readBodyText } from '../../openai/response-limit.ts';
import { backoffMs, sleep } from '../../util/sleep.ts';
import { policyError } from './failure.ts';
import { createRequestQueue, DEFAULT_RATE_LIMIT_PATIENCE_MS, responseByteLimit, TokenBucket } from './limits.ts';
import { parseCompletion, type ParsedCompletion, splitUsage } from './response.ts';
import type { GenerateOptions, Generation, GenerationRequest, Policy, RequestSource, SamplingParams } from '../policy.ts';
import { requestsOf } from '../request-source.ts';

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

/** The body as JSON; a body that is not JSON stays text, which parseCompletion reports as such. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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

  /**
   * One request, retried here (not by the client, whose waits cannot be interrupted) when the
   * answer is transient: no answer, 408, 409, 5xx, or a malformed or oversized body, up to
   * maxRetries, after the wait the server asked for or a backoff. A 429 is thrown to the caller,
   * which waits on it within the rate-limit patience.
   */
  async function post(endpoint: Endpoint, body: Record<string, unknown>, asked: number, maxTokens: number, signal: AbortSignal): Promise<ParsedCompletion> {
    const limit = responseByteLimit(maxTokens, asked);
    for (let attempt = 0; ; attempt++) {
      const request = childSignal(signal);
      try {
        const path = config.mode === 'chat' ? '/chat/completions' : '/completions';
        const response = await endpoint.client.post(path, { body, signal: request.signal, maxRetries: 0 }).asResponse();
        const text = await readBodyText(response, limit, `the limit for max_tokens=${maxTokens} × ${asked} choice(s)`, config.timeoutMs);
        return parseCompletion(config.mode, parseJson(text), asked);
      } catch (error) {
        const transient = !isRateLimited(error) && (error instanceof MalformedResponseError || isRetriedByClient(error));
        if (!transient || attempt >= config.maxRetries || signal.aborted) throw Object.assign(error as Error, { attempts: attempt + 1 });
        await sleep(Math.min(retryAfterMs(error) ?? backoffMs(attempt, 500, 8_000) * (1 - Math.random() * 0.25), 60_000), signal, 'sampling interrupted');
      } finally {
        request.dispose();
      }
    }
  }

  const patienceMs = config.rateLimitPatienceMs ?? DEFAULT_RATE_LIMIT_PATIENCE_MS;

  /** Sends one call, trying other endpoints when one fails for good; returns indices it did not get. */
  async function run(call: Call, params: SamplingParams, signal: AbortSignal, emit: (g: Generation) => void): Promise<number[]> {
    const tried = new Set<Endpoint>();
    let failure: PolicyError | undefined;
    let rateLimitedSince: number | undefined;
    let rateLimits = 0;
    while (tried.size < router.endpoints.length) {
      const endpoint = router.pick(tried);
      await router.untilOpen(endpoint, signal);
      // An endpoint known to ignore `n` is asked for one sample; the rest are fanned out.
      const indices = endpoint.honoursN === false ? call.indices.slice(0, 1) : call.indices;
      const estimate = Math.ceil(call.request.text.length / 4) + params.maxTokens * indices.length;
      await tokens?.take(estimate, signal);
      const started = performance.now();
      let response: ParsedCompletion;
      try {
        response = await post(endpoint, requestBody({ ...call, indices }, indices.length, params), indices.length, params.maxTokens, signal);
      } catch (error) {
        tokens?.adjust(-estimate);
        if (isAbort(error) || signal.aborted) throw new AbortedError('sampling interrupted', { cause: error });
        if (config.n === 'auto' && indices.length > 1 && refusesN(error)) {
          endpoint.honoursN = false;
          return call.indices;
        }
        if (isRateLimited(error)) {
          // A rate limit passes: wait it out, on this endpoint or another, within the patience.
          rateLimitedSince ??= Date.now();
          const waitedMs = Date.now() - rateLimitedSince;
          if (waitedMs < patienceMs) {
            const waitMs = retryAfterMs(error) ?? backoffMs(rateLimits, 1_000, 30_000) * (1 - Math.random() * 0.25);
            rateLimits++;
            router.rateLimited(endpoint, Math.min(waitMs, patienceMs - waitedMs));
            continue;
          }
          const { message, cause } = describeFailure(endpoint, error, { timeoutMs: config.timeoutMs, attempts: rateLimits + 1 });
          failure = new PolicyError(`${message}; rate limited for ${Math.round(waitedMs / 1000)} s, past policy.rateLimitPatienceMs (${patienceMs} ms)`, { cause, code: 'POLICY_RATE_LIMITED' });
        } else {
          const attempts = (error as { attempts?: number }).attempts ?? 1;
          failure = policyError(describeFailure(endpoint, error, { timeoutMs: config.timeoutMs, attempts }));
          // A refused request (bad parameters, unknown model, wrong key) fails the same way anywhere
          // and says nothing about the endpoint's health: report it rather than hide it behind a failover.
          if (error instanceof APIError && error.status !== undefined && !isRetriedByClient(error)) throw failure;
        }
        tried.add(endpoint);
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
      if (config.n === 'auto' && indices.length > 1) router.learnN(endpoint, choices.length);
      return call.indices.filter((index) => !received.has(index));
    }
    throw failure!;
  }

  /** Calls kept queued beyond those in flight, so a free slot never waits on the request source. */
  const lookahead = Math.max(options.concurrency, 8);

  async function* generateFrom(source: RequestSource, params: SamplingParams, generateOptions: GenerateOptions = {}): AsyncGenerator<Generation> {
    const abort = new AbortController();
    // Each call in flight listens on it (at most concurrency + lookahead, removed as they settle): not a leak.
    setMaxListeners(options.concurrency + lookahead + 16, abort.signal);
    const outer = generateOptions.signal;
    const onOuterAbort = () => abort.abort(outer?.reason);
    if (outer?.aborted) throw new AbortedError('sampling interrupted');
    // Answers the consumer has not taken yet hold their call's slot, so a slow consumer (one that
    // verifies as it goes) slows the requests instead of letting answers pile up in memory.
    const channel = new Channel<Generation>(Math.max(256, options.concurrency * 4));
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
          while (pending >= options.concurrency + lookahead && !abort.signal.aborted) {
            await new Promise<void>((resolve) => {
              wakePump = resolve;
            });
          }
          if (abort.signal.aborted) break;
          const requests = await source.take(options.concurrency + lookahead - pending);
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
    void pump();
    try {
      yield* channel;
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
      abort.abort();
      channel.cancel();
      settle();
    }
  }

  return {
    id: model,
    generate: (requests, params, generateOptions) => generateFrom(requestsOf(requests), params, generateOptions),
    generateFrom,
    async close() {
      queue.clear();
      await queue.onIdle();
    },
  };
}
