/**
 * Samples per second through createOpenAIPolicy against the scripted test server (run as its own
 * process, no injected delay): concurrency 1 vs 32, native `n` vs fan-out, all in one run so the
 * ratios compare like with like. `--delay-ms` makes the server wait before each answer, as a
 * remote model does, to show what concurrency buys when latency dominates.
 *   npm run bench:policy -- [--problems 64] [--k 8] [--repeats 3] [--delay-ms 0]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { OpenAIPolicyConfig } from '../../src/config/schema.ts';
import { createOpenAIPolicy } from '../../src/policy/openai/index.ts';
import type { GenerationRequest } from '../../src/policy/policy.ts';

const Args = z.object({
  problems: z.coerce.number().int().positive().default(64),
  k: z.coerce.number().int().positive().default(8),
  repeats: z.coerce.number().int().positive().default(3),
  'delay-ms': z.coerce.number().int().nonnegative().default(0),
});

async function startServerProcess(answersPath: string, delayMs: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/openai-server-main.ts', '--port', '0', '--answers', answersPath, '--delay-ms', String(delayMs)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const url = String(first.value ?? '').match(/^listening (\S+)$/)?.[1];
  if (!url) throw new Error(`the test server did not start (got ${JSON.stringify(first.value)})`);
  return { url, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const args = Args.parse(parseArgs({ options: { problems: { type: 'string' }, k: { type: 'string' }, repeats: { type: 'string' }, 'delay-ms': { type: 'string' } } }).values);
  const dir = await mkdtemp(join(tmpdir(), 'starloop-bench-policy-'));
  const problems = Array.from({ length: args.problems }, (_, i) => ({ id: `p${i}`, prompt: `What is ${i} + ${i * 3}?`, answer: String(i * 4) }));
  const answersPath = join(dir, 'problems.jsonl');
  await writeFile(answersPath, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const server = await startServerProcess(answersPath, args['delay-ms']);
  const indices = Array.from({ length: args.k }, (_, i) => i);
  const requests: GenerationRequest[] = problems.map((p) => ({ key: p.id, text: p.prompt, messages: [{ role: 'user', content: p.prompt }], indices }));

  const measure = async (concurrency: number, n: 'native' | 'fanout'): Promise<number> => {
    const config = OpenAIPolicyConfig.parse({ type: 'openai', baseURL: server.url, model: 'scripted-base', n, maxRetries: 0 });
    // One policy per setting, as a run uses one: its connections are opened by a first, unmeasured pass.
    const policy = createOpenAIPolicy(config, { concurrency, env: {} });
    for await (const _ of policy.generate(requests, { temperature: 1, topP: 1, maxTokens: 64, seed: 999_999 }));
    const rates: number[] = [];
    for (let repeat = 0; repeat < args.repeats; repeat++) {
      const started = performance.now();
      let samples = 0;
      for await (const _ of policy.generate(requests, { temperature: 1, topP: 1, maxTokens: 64, seed: repeat * 1000 })) samples++;
      rates.push(samples / ((performance.now() - started) / 1000));
    }
    // The median resists one run slowed by other work on the machine.
    return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
  };

  try {
    await measure(8, 'fanout'); // warm-up: JIT in both processes
    const results: Record<string, number> = {};
    for (const n of ['fanout', 'native'] as const) for (const concurrency of [1, 32]) results[`${n} c=${concurrency}`] = await measure(concurrency, n);
    console.log(`policy throughput: ${args.problems} problems x k=${args.k} = ${args.problems * args.k} samples, server delay ${args['delay-ms']} ms, median of ${args.repeats}`);
    for (const [name, rate] of Object.entries(results)) console.log(`  ${name.padEnd(14)} ${rate.toFixed(0).padStart(7)} samples/s`);
    console.log(`  concurrency 32 vs 1: fanout x${(results['fanout c=32'] / results['fanout c=1']).toFixed(2)}, native x${(results['native c=32'] / results['native c=1']).toFixed(2)}`);
    console.log(`  native n vs fan-out: c=1 x${(results['native c=1'] / results['fanout c=1']).toFixed(2)}, c=32 x${(results['native c=32'] / results['fanout c=32']).toFixed(2)}`);
  } finally {
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
