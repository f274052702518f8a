import type { ChatMessage } from '../schema/problem.ts';
import type { SamplingParams, Usage } from '../schema/sample.ts';

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

export interface GenerateOptions {
  signal?: AbortSignal;
}

/**
 * A sampler backend. `generate` yields generations as they complete (any order), so callers
 * can append each to disk at once; it throws a PolicyError when a request fails for good.
 */
export interface Policy {
  /** The model id recorded on samples and in the sample identity hash. */
  readonly id: string;
  generate(requests: GenerationRequest[], params: SamplingParams, options?: GenerateOptions): AsyncIterable<Generation>;
  close?(): Promise<void>;
}

