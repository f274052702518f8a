/**
 * Sampling at scale, two measurements:
 *
 * 1. Throughput: a round's draw (createOpenAIPolicy → append each sample → numeric verifier →
 *    append each verdict, as `starloop run` does) against a bare loop of `openai` client calls
 *    with the same requests at the same concurrency, both against the scripted test server run as
 *    its own process with no delay. Alternated and repeated in one run; the ratio is of medians.
 * 2. Memory: a whole round (runLoop, round 0, no trainer) of `--samples` train samples from a
 *    zero-latency in-process Policy that pulls requests as the built-in ones do, in a child process
 *    running the built package (sampling-memory-child.mjs; with the CLI's heap growth, then with
 *    Node's), then `report` (text, --json, --html) and `compare` on that run directory, each its
 *    own process; peak RSS (maxRSS) of each.
 *
 *   npm run bench:sampling -- [--problems 512] [--k 8] [--concurrency 64] [--repeats 3] [--samples 1000000] [--memory-k 100] [--skip-memory]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { z } from 'zod';
import { createVerifierRegistry } from '../../verifiers/index.ts';
import { OpenAIPolicyConfig } from '../../src/config/schema.ts';
import { startDraw } from '../../src/pipeline/sampling/draw.ts';
import { fixedPlan } from '../../src/pipeline/sampling/strategy.ts';
import { createOpenAIPolicy } from '../../src/policy/openai/index.ts';
import { HEAP_GROWING_PERCENT } from '../../src/cli/heap-growth.ts';
import { build, isStale } from '../build.ts';
import { type Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { VerdictRecord } from '../../src/schema/verdict.ts';
import { JsonlRecordSink } from '../../src/store/record-sink.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';

const Args = z.object({
  problems: z.coerce.number().int().positive().default(512),
  k: z.coerce.number().int().positive().default(8),
  concurrency: z.coerce.number().int().positive().default(64),
  repeats: z.coerce.number().int().positive().default(3),
  samples: z.coerce.number().int().positive().default(1_000_000),
  /** Samples per problem in the memory run: memory grows with the problems, not the samples. */
  'memory-k': z.coerce.number().int().positive().default(100),
  'skip-memory': z.boolean().default(false),
});
type Args = z.infer<typeof Args>;

const problemsOf = (count: number): Problem[] =>
  Array.from({ length: count }, (_, i) => ({ id: `p${i}`, prompt: `What is ${i} + ${i * 3}?`, answer: String(i * 4), meta: {} }));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function startServerProcess(answersPath: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/openai-server-main.ts', '--port', '0', '--answers', answersPath], { stdio: ['ignore', 'pipe', 'ignore'] });
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const url = String(first.value ?? '').match(/^listening (\S+)$/)?.[1];
  if (!url) throw new Error(`the test server did not start (got ${JSON.stringify(first.value)})`);
  return { url, stop: () => child.kill('SIGTERM') };
}

async function throughput(args: Args, dir: string): Promise<void> {
  const problems = problemsOf(args.problems);
  const answersPath = join(dir, 'problems.jsonl');
  await writeFile(answersPath, `${problems.map((p) => JSON.stringify(p)).join('\n')}\n`);
  const server = await startServerProcess(answersPath);
  const params = { temperature: 1, topP: 1, maxTokens: 64, seed: 0 };
  const registry = createVerifierRegistry([]);
  const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
  const policy = createOpenAIPolicy(OpenAIPolicyConfig.parse({ type: 'openai', baseURL: server.url, model: 'scripted-base', n: 'native', maxRetries: 0 }), { concurrency: args.concurrency, env: {} });

  /** The baseline: `concurrency` workers, each sending the next problem's request for k samples. */
  const bare = async (seed: number): Promise<number> => {
    let next = 0;
    let samples = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (next < problems.length) {
          const problem = problems[next++];
          const reply = await client.chat.completions.create({
            model: 'scripted-base', messages: [{ role: 'user', content: problemText(problem) }], n: args.k, temperature: 1, max_tokens: 64, seed,
          });
          samples += reply.choices.length;
        }
      }),
    );
    return samples / ((performance.now() - started) / 1000);
  };

  /** starloop's draw of the same requests, storing and verifying every sample; a fresh run directory each time. */
  const drawn = async (seed: number, verifier: string): Promise<number> => {
    const files = await mkdtemp(join(dir, 'draw-'));
    const started = performance.now();
    const outcome = await startDraw({
      samples: new JsonlRecordSink(join(files, 'samples.jsonl'), Sample, (s) => s.id),
      verdicts: new JsonlRecordSink(join(files, 'verdicts.jsonl'), VerdictRecord, (v) => v.sampleId),
      round: 0, phase: 'train', policy, problems, params: { ...params, seed }, plan: fixedPlan(args.k), hinted: false,
      render: (p) => ({ messages: [{ role: 'user', content: problemText(p) }], text: problemText(p) }),
      resolver: new VerifierResolver(registry, verifier), verifyConcurrency: 8,
    }).done;
    const rate = outcome.samples / ((performance.now() - started) / 1000);
    await rm(files, { recursive: true, force: true });
    return rate;
  };

  try {
    // The cheapest built-in verifier shows the pipeline's own cost; numeric adds its parsing.
    const verifiers = ['exact-match', 'numeric'];
    await bare(999);
    for (const verifier of verifiers) await drawn(999, verifier); // warm-up: JIT and connections in both processes
    const rates: Record<string, number[]> = { bare: [], ...Object.fromEntries(verifiers.map((v) => [v, []])) };
    for (let repeat = 0; repeat < args.repeats; repeat++) {
      rates.bare.push(await bare(repeat));
      for (const verifier of verifiers) rates[verifier].push(await drawn(repeat, verifier));
    }
    const b = median(rates.bare);
    console.log(`throughput: ${args.problems} problems × k=${args.k} (native n) = ${args.problems * args.k} samples, concurrency ${args.concurrency}, server delay 0, median of ${args.repeats}`);
    console.log(`  bare openai client loop                 ${b.toFixed(0).padStart(7)} samples/s`);
    for (const verifier of verifiers) {
      const s = median(rates[verifier]);
      console.log(`  starloop draw, store + ${verifier.padEnd(12)}    ${s.toFixed(0).padStart(7)} samples/s  ratio ${(s / b).toFixed(2)}`);
    }
  } finally {
    await policy.close?.();
    server.stop();
  }
}

