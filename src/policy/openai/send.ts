import { APIConnectionError, APIError } from 'openai';
import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { AbortedError, PolicyError } from '../../errors.ts';
import { describeFailure, isAbort, isRateLimited, isRetriedByClient, MalformedResponseError, retryAfterMs } from '../../openai/errors.ts';
import { backoffMs, sleep } from '../../util/sleep.ts';
import type { Generation, GenerationRequest, SamplingParams } from '../policy.ts';
import { policyError } from './failure.ts';
import { responseByteLimit, type TokenBucket } from './limits.ts';
import { completionPath, requestBody } from './request-body.ts';
import { parseCompletion, type ParsedCompletion, splitUsage } from './response.ts';
import type { Endpoint, EndpointRouter } from './router.ts';

/** One HTTP request's worth of work: a prompt and the sample indices it should produce. */
export interface Call {
  request: GenerationRequest;
  indices: number[];
}

export interface Sender {
  config: OpenAIPolicyConfig;
  model: string;
  router: EndpointRouter;
  tokens: TokenBucket | undefined;
  /** How long one call keeps waiting through 429 answers. */
  patienceMs: number;
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

/** One attempt on one endpoint, without the client's own retries (its waits cannot be interrupted): the answer read within limits and parsed. */
async function attempt(sender: Sender, endpoint: Endpoint, body: Record<string, unknown>, asked: number, maxTokens: number, signal: AbortSignal): Promise<ParsedCompletion> {
  const { config } = sender;
  const limit = responseByteLimit(maxTokens, asked);
  const text = await endpoint.poster.post(completionPath(config), body, { signal, timeoutMs: config.timeoutMs, limit, what: `the limit for max_tokens=${maxTokens} × ${asked} choice(s)` });
  return parseCompletion(config.mode, parseJson(text), asked);
}

/**
 * Sends one call, emitting each sample it gets, and returns the indices it did not get (a server
 * that ignores or short-changes `n`). A transient failure (no answer, 408, 409, 5xx, a malformed
 * or oversized body) is tried again, on another endpoint when one is free, else on the same one
 * after the wait the server asked for or a backoff, up to `maxRetries` retries per endpoint. A 429
 * is waited out within the rate-limit patience. A refused request (4xx) fails at once: it would
 * fail the same way anywhere. Throws a PolicyError when every endpoint failed it for good.
 */
export async function sendCall(sender: Sender, call: Call, params: SamplingParams, signal: AbortSignal, emit: (g: Generation) => void): Promise<number[]> {
  const { config, router, tokens } = sender;
  const attempts = new Map<Endpoint, number>();
  const exhausted = new Set<Endpoint>();
  let failure: PolicyError | undefined;
  let lastFailure: { endpoint: Endpoint; error: unknown } | undefined;
  let rateLimitedSince: number | undefined;
  let rateLimits = 0;
  while (exhausted.size < router.endpoints.length) {
    const lease = await router.acquire(exhausted, lastFailure?.endpoint, signal);
    const { endpoint } = lease;
    let estimate = 0;
    try {
      if (lastFailure && (endpoint === lastFailure.endpoint || endpoint.outage)) {
        const retry = (attempts.get(endpoint) ?? 1) - 1;
        await sleep(Math.min(retryAfterMs(lastFailure.error) ?? backoffMs(retry, 500, 8_000) * (1 - Math.random() * 0.25), 60_000), signal, 'sampling interrupted');
      }
      await router.untilOpen(endpoint, signal);
      // An endpoint known to ignore `n` is asked for one sample; the rest are fanned out.
      const indices = endpoint.honoursN === false ? call.indices.slice(0, 1) : call.indices;
      const planned = Math.ceil(call.request.text.length / 4) + params.maxTokens * indices.length;
      await tokens?.take(planned, signal);
      estimate = planned;
      const started = performance.now();
      const response = await attempt(sender, endpoint, requestBody(config, sender.model, call.request, indices, params), indices.length, params.maxTokens, signal);
      const latencyMs = performance.now() - started;
      router.succeeded(endpoint, latencyMs);
      const { choices } = response;
      const texts = choices.map((c) => c.text);
      const usage = response.usage ?? { promptTokens: Math.ceil(call.request.text.length / 4), completionTokens: Math.ceil(texts.join('').length / 4) };
      tokens?.adjust(usage.promptTokens + usage.completionTokens - estimate);
      const shares = splitUsage(usage, texts);
      const received = new Set<number>();
      choices.forEach((choice, i) => {
        received.add(indices[choice.index]);
        emit({ key: call.request.key, index: indices[choice.index], text: choice.text, finishReason: choice.finishReason, usage: shares[i], model: response.model ?? sender.model, latencyMs });
      });
      if (config.n === 'auto' && indices.length > 1) router.learnN(endpoint, choices.length);
      return call.indices.filter((index) => !received.has(index));
    } catch (error) {
      tokens?.adjust(-estimate);
      if (isAbort(error) || signal.aborted || error instanceof AbortedError) throw new AbortedError('sampling interrupted', { cause: error });
      if (config.n === 'auto' && call.indices.length > 1 && endpoint.honoursN !== false && refusesN(error)) {
        endpoint.honoursN = false;
        return call.indices;
      }
      if (isRateLimited(error)) {
        // A rate limit passes: wait it out, on this endpoint or another, within the patience.
        rateLimitedSince ??= Date.now();
        const waitedMs = Date.now() - rateLimitedSince;
        if (waitedMs < sender.patienceMs) {
          const waitMs = retryAfterMs(error) ?? backoffMs(rateLimits, 1_000, 30_000) * (1 - Math.random() * 0.25);
          rateLimits++;
          router.rateLimited(endpoint, Math.min(waitMs, sender.patienceMs - waitedMs));
          lastFailure = undefined;
          continue;
        }
        const { message, cause } = describeFailure(endpoint, error, { timeoutMs: config.timeoutMs, attempts: rateLimits + 1 });
        failure = new PolicyError(`${message}; rate limited for ${Math.round(waitedMs / 1000)} s, past policy.rateLimitPatienceMs (${sender.patienceMs} ms)`, { cause, code: 'POLICY_RATE_LIMITED' });
        exhausted.add(endpoint);
        continue;
      }
      const count = (attempts.get(endpoint) ?? 0) + 1;
      attempts.set(endpoint, count);
      failure = policyError(describeFailure(endpoint, error, { timeoutMs: config.timeoutMs, attempts: count }));
      const transient = error instanceof MalformedResponseError || isRetriedByClient(error);
      // A refused request (bad parameters, unknown model, wrong key) fails the same way anywhere
      // and says nothing about the endpoint's health: report it rather than hide it behind a failover.
      if (!transient && error instanceof APIError && error.status !== undefined) throw failure;
      router.failed(lease, { message: failure.message, noAnswer: error instanceof APIConnectionError });
      if (!transient || count > config.maxRetries) exhausted.add(endpoint);
      lastFailure = { endpoint, error };
    } finally {
      router.release(lease);
    }
  }
  throw failure!;
}
