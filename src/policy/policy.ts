import type { ChatMessage } from '../schema/problem.ts';
import type { SamplingParams, Usage } from '../schema/sample.ts';
import type { StateCell } from '../store/run-store.ts';

export type { SamplingParams };

/** One prompt and the sample indices still wanted for it. */
export interface GenerationRequest {
  /** Unique within one `generate` call; echoed on every generation. */
  key: string;
  /** The prompt for chat-mode backends (system turn first when configured). */
  messages: ChatMessage[];
  /** The same prompt rendered as plain text, for completion-mode backends. */
  text: string;
  /** Which sample indices to draw (index is part of a sample's identity, so resumes ask only for gaps). */
  indices: number[];
  /**
   * A wanted sample's identity hash, when the caller stores samples by id: a backend that names
   * requests (the Batch API's `custom_id`) names them by it. A function, not a list: a wave of a
   * round's requests would otherwise hold every sample's id at once (a million strings at 1M samples).
   */
  idOf?: (index: number) => string;
}

export interface Generation {
  key: string;
  index: number;
  text: string;
  finishReason: string;
  usage: Usage;
  /** The model id that produced it, as the backend reports it. */
  model: string;
  latencyMs: number;
}

/** Something a backend wants the user to see while it samples: an endpoint taken out, a batch's progress. */
export interface PolicyNotice {
  level: 'info' | 'warning';
  message: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onNotice?: (notice: PolicyNotice) => void;
  /**
   * Survives `kill -9`: a backend whose requests outlive the process (a submitted batch) keeps
   * their ids here, so a resumed call collects them instead of paying for them again.
   */
  state?: StateCell;
}

/**
 * Requests handed out as a policy has room for them. A request may depend on the answers to
 * earlier ones (adaptive sampling decides a problem's next samples from its verdicts), so
 * `take` may wait; it never waits when something is ready.
 */
export interface RequestSource {
  /** Up to `max` requests, waiting until at least one is ready; undefined once no more will come. */
  take(max: number): Promise<GenerationRequest[] | undefined>;
}

/**
 * A sampler backend. `generate` yields generations as they complete (any order), so callers
 * can append each to disk at once; it throws a PolicyError when a request fails for good.
 */
export interface Policy {
  /** The model id recorded on samples and in the sample identity hash. */
  readonly id: string;
  generate(requests: GenerationRequest[], params: SamplingParams, options?: GenerateOptions): AsyncIterable<Generation>;
  /**
   * Optional: the same, pulling requests from `source` as the policy has room, so millions of
   * requests never sit in memory at once and later requests can wait on earlier answers. A policy
   * without it is given the ready requests in waves through `generate`.
   */
  generateFrom?(source: RequestSource, params: SamplingParams, options?: GenerateOptions): AsyncIterable<Generation>;
  close?(): Promise<void>;
}

