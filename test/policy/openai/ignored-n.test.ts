import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { ignoreN: true } });
});
afterAll(() => server.close());

test('n: auto fans out for the choices a server that ignores n did not return, and remembers it after two such answers', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'auto' }), { concurrency: 2 });
  const first = await collect(policy, [promptFor('What is 9 * 7?', [0, 1, 2, 3])]);
  expect(first.map((g) => g.index).sort()).toEqual([0, 1, 2, 3]);
  const asked = server.requests.map((r) => r.n ?? 1);
  expect(asked).toEqual([4, 1, 1, 1]);

  // One single-choice answer could be a short answer from a server that honours n: n is asked again.
  server.requests.length = 0;
  const second = await collect(policy, [promptFor('What is 100 - 58?', [0, 1, 2])]);
  expect(second).toHaveLength(3);
  expect(server.requests.map((r) => r.n ?? 1)).toEqual([3, 1, 1]);

  server.requests.length = 0;
  const third = await collect(policy, [promptFor('What is 17 + 25?', [0, 1, 2])]);
  expect(third).toHaveLength(3);
  // Learned: no more asking for n from this endpoint.
  expect(server.requests.map((r) => r.n ?? 1)).toEqual([1, 1, 1]);
  const seeds = server.requests.map((r) => r.seed);
  expect(new Set(seeds).size).toBe(seeds.length);
});
