import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, accuracy: () => 1 });
});
afterAll(() => server.close());

test('completions mode sends the few-shot text as the prompt and reads choices[].text', async () => {
  const text = 'Q: What is 100 - 58?\nA: The answer is 42.\n\nQ: What is 9 * 7?\nA:';
  const policy = createOpenAIPolicy(policyConfig(server.url, { mode: 'completions', model: 'other', extraBody: { top_k: 20 } }), {
    concurrency: 2,
    model: 'scripted-base',
  });
  expect(policy.id).toBe('scripted-base');
  const generations = await collect(policy, [{ key: 'p', text, messages: [], indices: [0, 1] }]);
  expect(server.requests.map((r) => r.path)).toEqual(['/v1/completions']);
  expect(server.requests[0].prompt).toBe(text);
  expect((server.requests[0].body as { top_k?: number }).top_k).toBe(20);
  expect(server.requests[0].model).toBe('scripted-base');
  // The scripted model answers the last problem in the prompt, not the worked example.
  expect(generations.map((g) => g.text)).toEqual(['Let me work through it step by step. The answer is 63.', 'Let me work through it step by step. The answer is 63.']);
});
