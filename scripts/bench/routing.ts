/**
 * What routing by load buys, all in one run so the ratios compare like with like: samples per
 * second from one server capped at `--cap` requests in flight vs two replicas with that cap each
 * (throughput should add up: x2), and how requests split between two replicas whose delays are
 * 1:3 (the slow one should get a quarter). Each server runs as its own process and waits
 * `--delay-ms` before each answer, as a remote model does.
 *   npm run bench:routing -- [--samples 400] [--cap 4] [--delay-ms 200]
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
  samples: z.coerce.number().int().positive().default(400),
  cap: z.coerce.number().int().positive().default(4),
  'delay-ms': z.coerce.number().int().positive().default(200),
});

interface ServerProcess {
  url: string;
  stop(): void;
}

async function startServerProcess(answersPath: string, delayMs: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/openai-server-main.ts', '--port', '0', '--answers', answersPath, '--delay-ms', String(delayMs)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const url = String(first.value ?? '').match(/^listening (\S+)$/)?.[1];
  if (!url) throw new Error(`the test server did not start (got ${JSON.stringify(first.value)})`);
  return { url, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const args = Args.parse(parseArgs({ options: { samples: { type: 'string' }, cap: { type: 'string' }, 'delay-ms': { type: 'string' } } }).values);
  const dir = await mkdtemp(join(tmpdir(), 'starloop-bench-routing-'));
  const answersPath = join(dir, 'problems.jsonl');
  await writeFile(answersPath, `${JSON.stringify({ id: 'p0', prompt: 'What is 2 + 2?', answer: '4' })}\n`);
  const delay = args['delay-ms'];
  const servers = await Promise.all([startServerProcess(answersPath, delay), startServerProcess(answersPath, delay), startServerProcess(answersPath, delay * 3)]);
  const [first, second, slow] = servers;
  const request: GenerationRequest = { key: 'p0', text: 'What is 2 + 2?', messages: [{ role: 'user', content: 'What is 2 + 2?' }], indices: Array.from({ length: args.samples }, (_, i) => i) };

  /** Samples per second, and how many answers came at the fast and at the slow replica's pace. */
  const measure = async (endpoints: ServerProcess[], cap: number | undefined): Promise<{ rate: number; counts: Map<string, number> }> => {
    const config = OpenAIPolicyConfig.parse({
      type: 'openai',
      model: 'scripted-base',
      n: 'fanout',
      maxRetries: 0,
      endpoints: endpoints.map((e) => ({ baseURL: e.url, ...(cap ? { maxConcurrency: cap } : {}) })),
    });
    const policy = createOpenAIPolicy(config, { concurrency: args.cap * 2, env: {} });
    const counts = new Map<string, number>();
    // The servers do not report what they answered; with delays 1:3 an answer's latency tells them apart.
    const started = performance.now();
    let samples = 0;
    for await (const g of policy.generate([request], { temperature: 1, topP: 1, maxTokens: 32, seed: 0 })) {
      samples++;
      const fast = g.latencyMs < delay * Math.sqrt(3);
      counts.set(fast ? 'fast' : 'slow', (counts.get(fast ? 'fast' : 'slow') ?? 0) + 1);
    }
    await policy.close?.();
    return { rate: samples / ((performance.now() - started) / 1000), counts };
  };

  try {
    await measure([first], args.cap); // warm-up: JIT in every process
    const one = await measure([first], args.cap);
    const two = await measure([first, second], args.cap);
    const mixed = await measure([first, slow], undefined);
    const slowShare = (mixed.counts.get('slow') ?? 0) / args.samples;
    console.log(`routing: ${args.samples} samples, delay ${delay} ms (slow replica ${delay * 3} ms), cap ${args.cap} in flight per endpoint, policy concurrency ${args.cap * 2}`);
    console.log(`  one endpoint        ${one.rate.toFixed(1).padStart(8)} samples/s`);
    console.log(`  two replicas        ${two.rate.toFixed(1).padStart(8)} samples/s   x${(two.rate / one.rate).toFixed(2)} (ideal x2)`);
    console.log(`  fast + 3x slower    ${mixed.rate.toFixed(1).padStart(8)} samples/s   slow replica got ${(slowShare * 100).toFixed(1)}% of requests (ideal 25%)`);
  } finally {
    for (const server of servers) server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
