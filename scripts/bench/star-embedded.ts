/**
 * End-to-end check of the embedded model's STaR loop, without the pipeline: each round samples
 * k per train problem from the current policy, keeps correct answers (direct comparison with the
 * gold answer, at most maxPerProblem distinct per problem), fine-tunes from the base checkpoint
 * and evaluates pass@1 per length on the eval file. Then trains the same-steps control (gold
 * easy examples, as many as the last round kept) and evaluates it.
 * Run: npm run bench:star-embedded [-- --rounds 3 --base other.ckpt --skip-control]   (times and peak RSS: /usr/bin/time -v)
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { RunConfig } from '../../src/config/schema.ts';
import { defaultRunConfigInput } from '../../src/config/default-config.ts';
import { goldControlExamples } from '../../src/embedded/control.ts';
import { createEmbeddedPolicy } from '../../src/policy/embedded.ts';
import type { Policy } from '../../src/policy/policy.ts';
import type { PolicyRef } from '../../src/schema/training.ts';
import { createEmbeddedTrainer } from '../../src/trainer/embedded.ts';
import type { TrainerState } from '../../src/schema/training.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string' }, 'skip-control': { type: 'boolean', default: false }, base: { type: 'string' } },
});
const config = RunConfig.parse(defaultRunConfigInput());
const rounds = values.rounds !== undefined ? Number(values.rounds) : config.rounds;
if (config.policy.type !== 'embedded' || config.train.type !== 'embedded') throw new Error('default config must use the embedded backends');
/** --base tries another base checkpoint (the shipped one by default). */
const policyConfig = { ...config.policy, ...(values.base ? { checkpoint: values.base } : {}) };
const baseRef: PolicyRef = { model: 'base', ...(values.base ? { checkpoint: values.base } : {}) };
const trainer = createEmbeddedTrainer(config.train);

const Line = z.object({ id: z.string(), prompt: z.string(), answer: z.string(), meta: z.object({ group: z.string() }).passthrough() });
const load = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').map((l) => Line.parse(JSON.parse(l)));
const trainProblems = await load(config.problems.train);
const evalProblems = await load(config.problems.eval!);
const work = await mkdtemp(join(tmpdir(), 'starloop-star-bench-'));
const started = performance.now();
const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);

/** Whether the text's last number equals the gold answer: the check `numeric` makes for these answers. */
function correct(text: string, answer: string): boolean {
  const numbers = text.match(/\d+/g);
  return numbers !== null && numbers.at(-1) === answer;
}

async function drawAll(policy: Policy, problems: typeof trainProblems, k: number, temperature: number, seed: number) {
  const requests = problems.map((p) => ({
    key: p.id, messages: [{ role: 'user' as const, content: p.prompt }], text: p.prompt, indices: [...Array(k).keys()],
  }));
  const texts = new Map<string, string[]>();
  const params = { temperature, topP: config.sampling.topP, maxTokens: config.sampling.maxTokens, seed };
  for await (const g of policy.generate(requests, params)) texts.set(g.key, [...(texts.get(g.key) ?? []), g.text]);
  return texts;
}

async function evaluate(policy: Policy, label: string): Promise<Record<string, number>> {
  const t0 = performance.now();
  const texts = await drawAll(policy, evalProblems, config.eval.k, config.eval.temperature ?? config.sampling.temperature, config.seed + 1);
  const byGroup = new Map<string, number[]>();
  for (const p of evalProblems) {
    const samples = texts.get(p.id)!;
    const rate = samples.filter((t) => correct(t, p.answer)).length / samples.length;
    byGroup.set(p.meta.group, [...(byGroup.get(p.meta.group) ?? []), rate]);
  }
  const result = Object.fromEntries([...byGroup].map(([g, rates]) => [g, rates.reduce((a, b) => a + b, 0) / rates.length]));
  const shown = Object.entries(result).map(([g, v]) => `${g} ${(v * 100).toFixed(1)}%`).join('  ');
  console.log(`[${elapsed()}s] ${label}: eval pass@1  ${shown}  (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
  return result;
}

async function trainOn(lines: object[], round: number, label: string): Promise<PolicyRef> {
  const datasetPath = join(work, `${label}.jsonl`);
  await writeFile(datasetPath, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const t0 = performance.now();
  let stored: TrainerState | undefined;
  const ref = await trainer.train({
    datasetPath, examples: lines.length, base: baseRef, start: baseRef, round,
    outDir: join(work, label), state: { read: async () => stored, write: async (v) => void (stored = v) },
  });
  console.log(`[${elapsed()}s] ${label}: trained on ${lines.length} examples (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
  return ref;
}

let policy = await createEmbeddedPolicy(policyConfig);
const table: Array<Record<string, unknown>> = [{ round: 0, ...(await evaluate(policy, 'round 0')) }];
let lastKept = 0;
for (let round = 1; round <= rounds; round++) {
  const t0 = performance.now();
  const texts = await drawAll(policy, trainProblems, config.sampling.k, config.sampling.temperature, config.seed + round * 1000);
  const dataset: object[] = [];
  let solved = 0;
  for (const p of trainProblems) {
    const kept = [...new Set(texts.get(p.id)!.filter((t) => correct(t, p.answer)).map((t) => t.trim()))].slice(0, config.select.maxPerProblem);
    if (kept.length > 0) solved++;
    for (const text of kept) dataset.push({ messages: [{ role: 'user', content: p.prompt }, { role: 'assistant', content: text }] });
  }
  console.log(`[${elapsed()}s] round ${round}: sampled ${trainProblems.length}x${config.sampling.k}, solved ${solved}, kept ${dataset.length} (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
  lastKept = dataset.length;
  const ref = await trainOn(dataset, round, `round-${round}`);
  policy = await createEmbeddedPolicy(policyConfig, ref);
  table.push({ round, kept: dataset.length, ...(await evaluate(policy, `round ${round}`)) });
}
console.log(`loop wall time ${elapsed()}s`);
if (!values['skip-control']) {
  const ref = await trainOn(goldControlExamples(lastKept, config.seed), rounds, 'control');
  table.push({ round: 'control', kept: lastKept, ...(await evaluate(await createEmbeddedPolicy(policyConfig, ref), 'same-steps control')) });
}
console.table(table);
console.log(`total wall time ${elapsed()}s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
