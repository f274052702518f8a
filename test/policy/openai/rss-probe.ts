/**
 * Samples once from the server at argv[2] (n = argv[3], max_tokens = argv[4]) with the OpenAI
 * policy and prints what came back and this process's peak resident memory, as JSON. Run as its
 * own process by hostile-bodies.test.ts, so the peak is the policy's alone.
 */
import { OpenAIPolicyConfig } from '../../../src/config/schema.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';

const [url, n, maxTokens] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const config = OpenAIPolicyConfig.parse({ type: 'openai', baseURL: url, model: 'scripted-base', n: 'native', maxRetries: 2, timeoutMs: 60_000 });
const policy = createOpenAIPolicy(config, { concurrency: 1 });
const indices = Array.from({ length: n }, (_, i) => i);
const texts: string[] = [];
let error: string | undefined;
try {
  const request = { key: 'q', text: 'What is 9 * 7?', messages: [{ role: 'user' as const, content: 'What is 9 * 7?' }], indices };
  for await (const generation of policy.generate([request], { temperature: 1, topP: 1, maxTokens, seed: 1 })) texts.push(generation.text);
} catch (e) {
  error = e instanceof Error ? e.message : String(e);
}
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ peakRssMb, lengths: texts.map((t) => t.length), error })}\n`);
