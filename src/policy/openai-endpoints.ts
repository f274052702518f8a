import OpenAI from 'openai';
import type { OpenAIPolicyConfig } from '../config/schema.ts';
import { PolicyError } from '../errors.ts';

/** Sent to loopback servers (vLLM, llama.cpp, Ollama...) when no key is set: most need none, the client needs one. */
export const placeholderApiKey = 'sk-no-key';

export interface Endpoint {
  /** The base URL as configured, without credentials, for messages. */
  url: string;
  weight: number;
  apiKeyEnv: string;
  /** Whether the key variable was set (a refused placeholder means "not set"). */
  keyGiven: boolean;
  /** Masks the key in text from the server (some echo the key they refused). */
  redact(text: string): string;
  client: OpenAI;
  /** `n: auto` learns per endpoint whether it honours `n`. */
  honoursN: boolean | undefined;
  consecutiveFailures: number;
  unhealthyUntil: number;
  /** Smooth weighted round-robin state. */
  current: number;
}

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || host.endsWith('.localhost');
}

/** The URL with any `user:password@` removed, so messages never carry credentials. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}

/** Builds one client per endpoint; fails before any request when a remote endpoint has no key. */
export function createEndpoints(config: OpenAIPolicyConfig, env: NodeJS.ProcessEnv): Endpoint[] {
  const configured = config.endpoints ?? [{ baseURL: config.baseURL!, weight: 1 }];
  return configured.map((endpoint) => {
    const apiKeyEnv = endpoint.apiKeyEnv ?? config.apiKeyEnv;
    const key = env[apiKeyEnv];
    const url = displayUrl(endpoint.baseURL);
    // fetch refuses a URL with credentials on every request, in an error that quotes it whole.
    const parsed = new URL(endpoint.baseURL);
    if (parsed.username || parsed.password) {
      throw new PolicyError(`${url}: a base URL must not carry credentials (user:password@); put the key in the variable named by apiKeyEnv`, { code: 'POLICY_AUTH' });
    }
    if (!key && !isLoopback(endpoint.baseURL)) {
      throw new PolicyError(`${apiKeyEnv} is not set; ${url} needs an API key (set the variable, or name another with apiKeyEnv)`, { code: 'POLICY_AUTH' });
    }
    return {
      url,
      weight: endpoint.weight,
      apiKeyEnv,
      keyGiven: Boolean(key),
      redact: (text) => (key ? text.split(key).join('***') : text),
      client: new OpenAI({ baseURL: endpoint.baseURL, apiKey: key || placeholderApiKey, maxRetries: config.maxRetries, timeout: config.timeoutMs }),
      honoursN: config.n === 'native' ? true : config.n === 'fanout' ? false : undefined,
      consecutiveFailures: 0,
      unhealthyUntil: 0,
      current: 0,
    };
  });
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
    const healthy = pool.filter((e) => e.unhealthyUntil <= now);
    // When all are cooling down, the one that recovers first is the best bet.
    if (healthy.length === 0) return pool.reduce((a, b) => (b.unhealthyUntil < a.unhealthyUntil ? b : a));
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
    endpoint.unhealthyUntil = Date.now() + Math.min(maxCooldownMs, 500 * 2 ** (endpoint.consecutiveFailures - 1));
  }
}
