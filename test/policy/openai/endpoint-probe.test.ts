import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import type { Generation, PolicyNotice } from '../../../src/policy/policy.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let steady: OpenAITestServer;
let flaky: OpenAITestServer;
beforeAll(async () => {
  [steady, flaky] = await Promise.all([startOpenAIServer({ answers: arithmetic }), startOpenAIServer({ answers: arithmetic })]);
});
afterAll(() => Promise.all([steady.close(), flaky.close()]));

test('an endpoint failing requests in a row is taken out with a warning, probed, and back in once it answers', async () => {
  steady.faults.set({ delayMs: 100 });
  flaky.faults.set({ delayMs: 100, serverError: { times: 3 } });
  const config = policyConfig(steady.url, { baseURL: undefined, n: 'fanout', endpoints: [{ baseURL: steady.url }, { baseURL: flaky.url }] });
  const policy = createOpenAIPolicy(config, { concurrency: 2 });
  const notices: PolicyNotice[] = [];
  const generations: Generation[] = [];
  let backInAt: number | undefined;
  const onNotice = (notice: PolicyNotice) => {
    notices.push(notice);
    if (notice.message.includes('back in')) backInAt = flaky.requests.length;
  };
  const total = 80;
  for await (const g of policy.generate([promptFor('What is 9 * 7?', Array.from({ length: total }, (_, i) => i))], params, { onNotice })) generations.push(g);

  expect(generations).toHaveLength(total);
  expect(new Set(generations.map((g) => g.index)).size).toBe(total);
  const warnings = notices.filter((n) => n.level === 'warning');
  expect(warnings).toHaveLength(1);
  expect(warnings[0].message).toMatch(new RegExp(`^endpoint ${flaky.url} taken out of rotation after 3 failed requests in a row \\(.*500.*\\)`));
  expect(notices.some((n) => n.level === 'info' && n.message.startsWith(`endpoint ${flaky.url} answers again after`))).toBe(true);
  // Out, it got only the probe; back in, it shares the load again.
  expect(flaky.requests.slice(3, backInAt).length).toBe(1);
  expect(flaky.requests.length - backInAt!).toBeGreaterThan(5);
});
