import { createHash } from 'node:crypto';
import type { ChatMessage } from '../schema/problem.ts';
import type { SamplingParams } from '../schema/sample.ts';

export interface SampleIdentity {
  /** Two problems may render to the same prompt; their samples must still be told apart. */
  problemId: string;
  model: string;
  /** The prompt exactly as the backend receives it. */
  prompt: ChatMessage[] | string;
  params: Pick<SamplingParams, 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'seed'>;
  index: number;
}

/**
 * Sample identity = hash(problem, model, rendered prompt, sampling params, index, seed). k is not
 * part of it, so raising k from 8 to 16 reuses the first 8, and a resumed run asks only for what is
 * missing.
 */
export function sampleId(identity: SampleIdentity): string {
  const { temperature, topP, maxTokens, stop, seed } = identity.params;
  return createHash('sha256')
    .update(JSON.stringify([identity.problemId, identity.model, identity.prompt, temperature, topP, maxTokens, stop ?? [], seed, identity.index]))
    .digest('hex')
    .slice(0, 32);
}
