// The memory run of `npm run bench:sampling`, as its own process: one whole round of `samples` train
// samples from a zero-latency in-process policy, through the built package (dist/), as the CLI
// runs it. Plain JavaScript, so no TypeScript loader's own memory is counted.
//   node scripts/bench/sampling-memory-child.mjs DIR SAMPLES K [--node-default-growth]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createVerifierRegistry, parseConfig, runLoop } from '../../dist/src/index.js';
import { limitHeapGrowth } from '../../dist/src/cli/heap-growth.js';

const [dir, samplesArg, kArg, growth] = process.argv.slice(2);
if (growth !== '--node-default-growth') limitHeapGrowth();
const k = Number(kArg);
const count = Math.ceil(Number(samplesArg) / k);
const lines = (from, suffix) => Array.from({ length: from }, (_, i) => `${JSON.stringify({ id: `${suffix ? 'e' : ''}p${i}`, prompt: `What is ${i} + ${i * 3}?${suffix}`, answer: String(i * 4) })}\n`).join('');
await writeFile(join(dir, 'train.jsonl'), lines(count, ''));
await writeFile(join(dir, 'eval.jsonl'), lines(Math.min(200, count), ' (eval)'));

/** The prompt says "What is a + b?": the answer is computed, so the policy holds nothing per problem. */
function* samplesFor(request) {
  const [, a, b] = request.text.match(/What is (\d+) \+ (\d+)\?/);
  const answer = Number(a) + Number(b);
  for (const index of request.indices) {
    // Right one time in three; wrong answers vary, so the majority ballots are not trivial.
    const said = index % 3 === 0 ? answer : answer + 1 + (index % 5);
    yield { key: request.key, index, text: `Adding them gives ${said}. The answer is ${said}.`, finishReason: 'stop', usage: { promptTokens: 20, completionTokens: 12 }, model: 'bench-model', latencyMs: 0 };
  }
}

// Pulls requests as it has room, as both built-in policies (OpenAI, embedded) do.
const policy = {
  id: 'bench-model',
  async *generate(requests) {
    for (const request of requests) yield* samplesFor(request);
  },
  async *generateFrom(source) {
    for (let requests = await source.take(64); requests; requests = await source.take(64)) {
      for (const request of requests) yield* samplesFor(request);
    }
  },
};

const config = parseConfig({
  name: 'bench-sampling',
  problems: { train: join(dir, 'train.jsonl'), eval: join(dir, 'eval.jsonl') },
  verifier: 'numeric', sampling: { k }, rationalize: { enabled: false }, eval: { k: 4 }, rounds: 0,
});
const started = performance.now();
let peakHeap = 0;
const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 200);
const result = await runLoop({ config, runDir: join(dir, 'run'), registry: createVerifierRegistry([]), policy, trainer: null });
clearInterval(timer);
const cpu = process.cpuUsage();
const train = result.summaries[0].train;
console.log(JSON.stringify({
  samples: train.sampling?.samples ?? 0,
  seconds: (performance.now() - started) / 1000,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  maxRssKb: process.resourceUsage().maxRSS,
  peakHeapMb: peakHeap / 2 ** 20,
}));
