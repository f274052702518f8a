import { createServer } from 'node:net';
import { OpenAIPolicyConfig } from '../../src/config/schema.ts';
import type { Generation, GenerationRequest, Policy, SamplingParams } from '../../src/policy/policy.ts';

/** Problems the scripted server knows, for policy tests. */
export const arithmetic: Record<string, string> = {
  'What is 17 + 25?': '42',
  'What is 9 * 7?': '63',
  'What is 100 - 58?': '42',
};

/** An OpenAI policy config for a test server, through the real schema (defaults applied). */
export function policyConfig(url: string, overrides: Record<string, unknown> = {}): OpenAIPolicyConfig {
  return OpenAIPolicyConfig.parse({ type: 'openai', baseURL: url, model: 'scripted-base', maxRetries: 2, timeoutMs: 5_000, ...overrides });
}

export function promptFor(problem: string, indices: number[], key = problem): GenerationRequest {
  return { key, text: problem, messages: [{ role: 'user', content: problem }], indices };
}

export const params: SamplingParams = { temperature: 1, topP: 1, maxTokens: 64, seed: 1000 };

export async function collect(policy: Policy, requests: GenerationRequest[], sampling: SamplingParams = params): Promise<Generation[]> {
  const out: Generation[] = [];
  for await (const generation of policy.generate(requests, sampling)) out.push(generation);
  return out;
}

/** A port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
