import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { connect, type Connection } from '../../openai/connection.ts';
import { backoffMs, sleep } from '../../util/sleep.ts';
import { policyError } from './failure.ts';

/** A connection plus what the policy learns about it while sampling. */
export interface Endpoint extends Connection {
  weight: number;
  /** `n: auto` learns per endpoint whether it honours `n`. */
  honoursN: boolean | undefined;
  /** Answers with a single choice to a request for several, while `honoursN` is unknown. */
  singleChoiceAnswers: number;
  consecutiveFailures: number;
  unhealthyUntil: number;
  /** No request is sent before this time (ms since epoch): the endpoint answered 429. */
  rateLimitedUntil: number;
  /** Smooth weighted round-robin state. */
  current: number;
}

/** One client per configured endpoint; fails before any request when a remote endpoint has no key. */
export function createEndpoints(config: OpenAIPolicyConfig, env: NodeJS.ProcessEnv): Endpoint[] {
  const configured = config.endpoints ?? [{ baseURL: config.baseURL!, weight: 1 }];
  return configured.map((endpoint) => ({
    ...connect({ baseURL: endpoint.baseURL, apiKeyEnv: endpoint.apiKeyEnv ?? config.apiKeyEnv, env, maxRetries: config.maxRetries, timeoutMs: config.timeoutMs }, policyError),
    weight: endpoint.weight,
    honoursN: config.n === 'native' ? true : config.n === 'fanout' ? false : undefined,
    singleChoiceAnswers: 0,
    consecutiveFailures: 0,
    unhealthyUntil: 0,
    rateLimitedUntil: 0,
    current: 0,
  }));
}

const maxCooldownMs = 60_000;

/**
 * Spreads requests over endpoints by weight (smooth weighted round-robin, so the split is exact
 * over any window, not just on average) and skips an endpoint that keeps failing for a cooldown
 * that doubles with each failure in a row, as long as another endpoint is healthy.
 */
export class EndpointRouter {
  readonly endpoints: Endpoint[];

  constructor(endpoints: Endpoint[]) {
    this.endpoints = endpoints;
  }

  /** The next endpoint to use, avoiding `exclude` (those a request already failed on) when possible. */
  pick(exclude: ReadonlySet<Endpoint> = new Set()): Endpoint {
    const now = Date.now();
    const untried = this.endpoints.filter((e) => !exclude.has(e));
    const pool = untried.length > 0 ? untried : this.endpoints;
    const healthy = pool.filter((e) => e.unhealthyUntil <= now && e.rateLimitedUntil <= now);
    // When all are cooling down, the one that recovers first is the best bet.
    const recovers = (e: Endpoint) => Math.max(e.unhealthyUntil, e.rateLimitedUntil);
    if (healthy.length === 0) return pool.reduce((a, b) => (recovers(b) < recovers(a) ? b : a));
    const total = healthy.reduce((sum, e) => sum + e.weight, 0);
    let chosen = healthy[0];
    for (const endpoint of healthy) {
      endpoint.current += endpoint.weight;
      if (endpoint.current > chosen.current) chosen = endpoint;
    }
    chosen.current -= total;
    return chosen;
  }

  succeeded(endpoint: Endpoint): void {
    endpoint.consecutiveFailures = 0;
    endpoint.unhealthyUntil = 0;
  }

  failed(endpoint: Endpoint): void {
    endpoint.consecutiveFailures++;
    endpoint.unhealthyUntil = Date.now() + backoffMs(endpoint.consecutiveFailures - 1, 500, maxCooldownMs);
  }

  /** Holds every request to `endpoint` back for `waitMs`: a rate limit applies to all of them, not to the one that met it. */
  rateLimited(endpoint: Endpoint, waitMs: number): void {
    endpoint.rateLimitedUntil = Math.max(endpoint.rateLimitedUntil, Date.now() + waitMs);
  }

  /** Waits until `endpoint` may be sent a request, plus a little spread so that held requests do not all resume at once. */
  async untilOpen(endpoint: Endpoint, signal: AbortSignal): Promise<void> {
    const waitMs = endpoint.rateLimitedUntil - Date.now();
    if (waitMs > 0) await sleep(waitMs + Math.random() * Math.min(250, waitMs / 4), signal, 'sampling interrupted');
  }

  /**
   * `n: auto`: what an answer with `received` choices to a request for several says. More than one
   * proves `n` is honoured, so a later short answer only lost some choices (they are asked for again,
   * for that request alone). Only two single-choice answers with no multi-choice one ever mark an
   * endpoint as ignoring `n`: one could be a short answer from an endpoint that honours it.
   */
  learnN(endpoint: Endpoint, received: number): void {
    if (endpoint.honoursN !== undefined) return;
    if (received > 1) endpoint.honoursN = true;
    else if (++endpoint.singleChoiceAnswers >= 2) endpoint.honoursN = false;
  }
}
