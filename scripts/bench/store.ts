/**
 * Run store throughput: how fast samples are appended one at a time (as the pipeline does, so
 * nothing is lost on kill -9) and read back on resume, against a single batched write of the same
 * records measured in the same run.
 *   npm run bench:store [-- --samples 20000]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Sample } from '../../src/schema/sample.ts';
import { JsonlRecordSink } from '../../src/store/record-sink.ts';
import { sampleId } from '../../src/store/sample-id.ts';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '20000' } } });
const count = Number(values.samples);
if (!Number.isInteger(count) || count <= 0) throw new Error(`--samples must be a positive whole number, got ${values.samples}`);

const samples: Sample[] = Array.from({ length: count }, (_, i) => ({
  id: sampleId({ problemId: `p${i >> 3}`, model: 'bench', prompt: `problem ${i >> 3}`, params: { temperature: 0.8, topP: 1, maxTokens: 256, seed: 0 }, index: i & 7 }),
  problemId: `p${i >> 3}`, round: 0, phase: 'train', index: i & 7,
  text: `Let me think step by step about problem ${i >> 3}. First we add the numbers, then carry. The answer is ${i}.`,
  finishReason: 'stop', usage: { promptTokens: 60, completionTokens: 40 }, model: 'bench', latencyMs: 120, cached: false, hinted: false,
}));

const dir = await mkdtemp(join(tmpdir(), 'starloop-bench-store-'));
const time = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

const baselinePath = join(dir, 'baseline.jsonl');
const baseline = await time(() => writeFile(baselinePath, samples.map((s) => JSON.stringify(s)).join('\n') + '\n'));
const sink = new JsonlRecordSink(join(dir, 'samples.jsonl'), Sample, (s) => s.id);
const appendOne = await time(async () => {
  for (const sample of samples) await sink.append([sample]);
});
let loaded = 0;
const load = await time(async () => {
  loaded = (await new JsonlRecordSink(join(dir, 'samples.jsonl'), Sample, (s) => s.id).load()).size;
});
if (loaded !== count) throw new Error(`read back ${loaded} of ${count} samples`);
const ids = await time(async () => {
  for (const s of samples) sampleId({ problemId: s.problemId, model: 'bench', prompt: s.problemId, params: { temperature: 0.8, topP: 1, maxTokens: 256, seed: 0 }, index: s.index });
});
await rm(dir, { recursive: true, force: true });

const rate = (seconds: number) => `${Math.round(count / seconds).toLocaleString('en-US')}/s`;
console.log(`run store, ${count} samples (node ${process.version})`);
console.log(`  one batched write (baseline)         ${rate(baseline)}`);
console.log(`  append one sample at a time          ${rate(appendOne)}  (${(appendOne / baseline).toFixed(1)}× the baseline's time)`);
console.log(`  read back + zod-parse on resume      ${rate(load)}`);
console.log(`  sample identity hashes               ${rate(ids)}`);
