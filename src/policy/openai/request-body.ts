import type { OpenAIPolicyConfig } from '../../config/schema.ts';
import type { GenerationRequest, SamplingParams } from '../policy.ts';

/** The API path a policy's requests go to, below the base URL. */
export function completionPath(config: OpenAIPolicyConfig): '/chat/completions' | '/completions' {
  return config.mode === 'chat' ? '/chat/completions' : '/completions';
}

/**
 * The body of a request for the samples `indices` of `request`. It carries `seed = base + first
 * index`, the seed a fanned-out request for that index would carry; how a server seeds the other
 * choices of one request is up to the server, so only one request per sample makes each
 * reproducible on its own.
 */
export function requestBody(config: OpenAIPolicyConfig, model: string, request: GenerationRequest, indices: number[], params: SamplingParams): Record<string, unknown> {
  const prompt = config.mode === 'chat' ? { messages: request.messages } : { prompt: request.text };
  const n = indices.length;
  return {
    model,
    ...prompt,
    // Some providers reject `n` outright, so it is only sent when it asks for more than one.
    ...(n > 1 ? { n } : {}),
    temperature: params.temperature,
    top_p: params.topP,
    max_tokens: params.maxTokens,
    ...(params.stop ? { stop: params.stop } : {}),
    seed: params.seed + indices[0],
    ...config.extraBody,
  };
}
