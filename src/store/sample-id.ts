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

/**
 * What every sample id of one prompt hashes before its index: `sampleId`'s JSON without the index,
 * so a round of a million samples serializes the prompt once per problem, not once per sample.
 */
export function sampleIdHead(identity: Omit<SampleIdentity, 'index'>): string {
  const { temperature, topP, maxTokens, stop, seed } = identity.params;
  return JSON.stringify([identity.problemId, identity.model, identity.prompt, temperature, topP, maxTokens, stop ?? [], seed, 0]).slice(0, -2);
}

/** The id of sample `index` of the prompt whose head is `head` (equal to `sampleId`). */
export function sampleIdAt(head: string, index: number): string {
  return createHash('sha256').update(`${head}${index}]`).digest('hex').slice(0, 32);
}
