import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { CommandTrainConfig } from '../../src/config/schema.ts';
import { TrlPreferenceLine } from '../../src/schema/preference.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { readRunManifest } from '../../src/store/run-reader.ts';
import { createCommandTrainer } from '../../src/trainer/command.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { memoryState } from '../helpers/train-request.ts';
import { repoRoot, runCli, tempDir } from './cli.ts';

const servers: OpenAITestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

/** The README's "STaR on vLLM + TRL" section and its fenced blocks, in order. */
async function readmeSection(): Promise<{ text: string; blocks: { lang: string; body: string }[] }> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## STaR on vLLM + TRL\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end);
  const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
  return { text, blocks };
}

test('the README\'s "STaR on vLLM + TRL" commands run three rounds against a server that speaks vLLM, with the TRL recipe\'s dry run standing in for training', async () => {
  const { blocks } = await readmeSection();
  const [setup, config, commands] = blocks;
  expect(setup.lang).toBe('sh');
  expect(setup.body).toMatch(/^VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve Qwen\/Qwen2\.5-1\.5B-Instruct --enable-lora .*--port 8000 &$/m);
  // vLLM accepts adapters of the recipe's default rank.
  expect(setup.body).toMatch(/--max-lora-rank 16 /);
  // The config block is the shipped example, verbatim.
  expect(config.lang).toBe('yaml');
  const shipped = await readFile(join(repoRoot, 'examples/vllm-trl.yaml'), 'utf8');
  expect(config.body).toBe(shipped);
  const lines = commands.body.trim().split('\n');
  expect(lines.every((line) => line.startsWith('npx starloop '))).toBe(true);

  const problems = [...(await readJsonl(join(repoRoot, 'problems/gsm-mini/train.jsonl'), Problem)), ...(await readJsonl(join(repoRoot, 'problems/gsm-mini/eval.jsonl'), Problem))];
  const server = await startOpenAIServer({ models: ['Qwen/Qwen2.5-1.5B-Instruct'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
  servers.push(server);

  // A working directory laid out like the repository clone the README runs in; the config differs
  // from the shipped one only in the server's URL, the python binary and the trainer's --dry-run (no GPU here).
  const cwd = await tempDir();
  await symlink(join(repoRoot, 'problems'), join(cwd, 'problems'));
  await mkdir(join(cwd, 'examples'));
  await symlink(join(repoRoot, 'examples/trainers'), join(cwd, 'examples/trainers'));
  const yaml = parse(shipped) as { policy: { baseURL: string; model: string }; train: { command: string; base: string } };
  expect(yaml.policy.baseURL).toBe('http://127.0.0.1:8000/v1');
  // The model vLLM serves is the one sampled and the one TRL trains the adapter on.
  expect(setup.body).toContain(`vllm serve ${yaml.policy.model} `);
  expect(yaml.train.base).toBe(yaml.policy.model);
  yaml.policy.baseURL = server.url;
  expect(yaml.train.command.startsWith('python3 examples/trainers/trl_sft.py ')).toBe(true);
  // The command runs in starloop's directory, so the recipe's relative path is used as written.
  yaml.train.command = `${yaml.train.command.replace('python3 ', '/usr/bin/python3 ')} --dry-run`;
  await writeFile(join(cwd, 'examples/vllm-trl.yaml'), stringify(yaml));

  for (const line of lines) {
    const result = await runCli(line.replace(/^npx starloop /, '').split(' '), { cwd });
    expect(result.code, `${line}\n${result.stderr}`).toBe(0);
  }

  const runDir = join(cwd, 'runs/vllm-trl');
  expect((await readRunManifest(runDir)).policies).toEqual([
    { model: 'Qwen/Qwen2.5-1.5B-Instruct' },
    ...[1, 2, 3].map((r) => ({ model: `star-r${r}`, checkpoint: join(runDir, `round-${r - 1}`, 'trainer') })),
  ]);
  const loads = server.requests.filter((r) => r.path === '/v1/load_lora_adapter').map((r) => (r.body as { lora_name: string }).lora_name);
  const unloads = server.requests.filter((r) => r.path === '/v1/unload_lora_adapter').map((r) => (r.body as { lora_name: string }).lora_name);
  expect(loads).toEqual(['star-r1', 'star-r2', 'star-r3']);
  expect(unloads).toEqual(['star-r1', 'star-r2']);
  expect([...server.adapters.keys()]).toEqual(['star-r3']);
  for (const adapter of ['star-r1', 'star-r2']) expect(server.requests.some((r) => r.path === '/v1/chat/completions' && r.model === adapter)).toBe(true);

  const pairs = await readJsonl(join(runDir, 'pairs.jsonl'), TrlPreferenceLine);
  expect(pairs.length).toBeGreaterThan(0);
  expect(existsSync(join(runDir, 'round-2', 'serve-state.json'))).toBe(true);
}, 600_000);

test('the axolotl template\'s documented command renders a config for the round and prints the contract\'s line', async () => {
  const template = await readFile(join(repoRoot, 'examples/trainers/axolotl-lora.yaml'), 'utf8');
  // The `train:` block in the header comment is the config a user pastes.
  const commented = template.split('\n').filter((line) => line.startsWith('#'));
  const from = commented.indexOf('#   train:');
  const to = commented.findIndex((line, i) => i > from && line.startsWith('#     serve:'));
  const block = parse(commented.slice(from, to + 1).map((line) => line.slice(1)).join('\n')) as { train: { command: string } };
  const dir = await tempDir();
  const outDir = join(dir, 'round-0', 'trainer');
  await mkdir(outDir, { recursive: true });
  // A stand-in `axolotl` on PATH: it checks it was handed a config file and writes an adapter as axolotl would.
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'axolotl'), '#!/bin/sh\n[ "$1" = train ] && [ -f "$2" ] || exit 3\necho "axolotl: training with $2"\n', { mode: 0o755 });
  const command = block.train.command.replace('examples/trainers/axolotl-lora.yaml', join(repoRoot, 'examples/trainers/axolotl-lora.yaml'));
  const trainer = createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command: `PATH=${bin}:$PATH; ${command}` }));
  const dataset = join(dir, 'dataset.jsonl');
  await writeFile(dataset, '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n');
  const result = await trainer.train({
    datasetPath: dataset, examples: 1, base: { model: 'Qwen/Qwen2.5-1.5B-Instruct' }, start: { model: 'Qwen/Qwen2.5-1.5B-Instruct' }, round: 1, outDir, state: memoryState(),
  });
  expect(result).toEqual({ model: 'star', checkpoint: outDir });
  const rendered = parse(await readFile(join(outDir, 'axolotl.yaml'), 'utf8')) as Record<string, unknown>;
  expect(rendered).toMatchObject({
    base_model: 'Qwen/Qwen2.5-1.5B-Instruct',
    output_dir: outDir,
    adapter: 'lora',
    datasets: [{ path: dataset, ds_type: 'json', type: 'chat_template', field_messages: 'messages' }],
  });
});
