import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import { connect, type Connection } from '../../openai/connection.ts';
import { policyError } from './failure.ts';

/** Why an endpoint is out of rotation, and when it gets its next request to show whether it is back. */
export interface Outage {
  since: number;
  /** ms since epoch. */
  probeAt: number;
  /** Probes that failed since it was taken out (each doubles the wait before the next). */
  failedProbes: number;
}

/** A connection plus what the policy learns about it while sampling. */
export interface Endpoint extends Connection {
  weight: number;
  /** Requests in flight to it at most (Infinity when not configured). */
  maxConcurrency: number;
  /** `n: auto` learns per endpoint whether it honours `n`. */
  honoursN: boolean | undefined;
  /** Answers with a single choice to a request for several, while `honoursN` is unknown. */
  singleChoiceAnswers: number;
  inFlight: number;
  /** Moving average of answered requests' latency; undefined until one is answered. */
  latencyMs: number | undefined;
  consecutiveFailures: number;
  /** Set while the endpoint is taken out of rotation. */
  outage: Outage | undefined;
  /** A request sent to learn whether an endpoint that is out is back is in flight. */
  probing: boolean;
  /** No request is sent before this time (ms since epoch): the endpoint answered 429. */
  rateLimitedUntil: number;
}

/** One client per configured endpoint; fails before any request when a remote endpoint has no key. */
export function createEndpoints(config: OpenAIPolicyConfig, env: NodeJS.ProcessEnv): Endpoint[] {
  const configured = config.endpoints ?? [{ baseURL: config.baseURL!, weight: 1, maxConcurrency: undefined, apiKeyEnv: undefined }];
  return configured.map((endpoint) => ({
    ...connect({ baseURL: endpoint.baseURL, apiKeyEnv: endpoint.apiKeyEnv ?? config.apiKeyEnv, env, maxRetries: config.maxRetries, timeoutMs: config.timeoutMs }, policyError),
    weight: endpoint.weight,
    maxConcurrency: endpoint.maxConcurrency ?? Number.POSITIVE_INFINITY,
    honoursN: config.n === 'native' ? true : config.n === 'fanout' ? false : undefined,
    singleChoiceAnswers: 0,
    inFlight: 0,
    latencyMs: undefined,
    consecutiveFailures: 0,
    outage: undefined,
    probing: false,
    rateLimitedUntil: 0,
  }));
}