/** Peak RSS in MB of a CLI command, by GNU time. */
function cliPeak(args: string[]): { mb: number; seconds: number; failure?: string } {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/starloop.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines = run.stderr.trim().split('\n');
  const kb = Number(lines.at(-1));
  return { mb: kb / 1024, seconds: (performance.now() - started) / 1000, ...(run.status === 0 ? {} : { failure: lines.slice(0, -1).join(' ').slice(0, 300) }) };
}

async function memory(args: Args, dir: string): Promise<void> {
  // Twice: with the heap growth the CLI sets (heap-growth.ts), and with Node's own, which lets the
  // old generation grow to four times its live size; the difference is garbage not yet collected.
  if (isStale()) build();
  let announced = false;
  for (const growth of ['cli', 'node-default'] as const) {
    await rm(join(dir, 'run'), { recursive: true, force: true });
    const child = spawnSync(
      process.execPath,
      ['scripts/bench/sampling-memory-child.mjs', dir, String(args.samples), String(args['memory-k']), ...(growth === 'cli' ? [] : ['--node-default-growth'])],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (child.status !== 0) throw new Error(`the memory run failed (${growth} heap growth): ${child.stderr.slice(-2000)}`);
    const round = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { samples: number; seconds: number; cpuSeconds: number; maxRssKb: number; peakHeapMb: number };
    if (!announced) console.log(`memory: one round of ${round.samples} train samples (${Math.ceil(args.samples / args['memory-k'])} problems × k=${args['memory-k']}) + 800 eval samples, zero-latency in-process policy, numeric verifier, built JS`);
    announced = true;
    const label = growth === 'cli' ? `run, heap growth as the CLI sets it (${HEAP_GROWING_PERCENT}%)` : "run, Node's default heap growth";
    console.log(`  ${label.padEnd(46)} ${(round.maxRssKb / 1024).toFixed(0).padStart(5)} MB peak RSS, ${round.peakHeapMb.toFixed(0)} MB peak heap, ${round.seconds.toFixed(0)} s, ${round.cpuSeconds.toFixed(0)} CPU-s (${(round.samples / round.seconds).toFixed(0)} samples/s)`);
  }
  const runDir = join(dir, 'run');
  // compare reads eval verdicts only; a second run to compare with is the same run's eval under another name.
  const other = join(dir, 'other');
  await cp(runDir, other, { recursive: true, filter: (path) => !/round-0\/(samples|verdicts)\.jsonl$/.test(path) });
  const manifest = JSON.parse(await readFile(join(other, 'manifest.json'), 'utf8')) as { name: string };
  await writeFile(join(other, 'manifest.json'), JSON.stringify({ ...manifest, name: 'other' }));
  for (const [name, command] of [
    ['report', ['report', runDir]],
    ['report --json', ['report', runDir, '--json']],
    ['report --html', ['report', runDir, '--html', join(dir, 'report.html')]],
    ['compare with another run', ['compare', runDir, other]],
  ] as const) {
    const peak = cliPeak([...command]);
    console.log(`  ${name.padEnd(38)} ${peak.mb.toFixed(0).padStart(5)} MB peak RSS, ${peak.seconds.toFixed(1)} s${peak.failure === undefined ? '' : `  FAILED: ${peak.failure}`}`);
  }
}

async function main(): Promise<void> {
  const args = Args.parse(
    parseArgs({
      options: {
        problems: { type: 'string' }, k: { type: 'string' }, concurrency: { type: 'string' }, repeats: { type: 'string' },
        samples: { type: 'string' }, 'memory-k': { type: 'string' }, 'skip-memory': { type: 'boolean' },
      },
    }).values,
  );
  const dir = await mkdtemp(join(tmpdir(), 'starloop-bench-sampling-'));
  try {
    await throughput(args, dir);
    if (!args['skip-memory']) await memory(args, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
