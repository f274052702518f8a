import OpenAI from 'openai';
import type { Failure } from './errors.ts';
import { JsonPoster } from './json-post.ts';
import { limitedFetch, MAX_RESPONSE_BYTES } from './response-limit.ts';

/** Sent to loopback servers (vLLM, llama.cpp, Ollama...) when no key is set: most need none, the client needs one. */
export const placeholderApiKey = 'sk-no-key';

/** One OpenAI-compatible server as the policy and the trainer both talk to it. */
export interface Connection {
  /** The base URL as configured, without credentials, for messages. */
  url: string;
  apiKeyEnv: string;
  /** Whether the key variable was set (a refused placeholder means "not set"). */
  keyGiven: boolean;
  /** Masks the key in text from the server (some echo the key they refused). */
  redact(text: string): string;
  client: OpenAI;
  /** The same server's JSON POSTs without the client's per-request cost (sampling's hot path); closed by whoever samples. */
  poster: JsonPoster;
}

export interface ConnectOptions {
  baseURL: string;
  /** Name of the environment variable that holds the key; the key itself is never stored. */
  apiKeyEnv: string;
  env: NodeJS.ProcessEnv;
  maxRetries: number;
  timeoutMs: number;
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

/**
 * A client for one server; fails before any request when a remote server has no key or the URL
 * carries credentials. `toError` turns such a failure into the caller's own error class.
 */
export function connect(options: ConnectOptions, toError: (failure: Failure) => Error): Connection {
  const key = options.env[options.apiKeyEnv];
  const url = displayUrl(options.baseURL);
  // fetch refuses a URL with credentials on every request, in an error that quotes it whole.
  const parsed = new URL(options.baseURL);
  if (parsed.username || parsed.password) {
    throw toError({ kind: 'auth', message: `${url}: a base URL must not carry credentials (user:password@); put the key in the variable named by apiKeyEnv` });
  }
  if (!key && !isLoopback(options.baseURL)) {
    throw toError({ kind: 'auth', message: `${options.apiKeyEnv} is not set; ${url} needs an API key (set the variable, or name another with apiKeyEnv)` });
  }
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: key || placeholderApiKey,
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
    fetch: limitedFetch(MAX_RESPONSE_BYTES),
  });
  // The headers the client itself would send that a server may act on (its own telemetry headers aside).
  const headers: Record<string, string> = { authorization: `Bearer ${key || placeholderApiKey}`, 'user-agent': 'starloop' };
  if (client.organization) headers['openai-organization'] = client.organization;
  if (client.project) headers['openai-project'] = client.project;
  return {
    url,
    apiKeyEnv: options.apiKeyEnv,
    keyGiven: Boolean(key),
    redact: (text) => (key ? text.split(key).join('***') : text),
    client,
    poster: new JsonPoster(options.baseURL, headers),
  };
}
